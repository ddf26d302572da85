// Partitioners: choose a partition for a record that names none. The default matches Kafka's
// (murmur2 for keyed records, sticky for unkeyed: KIP-480), so keys land where Java clients put them.
import { murmur2Partition } from './murmur2';

export interface PartitionerInput {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly numPartitions: number;
}

export interface Partitioner {
  readonly name: string;
  partition(input: PartitionerInput): number;
  /** Called when a batch for `topic` was closed: a sticky partitioner moves to another partition. */
  onNewBatch?(topic: string, closedPartition: number, numPartitions: number): void;
}

export type RandomSource = () => number;

/** Unkeyed records stick to one partition until its batch closes, then move on (fewer, fuller batches). */
export class StickyPartitioner implements Partitioner {
  readonly name: string = 'sticky';
  private readonly current = new Map<string, number>();
  constructor(private readonly random: RandomSource = Math.random) {}

  partition(input: PartitionerInput): number {
    const cur = this.current.get(input.topic);
    if (cur !== undefined && cur < input.numPartitions) return cur;
    const next = Math.floor(this.random() * input.numPartitions);
    this.current.set(input.topic, next);
    return next;
  }

  onNewBatch(topic: string, closedPartition: number, numPartitions: number): void {
    if (this.current.get(topic) !== closedPartition) return;
    let next = Math.floor(this.random() * numPartitions);
    // Pick a different partition when there is one, as Kafka's StickyPartitionCache does.
    if (numPartitions > 1 && next === closedPartition) next = (next + 1) % numPartitions;
    this.current.set(topic, next);
  }
}

/** Unkeyed records cycle over every partition in turn. */
export class RoundRobinPartitioner implements Partitioner {
  readonly name: string = 'round-robin';
  private readonly counters = new Map<string, number>();

  partition(input: PartitionerInput): number {
    const n = this.counters.get(input.topic) ?? 0;
    this.counters.set(input.topic, (n + 1) % 0x7fffffff);
    return n % input.numPartitions;
  }
}

/** Kafka's default: murmur2 for keyed records, delegate (sticky by default) for unkeyed ones. */
export class DefaultPartitioner implements Partitioner {
  readonly name: string;
  constructor(private readonly unkeyed: Partitioner = new StickyPartitioner()) {
    this.name = `murmur2+${unkeyed.name}`;
  }

  partition(input: PartitionerInput): number {
    if (input.key !== null) return murmur2Partition(input.key, input.numPartitions);
    return this.unkeyed.partition(input);
  }

  onNewBatch(topic: string, closedPartition: number, numPartitions: number): void {
    this.unkeyed.onNewBatch?.(topic, closedPartition, numPartitions);
  }
}

export type PartitionerName = 'default' | 'murmur2' | 'sticky' | 'round-robin';

export function createPartitioner(name: PartitionerName, random: RandomSource = Math.random): Partitioner {
  switch (name) {
    case 'default':
    case 'murmur2':
      return new DefaultPartitioner(new StickyPartitioner(random));
    case 'sticky':
      return new StickyPartitioner(random);
    case 'round-robin':
      return new RoundRobinPartitioner();
  }
}
