// What the coordinator knows of one transactional id (Kafka's TransactionMetadata), exactly what
// its __transaction_state record holds plus the epoch before the last bump (KIP-360 recovery).
import type { TxnStateId } from './transaction-state';

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface TxnMetadata {
  readonly transactionalId: string;
  readonly producerId: bigint;
  /** The producer id before the epoch overflowed into a new one (-1: none). */
  readonly previousProducerId: bigint;
  readonly producerEpoch: number;
  /** The epoch before the last bump (-1: none): a producer retrying InitProducerId with it is not a zombie. */
  readonly lastProducerEpoch: number;
  readonly txnTimeoutMs: number;
  readonly state: TxnStateId;
  /** topic → partitions in the open (or preparing) transaction. */
  readonly partitions: ReadonlyMap<string, ReadonlySet<number>>;
  readonly txnStartTimestamp: bigint;
  readonly txnLastUpdateTimestamp: bigint;
}

export function partitionList(partitions: ReadonlyMap<string, ReadonlySet<number>>): TopicPartitionRef[] {
  const out: TopicPartitionRef[] = [];
  for (const [topic, set] of partitions) for (const partition of set) out.push({ topic, partition });
  return out;
}

export function withPartitions(
  partitions: ReadonlyMap<string, ReadonlySet<number>>,
  added: readonly TopicPartitionRef[],
): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const [t, s] of partitions) out.set(t, new Set(s));
  for (const { topic, partition } of added) {
    let s = out.get(topic);
    if (s === undefined) out.set(topic, (s = new Set()));
    s.add(partition);
  }
  return out;
}

export function containsAll(partitions: ReadonlyMap<string, ReadonlySet<number>>, refs: readonly TopicPartitionRef[]): boolean {
  return refs.every((r) => partitions.get(r.topic)?.has(r.partition) === true);
}
