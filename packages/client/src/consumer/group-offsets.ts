// Committed group offsets: OffsetCommit and OffsetFetch against the group coordinator. Used by
// group members (with their generation) and by admin (generation -1: only for empty groups).
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1n when the group has no committed offset for the partition. */
  readonly offset: bigint;
  readonly metadata: string | null;
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata?: string | null;
}



function byTopic<T extends { topic: string }>(list: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    let l = m.get(x.topic);
    if (!l) m.set(x.topic, (l = []));
    l.push(x);
  }
  return m;
}

/** Committed offsets of `groupId`; all of the group's partitions when `partitions` is omitted. */
export async function fetchCommittedOffsets(
  cluster: Cluster,
  groupId: string,
  partitions?: ReadonlyArray<{ topic: string; partition: number }>,
): Promise<CommittedOffset[]> {
  return cluster.withCoordinator(groupId, async (conn) => {
    const res = await conn.request(ApiKey.OffsetFetch, {
      groupId,
      topics: partitions ? [...byTopic(partitions)].map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) })) : null,
      requireStable: false,
    });
    if (res.errorCode) throw new KafkaError(res.errorCode, `OffsetFetch(${groupId}): ${new KafkaError(res.errorCode).message}`);
    const out: CommittedOffset[] = [];
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `OffsetFetch(${groupId}) ${t.name}-${p.partitionIndex}: ${new KafkaError(p.errorCode).message}`);
        out.push({ topic: t.name, partition: p.partitionIndex, offset: BigInt(p.committedOffset), metadata: p.metadata });
      }
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  });
}

export interface CommitContext {
  generationId: number;
  memberId: string;
}

/** Commits offsets (the next offset to read, Kafka's convention). Any partition error throws. */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  offsets: readonly OffsetToCommit[],
  ctx: CommitContext = { generationId: -1, memberId: '' },
): Promise<void> {
  if (offsets.length === 0) return;
  await cluster.withCoordinator(groupId, async (conn) => {
    const res = await conn.request(ApiKey.OffsetCommit, {
      groupId,
      generationIdOrMemberEpoch: ctx.generationId,
      memberId: ctx.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [...byTopic(offsets)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, committedMetadata: p.metadata ?? null })),
      })),
    });
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `OffsetCommit(${groupId}) ${t.name}-${p.partitionIndex}: ${new KafkaError(p.errorCode).message}`);
      }
    }
  });
}
