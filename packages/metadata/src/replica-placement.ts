// Replica placement for new partitions: spread over brokers (leaders rotate with the partition
// index, as Kafka's assignReplicasToBrokers) and over racks (broker.rack): a partition takes
// brokers of racks it does not have yet before a second replica in any rack.
import { ErrorCode, KafkaError } from '@mq/protocol';

export interface PlacementBroker {
  readonly nodeId: number;
  readonly rack?: string | undefined;
}

export interface PlacementOptions {
  /** Index of the partition to place first (CreatePartitions continues a topic). Default 0. */
  readonly firstPartition?: number;
  /** Rotates where the first leader goes; default 0 (tests), the controller passes a random one. */
  readonly startIndex?: number;
}

/** Replica lists for `count` partitions; the first replica of each is its preferred leader. */
export function placeReplicas(brokers: readonly PlacementBroker[], count: number, replicationFactor: number, opts: PlacementOptions = {}): number[][] {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor must be at least 1, got ${replicationFactor}`);
  }
  if (replicationFactor > brokers.length) {
    throw new KafkaError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `replication factor ${replicationFactor} is larger than the ${brokers.length} available broker${brokers.length === 1 ? '' : 's'}`,
    );
  }
  const order = rackAlternating(brokers);
  const n = order.length;
  const first = opts.firstPartition ?? 0;
  const start = opts.startIndex ?? 0;
  const out: number[][] = [];
  for (let p = first; p < first + count; p++) {
    const replicas: number[] = [];
    const racks = new Set<string | undefined>();
    const base = (start + p) % n;
    // Kafka shifts followers every n partitions too, so followers of one leader also rotate.
    const shift = Math.floor(p / n) % Math.max(1, n - 1);
    const candidates = [order[base]!, ...Array.from({ length: n - 1 }, (_, j) => order[(base + 1 + ((shift + j) % (n - 1))) % n]!)];
    for (const b of candidates) {
      if (replicas.length === replicationFactor) break;
      if (racks.has(b.rack) && racks.size < rackCount(brokers)) continue;
      replicas.push(b.nodeId);
      racks.add(b.rack);
    }
    for (const b of candidates) {
      if (replicas.length === replicationFactor) break;
      if (!replicas.includes(b.nodeId)) replicas.push(b.nodeId);
    }
    out.push(replicas);
  }
  return out;
}

/** Brokers by id, interleaved rack by rack (a1, b1, c1, a2, b2, ...), as Kafka's getRackAlternatedBrokerList. */
function rackAlternating(brokers: readonly PlacementBroker[]): PlacementBroker[] {
  const byRack = new Map<string | undefined, PlacementBroker[]>();
  for (const b of [...brokers].sort((x, y) => x.nodeId - y.nodeId)) {
    const list = byRack.get(b.rack) ?? [];
    list.push(b);
    byRack.set(b.rack, list);
  }
  const racks = [...byRack.keys()].sort((a, b) => String(a).localeCompare(String(b)));
  const out: PlacementBroker[] = [];
  for (let i = 0; out.length < brokers.length; i++) {
    for (const r of racks) {
      const b = byRack.get(r)![i];
      if (b !== undefined) out.push(b);
    }
  }
  return out;
}

function rackCount(brokers: readonly PlacementBroker[]): number {
  return new Set(brokers.map((b) => b.rack)).size;
}
