// Committed offsets: OffsetCommit validation (generation, member, partition, metadata size),
// OffsetFetch, OffsetDelete, and retention of offsets of empty groups. A commit or delete is a
// coordinator operation: validated when its turn on the shard's loop comes, it returns records; the
// runtime appends them to __consumer_offsets and only then replays them, the path recovery takes.
import type { ClassicGroup } from './classic-group';
import type { Group } from './group';
import type { Clock } from '@mq/timerwheel';
import type { GroupCoordinatorConfig } from './config';
import { ErrorCode as E, KafkaError } from '@mq/protocol';
import type { CoordinatorResult } from '@mq/coordinator';
import type { CommittedOffset, GroupRecord } from './records/group-record';
import type {
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchGroupRequest,
  OffsetFetchGroupResponse,
  OffsetFetchPartition,
  TxnOffsetCommitRequest,
} from './group-api';

/** Kafka's Long.MAX_VALUE: the latest expiry an offset record can hold. */
const INT64_MAX = 9223372036854775807n;

export interface OffsetHost {
  readonly clock: Clock;
  readonly config: GroupCoordinatorConfig;
  readonly isLoading: boolean;
  getGroup(groupId: string): Group | undefined;
  createGroup(groupId: string): ClassicGroup;
  discardIfUnused(group: Group): void;
  /** UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID / NONE, and resets the member's session timer on NONE. */
  touchMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number;
  topicExists(topic: string, partition: number): boolean;
  /** Runs an operation on the shard's loop: its records are appended, then replayed. */
  runOp<T>(name: string, op: () => CoordinatorResult<GroupRecord, T>): Promise<T>;
  /** Whether the group subscribes to the topic (OffsetDelete refuses GROUP_SUBSCRIBED_TO_TOPIC). */
  isSubscribedTo(group: Group, topic: string): boolean;
  onError(err: unknown, context: string): void;
}

export interface OffsetDeleteResult {
  errorCode: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

type TxnOffsetRecord = Extract<GroupRecord, { type: 'txn-offset' }>;

export class OffsetManager {
  /** Offsets of open transactions: producerId → group/topic/partition → the offset (visible on commit). */
  private readonly pendingTxn = new Map<bigint, Map<string, TxnOffsetRecord>>();

  constructor(private readonly host: OffsetHost) {}

  /**
   * TxnOffsetCommit: validated as an OffsetCommit (generation and member when given), stored as
   * pending offsets of the producer's transaction; the group sees them only once it commits.
   */
  async txnCommitOffsets(req: TxnOffsetCommitRequest): Promise<OffsetCommitResponse> {
    const { producerId, generationId, memberId, ...rest } = req;
    const commit: OffsetCommitRequest = { ...rest, generationIdOrMemberEpoch: generationId ?? -1, memberId: memberId ?? '' };
    return this.host.runOp('TxnOffsetCommit', () => {
      const built = this.commitRecords(commit, -1n, true);
      const records = built.records.map((r): GroupRecord => (r.type === 'offset' ? { ...r, type: 'txn-offset', producerId } : r));
      // A refused commit (no group looked up) has nothing to discard.
      if (records.length === 0 && built.group !== undefined) this.host.discardIfUnused(built.group);
      return { records, response: built.response };
    });
  }

  /**
   * The transaction marker reached this partition: on commit the producer's pending offsets become
   * the groups' committed offsets, in one batch with the tombstones ending them; on abort only the
   * tombstones. Returns how many offsets the transaction held here.
   */
  completeTxn(producerId: bigint, commit: boolean): Promise<number> {
    return this.host.runOp('complete transaction offsets', () => {
      const pending = this.pendingTxn.get(producerId);
      if (pending === undefined) return { records: [], response: 0 };
      const records: GroupRecord[] = [];
      for (const r of pending.values()) {
        if (commit) {
          if (this.host.getGroup(r.groupId) === undefined) this.host.createGroup(r.groupId);
          records.push({ type: 'offset', groupId: r.groupId, topic: r.topic, partition: r.partition, value: r.value });
        }
        records.push({ ...r, value: null });
      }
      return { records, response: pending.size };
    });
  }

  /** Replays a pending transactional offset (or its tombstone). */
  applyTxnOffset(r: TxnOffsetRecord): void {
    const key = `${r.groupId}\u0000${r.topic}\u0000${r.partition}`;
    let byKey = this.pendingTxn.get(r.producerId);
    if (r.value === null) {
      byKey?.delete(key);
      if (byKey?.size === 0) this.pendingTxn.delete(r.producerId);
      return;
    }
    if (byKey === undefined) this.pendingTxn.set(r.producerId, (byKey = new Map()));
    byKey.set(key, r);
  }

  /** Whether an open transaction holds an offset of the partition for the group (OffsetFetch require_stable). */
  hasPendingTxnOffset(groupId: string, topic: string, partition: number): boolean {
    const key = `${groupId}\u0000${topic}\u0000${partition}`;
    for (const byKey of this.pendingTxn.values()) if (byKey.has(key)) return true;
    return false;
  }

  /** The error every partition of the commit gets before looking at partitions, or NONE. */
  private validateCommit(req: OffsetCommitRequest, transactional: boolean): { errorCode: number; group?: Group } {
    if (this.host.isLoading) return { errorCode: E.COORDINATOR_LOAD_IN_PROGRESS };
    let group = this.host.getGroup(req.groupId);
    const generationId = req.generationIdOrMemberEpoch ?? -1;
    const memberId = req.memberId;
    // TxnOffsetCommit before v3 (kafkajs, KIP-447's older clients) names no member: Kafka accepts it
    // for a live group, the transaction coordinator having fenced zombies by producer epoch.
    if (transactional && generationId < 0 && memberId === '') return { errorCode: E.NONE, group: group ?? this.host.createGroup(req.groupId) };
    if (group === undefined) {
      // A "simple" commit (no group management) creates the group; a generation names a group we never had.
      if (generationId >= 0) return { errorCode: E.ILLEGAL_GENERATION };
      group = this.host.createGroup(req.groupId);
      return { errorCode: E.NONE, group };
    }
    if (generationId < 0 && group.isEmpty) return { errorCode: E.NONE, group };
    if (group.type === 'consumer') {
      // KIP-848 members commit with their member epoch (the previous one is still accepted).
      const member = group.membership.members.get(memberId);
      if (member === undefined) return { errorCode: E.UNKNOWN_MEMBER_ID };
      if (generationId !== member.memberEpoch && generationId !== member.previousMemberEpoch) return { errorCode: E.STALE_MEMBER_EPOCH };
      return { errorCode: E.NONE, group };
    }
    const err = this.host.touchMember(group, memberId, req.groupInstanceId ?? null);
    if (err !== E.NONE) return { errorCode: err };
    if (generationId !== group.generationId) return { errorCode: E.ILLEGAL_GENERATION };
    // During PreparingRebalance the current generation may still commit (eager members do before revoking).
    if (group.state === 'CompletingRebalance') return { errorCode: E.REBALANCE_IN_PROGRESS };
    return { errorCode: E.NONE, group };
  }

  /** OffsetCommit as an operation: validated on its turn, answered once its records are durable. */
  async commitOffsets(req: OffsetCommitRequest, retentionTimeMs = -1n): Promise<OffsetCommitResponse> {
    let pending: { response: OffsetCommitResponse; written: { errorCode: number }[]; group: Group } | undefined;
    try {
      return await this.host.runOp('OffsetCommit', () => {
        const built = this.commitRecords(req, retentionTimeMs);
        if (built.records.length > 0) pending = built;
        return { records: built.records, response: built.response };
      });
    } catch (err) {
      if (pending === undefined) throw err;
      // The append failed: nothing was applied; every partition it carried gets the mapped error.
      this.host.onError(err, `committing offsets of group ${req.groupId}`);
      const code = err instanceof KafkaError ? err.errorCode : E.UNKNOWN_SERVER_ERROR;
      for (const out of pending.written) out.errorCode = code;
      this.host.discardIfUnused(pending.group);
      return pending.response;
    }
  }

  private commitRecords(req: OffsetCommitRequest, retentionTimeMs: bigint, transactional = false) {
    const { errorCode, group } = this.validateCommit(req, transactional);
    const response: OffsetCommitResponse = {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      })),
    };
    const records: GroupRecord[] = [];
    const written: { errorCode: number }[] = [];
    if (errorCode !== E.NONE || group === undefined) return { response, records, written, group: group! };

    const now = BigInt(this.host.clock.now());
    req.topics.forEach((t, ti) => {
      t.partitions.forEach((p, pi) => {
        const out = response.topics[ti]!.partitions[pi]!;
        const topic = t.name;
        if (!this.host.topicExists(topic, p.partitionIndex)) {
          out.errorCode = E.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (p.committedMetadata !== null && Buffer.byteLength(p.committedMetadata) > this.host.config.offsetMetadataMaxBytes) {
          out.errorCode = E.OFFSET_METADATA_TOO_LARGE;
        } else {
          records.push({
            type: 'offset',
            groupId: req.groupId,
            topic,
            partition: p.partitionIndex,
            value: {
              committedOffset: p.committedOffset,
              committedLeaderEpoch: p.committedLeaderEpoch ?? -1,
              metadata: p.committedMetadata ?? '',
              commitTimestamp: now,
              // Clamped: a huge retention_time_ms (v2-4, any int64) would overflow the int64 record field.
              expireTimestamp: retentionTimeMs > 0n ? (now + retentionTimeMs > INT64_MAX ? INT64_MAX : now + retentionTimeMs) : -1n,
            },
          });
          written.push(out);
        }
      });
    });
    if (records.length === 0) this.host.discardIfUnused(group);
    return { response, records, written, group };
  }

  /**
   * OffsetDelete (KIP-496) as an operation: the group must exist (GROUP_ID_NOT_FOUND) and not be a
   * live classic group of another protocol type (NON_EMPTY_GROUP); a partition of a topic the group
   * subscribes to is refused GROUP_SUBSCRIBED_TO_TOPIC, others get a tombstone (also when no offset
   * is stored, as Kafka answers NONE for those).
   */
  async deleteOffsets(groupId: string, topics: readonly { name: string; partitions: readonly number[] }[]): Promise<OffsetDeleteResult> {
    return this.host.runOp('OffsetDelete', () => {
      const group = this.host.getGroup(groupId);
      if (group === undefined) return { records: [], response: { errorCode: E.GROUP_ID_NOT_FOUND, topics: [] } };
      // Kafka: a classic group with members that is not a consumer-protocol group cannot lose offsets.
      if (group.type === 'classic' && !group.isEmpty && group.protocolType !== 'consumer') {
        return { records: [], response: { errorCode: E.NON_EMPTY_GROUP, topics: [] } };
      }
      const records: GroupRecord[] = [];
      const out = topics.map((t) => {
        const subscribed = this.host.isSubscribedTo(group, t.name);
        return {
          name: t.name,
          partitions: t.partitions.map((partition) => {
            if (subscribed) return { partitionIndex: partition, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC as number };
            if (group.offsets.get(t.name)?.has(partition)) records.push({ type: 'offset', groupId, topic: t.name, partition, value: null });
            return { partitionIndex: partition, errorCode: E.NONE as number };
          }),
        };
      });
      return { records, response: { errorCode: E.NONE, topics: out } };
    });
  }

  fetchOffsets(req: OffsetFetchGroupRequest): OffsetFetchGroupResponse {
    if (this.host.isLoading) return { groupId: req.groupId, topics: [], errorCode: E.COORDINATOR_LOAD_IN_PROGRESS };
    const group = this.host.getGroup(req.groupId);
    // requireStable (KIP-447): a named partition with an offset in an open transaction answers
    // UNSTABLE_OFFSET_COMMIT (retriable) until the transaction ends.
    if (req.topics === null) {
      const topics: OffsetFetchGroupResponse['topics'] = [];
      if (group !== undefined) {
        for (const name of [...group.offsets.keys()].sort()) {
          const byPartition = group.offsets.get(name)!;
          const partitions = [...byPartition.keys()].sort((a, b) => a - b).map((p) => toFetched(p, byPartition.get(p)));
          if (partitions.length > 0) topics.push({ name, partitions });
        }
      }
      return { groupId: req.groupId, topics, errorCode: E.NONE };
    }
    return {
      groupId: req.groupId,
      errorCode: E.NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) =>
          req.requireStable && this.hasPendingTxnOffset(req.groupId, t.name, p)
            ? { ...toFetched(p, undefined), errorCode: E.UNSTABLE_OFFSET_COMMIT }
            : toFetched(p, group?.offsets.get(t.name)?.get(p)),
        ),
      })),
    };
  }

  /** Applies one offset record (live after its append, or while loading). */
  applyOffset(group: Group, topic: string, partition: number, value: CommittedOffset | null): void {
    let byPartition = group.offsets.get(topic);
    if (value === null) {
      byPartition?.delete(partition);
      if (byPartition?.size === 0) group.offsets.delete(topic);
      return;
    }
    if (byPartition === undefined) group.offsets.set(topic, (byPartition = new Map()));
    byPartition.set(partition, value);
  }

  /**
   * Tombstones for offsets past retention. Only empty groups lose offsets: a consumer group's from
   * the moment it became Empty; a simple-commit group's (no protocol type) per offset from its commit.
   */
  expiredOffsetRecords(group: Group, now: number): GroupRecord[] {
    if (!group.isEmpty || (group.type === 'classic' && group.state !== 'Empty')) return [];
    const retention = BigInt(this.host.config.offsetsRetentionMs);
    const out: GroupRecord[] = [];
    for (const [topic, byPartition] of group.offsets) {
      for (const [partition, o] of byPartition) {
        const expired =
          o.expireTimestamp >= 0n
            ? o.expireTimestamp <= BigInt(now)
            : group.protocolType === null
              ? o.commitTimestamp + retention <= BigInt(now)
              : BigInt(group.stateTimestamp) + retention <= BigInt(now);
        if (expired) out.push({ type: 'offset', groupId: group.groupId, topic, partition, value: null });
      }
    }
    return out;
  }
}

function toFetched(partitionIndex: number, o: CommittedOffset | undefined): OffsetFetchPartition {
  if (o === undefined) return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: E.NONE };
  return {
    partitionIndex,
    committedOffset: o.committedOffset,
    committedLeaderEpoch: o.committedLeaderEpoch,
    metadata: o.metadata,
    errorCode: E.NONE,
  };
}
