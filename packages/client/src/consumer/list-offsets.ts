// ListOffsets lookups: earliest (logStartOffset), latest (logEndOffset / high watermark) or the
// first offset whose timestamp is >= a time, for many partitions at once, grouped by leader.
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';

/** Where to start: an exact offset, the log's ends, or the first record at/after a timestamp (ms). */
export type OffsetSpec = bigint | 'earliest' | 'latest' | { timestamp: bigint };

export const EARLIEST_TIMESTAMP = -2n;
export const LATEST_TIMESTAMP = -1n;

export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1n when no record has a timestamp at or after the one asked for. */
  readonly offset: bigint;
  readonly timestamp: bigint;
}


export function specTimestamp(spec: Exclude<OffsetSpec, bigint>): bigint {
  if (spec === 'earliest') return EARLIEST_TIMESTAMP;
  if (spec === 'latest') return LATEST_TIMESTAMP;
  return spec.timestamp;
}

/**
 * Resolves each partition's offset for `spec`. isolationLevel 0 so "latest" is the high watermark,
 * matching what a read_uncommitted consumer can read.
 */
export async function listOffsets(
  cluster: Cluster,
  partitions: ReadonlyArray<{ topic: string; partition: number }>,
  spec: Exclude<OffsetSpec, bigint>,
): Promise<PartitionOffset[]> {
  const ts = specTimestamp(spec);
  return cluster.withRetry(async () => {
    const byLeader = new Map<number, Array<{ topic: string; partition: number }>>();
    for (const tp of partitions) {
      const leader = await cluster.leaderFor(tp.topic, tp.partition);
      let list = byLeader.get(leader);
      if (!list) byLeader.set(leader, (list = []));
      list.push(tp);
    }
    const out: PartitionOffset[] = [];
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const topics = new Map<string, number[]>();
        for (const tp of list) {
          let ps = topics.get(tp.topic);
          if (!ps) topics.set(tp.topic, (ps = []));
          ps.push(tp.partition);
        }
        const res = await cluster.requestBroker(leader, ApiKey.ListOffsets, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [...topics].map(([name, ps]) => ({
            name,
            partitions: ps.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: ts })),
          })),
        });
        for (const t of res.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `ListOffsets ${t.name}-${p.partitionIndex}: ${new KafkaError(p.errorCode).message}`);
            out.push({ topic: t.name, partition: p.partitionIndex, offset: BigInt(p.offset), timestamp: BigInt(p.timestamp) });
          }
        }
      }),
    );
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  });
}
