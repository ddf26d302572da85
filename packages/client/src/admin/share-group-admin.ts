// Share-group (KIP-932) administration: list (ListGroups' share groups), describe (ShareGroupDescribe:
// state, epochs, members and their assignments), start offsets with what is left in the queue
// (DescribeShareGroupOffsets against the high watermarks), reset (AlterShareGroupOffsets: the group
// must be empty) and delete (DeleteShareGroupOffsets per topic, DeleteGroups for the group).
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { listOffsets } from '../consumer/list-offsets';
import { type GroupListing, listGroups } from './group-admin';

export interface ShareGroupMember {
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly assignment: ReadonlyArray<{ topic: string; partitions: readonly number[] }>;
}

export interface ShareGroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  readonly assignor: string;
  readonly members: readonly ShareGroupMember[];
}

export interface ShareGroupOffset {
  readonly topic: string;
  readonly partition: number;
  /** The share-partition start offset (SPSO): everything below is acknowledged or archived; -1n without state. */
  readonly startOffset: bigint;
  readonly highWatermark: bigint;
  /** highWatermark − startOffset: records not yet done (available, acquired or in flight above the start); null without state. */
  readonly lag: bigint | null;
}

export type ShareResetTarget = 'earliest' | 'latest' | { offset: bigint };

export class ShareGroupAdmin {
  constructor(private readonly cluster: Cluster) {}

  async list(): Promise<GroupListing[]> {
    return (await listGroups(this.cluster)).filter((g) => g.protocolType === 'share');
  }

  async describe(groupId: string): Promise<ShareGroupDescription> {
    return this.cluster.withCoordinator(groupId, async (conn) => {
      const res = await conn.request(ApiKey.ShareGroupDescribe, { groupIds: [groupId], includeAuthorizedOperations: false });
      const g = res.groups[0];
      if (g === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `ShareGroupDescribe returned nothing for "${groupId}"`);
      if (g.errorCode !== ErrorCode.NONE) throw new KafkaError(g.errorCode, `share group "${groupId}": ${g.errorMessage ?? new KafkaError(g.errorCode).message}`);
      return {
        groupId: g.groupId,
        state: g.groupState,
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignor: g.assignorName,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          memberEpoch: m.memberEpoch,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscribedTopicNames: [...m.subscribedTopicNames],
          assignment: m.assignment.topicPartitions.map((tp) => ({ topic: tp.topicName, partitions: [...tp.partitions].sort((a, b) => a - b) })),
        })),
      };
    });
  }

  /** Start offsets and lag of every share-partition the group has state for. */
  async offsets(groupId: string): Promise<ShareGroupOffset[]> {
    const res = await this.cluster.withCoordinator(groupId, (conn) => conn.request(ApiKey.DescribeShareGroupOffsets, { groups: [{ groupId, topics: null }] }));
    const g = res.groups[0];
    if (g === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `DescribeShareGroupOffsets returned nothing for "${groupId}"`);
    if (g.errorCode !== ErrorCode.NONE) throw new KafkaError(g.errorCode, `share group "${groupId}": ${g.errorMessage ?? new KafkaError(g.errorCode).message}`);
    const rows: { topic: string; partition: number; startOffset: bigint }[] = [];
    for (const t of g.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `${t.topicName}-${p.partitionIndex}: ${p.errorMessage ?? new KafkaError(p.errorCode).message}`);
        rows.push({ topic: t.topicName, partition: p.partitionIndex, startOffset: BigInt(p.startOffset) });
      }
    }
    const hw = rows.length === 0 ? [] : await listOffsets(this.cluster, rows, 'latest');
    const hwOf = new Map(hw.map((o) => [`${o.topic}\u0000${o.partition}`, o.offset]));
    return rows
      .map((r) => {
        const highWatermark = hwOf.get(`${r.topic}\u0000${r.partition}`) ?? -1n;
        return { ...r, highWatermark, lag: r.startOffset < 0n || highWatermark < 0n ? null : highWatermark - r.startOffset };
      })
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /**
   * Moves the start offsets of `topic`'s partitions (all, or `partitions`) of an empty share group to
   * the log start, the high watermark or an offset; answers the new start offsets. Records below
   * the new start are never delivered; those above it are delivered as new.
   */
  async resetOffsets(groupId: string, topic: string, target: ShareResetTarget, partitions?: readonly number[]): Promise<{ partition: number; startOffset: bigint }[]> {
    const ps = partitions ?? (await this.cluster.topic(topic)).partitions.map((p) => p.partition);
    const offsets =
      typeof target === 'object'
        ? ps.map((partition) => ({ partition, offset: target.offset }))
        : (await listOffsets(this.cluster, ps.map((partition) => ({ topic, partition })), target)).map((o) => ({ partition: o.partition, offset: o.offset }));
    const res = await this.cluster.withCoordinator(groupId, (conn) =>
      conn.request(ApiKey.AlterShareGroupOffsets, { groupId, topics: [{ topicName: topic, partitions: offsets.map((o) => ({ partitionIndex: o.partition, startOffset: o.offset })) }] }),
    );
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `reset share group "${groupId}": ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
    for (const t of res.responses) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `${t.topicName}-${p.partitionIndex}: ${p.errorMessage ?? new KafkaError(p.errorCode).message}`);
      }
    }
    return offsets.map((o) => ({ partition: o.partition, startOffset: o.offset })).sort((a, b) => a.partition - b.partition);
  }

  /** Drops an empty share group's state for whole topics (they start again per share.auto.offset.reset). */
  async deleteOffsets(groupId: string, topics: readonly string[]): Promise<void> {
    const res = await this.cluster.withCoordinator(groupId, (conn) => conn.request(ApiKey.DeleteShareGroupOffsets, { groupId, topics: topics.map((topicName) => ({ topicName })) }));
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `share group "${groupId}": ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
    for (const t of res.responses) if (t.errorCode !== ErrorCode.NONE) throw new KafkaError(t.errorCode, `${t.topicName}: ${t.errorMessage ?? new KafkaError(t.errorCode).message}`);
  }
}
