// Consumer group administration: list, describe (members and their assignments), delete, lag
// (highWatermark − committed) and offset resets (planned always, committed only when asked).
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import { type TopicPartition, fromTopicPartitions } from '@mq/assignors';
import { decodeAssignment } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { commitOffsets, fetchCommittedOffsets } from '../consumer/group-offsets';
import { listOffsets } from '../consumer/list-offsets';

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  /** Empty string when the broker does not report states (ListGroups < v4). */
  readonly state: string;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly assignment: TopicPartition[];
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  /** The assignor in use ("range", ...). */
  readonly protocol: string;
  readonly members: GroupMemberDescription[];
}

export interface GroupLag {
  readonly topic: string;
  readonly partition: number;
  /** -1n when nothing is committed. */
  readonly committed: bigint;
  readonly highWatermark: bigint;
  /** highWatermark − committed; null when nothing is committed. */
  readonly lag: bigint | null;
  /** Member currently assigned the partition, if any. */
  readonly memberId: string | null;
}

/** `shiftBy` moves each partition's committed offset (or, with none, its log start) by ±n. */
export type ResetTarget = 'earliest' | 'latest' | { timestamp: bigint } | { offset: bigint } | { shiftBy: bigint };

export interface OffsetResetPlan {
  readonly topic: string;
  readonly partition: number;
  readonly current: bigint;
  readonly target: bigint;
}


/** Groups known to every broker (ListGroups is answered per broker). */
export async function listGroups(cluster: Cluster): Promise<GroupListing[]> {
  const meta = await cluster.refreshMetadata([]);
  const seen = new Map<string, GroupListing>();
  for (const nodeId of meta.brokers.keys()) {
    const res = await cluster.requestBroker(
      nodeId,
      ApiKey.ListGroups,
      { statesFilter: [], typesFilter: [] },
    );
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `ListGroups on broker ${nodeId}: ${new KafkaError(res.errorCode).message}`);
    for (const g of res.groups) seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState ?? '' });
  }
  return [...seen.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
}

export async function describeGroups(cluster: Cluster, groupIds: readonly string[]): Promise<GroupDescription[]> {
  return Promise.all(
    groupIds.map((groupId) =>
      cluster.withCoordinator(groupId, async (conn) => {
        const res = await conn.request(ApiKey.DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false });
        const g = res.groups[0];
        if (!g) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `DescribeGroups returned nothing for "${groupId}"`);
        if (g.errorCode !== ErrorCode.NONE) throw new KafkaError(g.errorCode, `describe group "${groupId}": ${g.errorMessage ?? new KafkaError(g.errorCode).message}`);
        return {
          groupId: g.groupId,
          state: g.groupState,
          protocolType: g.protocolType,
          protocol: g.protocolData,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId ?? null,
            clientId: m.clientId,
            clientHost: m.clientHost,
            assignment: g.protocolType === 'consumer' && m.memberAssignment.length > 0 ? fromTopicPartitions(decodeAssignment(m.memberAssignment).assignedPartitions) : [],
          })),
        };
      }),
    ),
  );
}

export async function deleteGroups(cluster: Cluster, groupIds: readonly string[]): Promise<void> {
  for (const groupId of groupIds) {
    await cluster.withCoordinator(groupId, async (conn) => {
      const res = await conn.request(ApiKey.DeleteGroups, { groupsNames: [groupId] });
      for (const r of res.results) {
        if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `delete group "${r.groupId}": ${new KafkaError(r.errorCode).message}`);
      }
    });
  }
}

export async function groupLag(cluster: Cluster, groupId: string): Promise<GroupLag[]> {
  const [committed, [desc]] = await Promise.all([fetchCommittedOffsets(cluster, groupId), describeGroups(cluster, [groupId])]);
  const owner = new Map<string, string>();
  const partitions = new Map<string, { topic: string; partition: number }>();
  for (const m of desc?.members ?? []) {
    for (const tp of m.assignment) {
      owner.set(`${tp.topic}\u0000${tp.partition}`, m.memberId);
      partitions.set(`${tp.topic}\u0000${tp.partition}`, tp);
    }
  }
  const committedBy = new Map<string, bigint>();
  for (const c of committed) {
    committedBy.set(`${c.topic}\u0000${c.partition}`, c.offset);
    partitions.set(`${c.topic}\u0000${c.partition}`, c);
  }
  if (partitions.size === 0) return [];
  const ends = await listOffsets(cluster, [...partitions.values()], 'latest');
  return ends.map((e) => {
    const k = `${e.topic}\u0000${e.partition}`;
    const c = committedBy.get(k) ?? -1n;
    return { topic: e.topic, partition: e.partition, committed: c, highWatermark: e.offset, lag: c >= 0n ? e.offset - c : null, memberId: owner.get(k) ?? null };
  });
}

/**
 * Plans new committed offsets for `topic` (clamped to [logStartOffset, highWatermark] as Kafka's
 * tool does). With `execute` it commits them, which Kafka only allows while the group has no members.
 */
export async function resetOffsets(
  cluster: Cluster,
  groupId: string,
  topic: string,
  target: ResetTarget,
  opts: { execute?: boolean; partitions?: readonly number[] },
): Promise<OffsetResetPlan[]> {
  const t = await cluster.topic(topic);
  const parts = (opts.partitions ?? t.partitions.map((p) => p.partition)).map((partition) => ({ topic, partition }));
  const [committed, earliest, latest] = await Promise.all([
    fetchCommittedOffsets(cluster, groupId, parts),
    listOffsets(cluster, parts, 'earliest'),
    listOffsets(cluster, parts, 'latest'),
  ]);
  const byTs = typeof target === 'object' && 'timestamp' in target ? await listOffsets(cluster, parts, { timestamp: target.timestamp }) : [];
  const find = (list: ReadonlyArray<{ partition: number; offset: bigint }>, p: number): bigint => list.find((x) => x.partition === p)?.offset ?? -1n;
  const plan = parts.map(({ partition }) => {
    const lo = find(earliest, partition);
    const hi = find(latest, partition);
    let want: bigint;
    if (target === 'earliest') want = lo;
    else if (target === 'latest') want = hi;
    else if ('offset' in target) want = target.offset;
    else if ('shiftBy' in target) {
      const cur = find(committed, partition);
      want = (cur >= 0n ? cur : lo) + target.shiftBy;
    }
    else {
      const o = find(byTs, partition);
      want = o < 0n ? hi : o;
    }
    if (want < lo) want = lo;
    if (want > hi) want = hi;
    return { topic, partition, current: find(committed, partition), target: want };
  });
  if (opts.execute) await alterGroupOffsets(cluster, groupId, plan.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.target })));
  return plan;
}

/** Commits `offsets` for a group with no active members (Kafka's alterConsumerGroupOffsets). */
export async function alterGroupOffsets(cluster: Cluster, groupId: string, offsets: ReadonlyArray<{ topic: string; partition: number; offset: bigint }>): Promise<void> {
  const [desc] = await describeGroups(cluster, [groupId]);
  if (desc && desc.members.length > 0) {
    throw new KafkaError(ErrorCode.NON_EMPTY_GROUP, `group "${groupId}" has ${desc.members.length} active member(s); stop them before changing its offsets`);
  }
  await commitOffsets(cluster, groupId, offsets);
}

export interface OffsetDeleteResult {
  readonly topic: string;
  readonly partition: number;
  /** Absent when the offset was deleted (or there was none). */
  readonly error?: KafkaError;
}

/**
 * OffsetDelete (KIP-496): removes a group's committed offsets of these partitions (every partition
 * of each topic when none are named). A group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP)
 * throws; per-partition errors (GROUP_SUBSCRIBED_TO_TOPIC) are results.
 */
export async function deleteOffsets(cluster: Cluster, groupId: string, topics: ReadonlyArray<{ topic: string; partitions?: readonly number[] }>): Promise<OffsetDeleteResult[]> {
  const request = await Promise.all(
    topics.map(async (t) => ({
      name: t.topic,
      partitions: (t.partitions ?? (await cluster.topic(t.topic)).partitions.map((p) => p.partition)).map((partitionIndex) => ({ partitionIndex })),
    })),
  );
  return cluster.withCoordinator(groupId, async (conn) => {
    const res = await conn.request(ApiKey.OffsetDelete, { groupId, topics: request });
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `delete offsets of group "${groupId}": ${new KafkaError(res.errorCode).message}`);
    return res.topics.flatMap((t) =>
      t.partitions.map((p) => (p.errorCode === ErrorCode.NONE ? { topic: t.name, partition: p.partitionIndex } : { topic: t.name, partition: p.partitionIndex, error: new KafkaError(p.errorCode) })),
    );
  });
}

export interface DeleteResult {
  readonly name: string;
  /** Absent when the delete succeeded. */
  readonly error?: KafkaError;
}

/** One result per group, in order; a failure does not stop the others. */
export async function deleteGroupsEach(cluster: Cluster, groupIds: readonly string[]): Promise<DeleteResult[]> {
  const out: DeleteResult[] = [];
  for (const groupId of groupIds) {
    try {
      await deleteGroups(cluster, [groupId]);
      out.push({ name: groupId });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      out.push({ name: groupId, error: err });
    }
  }
  return out;
}
