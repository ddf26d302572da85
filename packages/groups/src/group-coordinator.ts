// GroupCoordinator: the wire-independent group coordinator of one broker, on @mq/coordinator's
// runtime. It owns __consumer_offsets (an internal topic of offsets.topic.num.partitions partitions,
// created on first use as in Kafka — FindCoordinator or a group request — or at open when it exists
// or a pre-runtime data dir is to be imported), loads one GroupCoordinatorShard per partition led
// here (all of them on a single node), and routes every group API to the shard of the group's
// partition (Kafka's abs(hashCode(groupId)) % partitions).
import { type CoordinatorLeadershipSource, CoordinatorRuntime, type LoadSummary, followLeadership } from '@mq/coordinator';
import type { TopicManager } from '@mq/partition';
import { KafkaError } from '@mq/protocol';
import { type Clock, SystemClock } from '@mq/timerwheel';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from './config';
import { ErrorCode as E } from '@mq/protocol';
import type { TopicResolver } from './consumer-group-assignment';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from './consumer-group-protocol';
import { CONSUMER_OFFSETS_TOPIC, consumerOffsetsTopicConfigs, partitionFor } from './consumer-offsets-topic';
import { GroupsError } from './errors';
import { GroupCoordinatorShard } from './group-coordinator-shard';
import { joinError, syncError } from './group-responses';
import { type PartitionLag, computeLag } from './lag';
import { importLegacyOffsets, setAsideLegacyOffsets } from './legacy-offsets-import';
import type { OffsetDeleteResult } from './offset-manager';
import type { GroupRecord } from './records/group-record';
import { groupRecordSerde } from './records/group-record-serde';
import type {
  DescribedGroup,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListedGroup,
  OffsetCommitRequest,
  TxnOffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchGroupRequest,
  OffsetFetchGroupResponse,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
} from './group-api';

export interface GroupCoordinatorOptions {
  /** The broker's topics: __consumer_offsets is created here (compacted) and its partitions loaded. */
  topicManager: TopicManager;
  config?: Partial<GroupCoordinatorConfig>;
  /** Every group timer goes through it; default a SystemClock owned (and stopped) by the coordinator. */
  clock?: Clock;
  /** Whether a partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise); default: the topic manager's. */
  topicExists?: (topic: string, partition: number) => boolean;
  /** Topic ids and partition counts for KIP-848 groups; default: the topic manager's non-internal topics. */
  topics?: TopicResolver;
  /** Failures that cannot be answered to a request (background appends, expiry, unreadable records). */
  onError?: (err: unknown, context: string) => void;
  /**
   * In a cluster: __consumer_offsets replicates, the controller creates it, and a partition's shard
   * loads where it becomes led and unloads where it stops (its appends wait for the ISR). Absent: a
   * single node, which creates the topic on first use and leads every partition.
   */
  leadership?: CoordinatorLeadershipSource;
  /** A __consumer_offsets partition finished loading here (cluster: on becoming its leader), for the broker's log. */
  onLoaded?: (partition: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) => void;
  /** A __consumer_offsets partition unloaded here (its leadership moved away). */
  onUnloaded?: (partition: number) => void;
}

export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  private readonly runtime: CoordinatorRuntime<GroupCoordinatorShard, GroupRecord>;
  private readonly ownClock: SystemClock | undefined;
  private readonly resolver: TopicResolver;
  /** Partitions of __consumer_offsets once this node created/loaded it (single node). */
  private localPartitionCount = 0;
  private unfollow: () => void = () => {};
  /** Creating/loading __consumer_offsets (undefined until first use; reset when it failed). */
  private starting: Promise<void> | undefined;
  private importPending = false;
  /** Moved by topicsChanged(); KIP-848 groups re-check their subscribed topics when it differs. */
  private topicsVersion = 0;
  private closed = false;

  private constructor(private readonly opts: GroupCoordinatorOptions) {
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...opts.config };
    if (this.config.minSessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      throw new GroupsError('INVALID_CONFIG', 'minSessionTimeoutMs exceeds maxSessionTimeoutMs');
    }
    if (!Number.isInteger(this.config.offsetsTopicNumPartitions) || this.config.offsetsTopicNumPartitions < 1) {
      throw new GroupsError('INVALID_CONFIG', `offsetsTopicNumPartitions must be a positive integer, got ${this.config.offsetsTopicNumPartitions}`);
    }
    if (opts.clock === undefined) this.ownClock = new SystemClock();
    this.clock = opts.clock ?? this.ownClock!;
    const tm = opts.topicManager;
    const topicExists =
      opts.topicExists ??
      ((topic: string, partition: number) => {
        const t = tm.get(topic);
        return t !== undefined && partition >= 0 && partition < t.partitions.length;
      });
    const topics: TopicResolver = opts.topics ?? {
      byName: (name) => {
        const t = tm.get(name);
        return t === undefined ? undefined : { topicId: t.topicId, partitionCount: t.partitions.length };
      },
      nameOf: (topicId) => tm.getById(topicId)?.name,
      names: () => tm.list().flatMap((t) => (t.isInternal ? [] : [t.name])),
    };
    const onError = opts.onError ?? (() => {});
    const leadership = opts.leadership;
    this.runtime = new CoordinatorRuntime<GroupCoordinatorShard, GroupRecord>({
      name: 'group coordinator',
      serde: groupRecordSerde,
      clock: this.clock,
      onError,
      ...(leadership !== undefined ? { writerFor: (p) => leadership.writerFor(p) } : {}),
      // A record this version cannot read (corrupt, or written by a newer one) is skipped, not fatal.
      onUnreadableRecord: (err, p, offset) =>
        onError(new GroupsError('CORRUPT_ENCODING', `${CONSUMER_OFFSETS_TOPIC}-${p} offset ${offset}`, { cause: err }), 'skipping an unreadable __consumer_offsets record'),
      shardFactory: (ctx) =>
        new GroupCoordinatorShard({ ctx, config: this.config, topicExists, topics, topicsVersion: () => this.topicsVersion, onError }),
    });
    this.resolver = topics;
  }

  /**
   * Opens the coordinator. When __consumer_offsets exists (or a pre-runtime data dir is to be
   * imported into it) every partition is loaded before this resolves; otherwise the topic is
   * created on first use (prepare()).
   */
  static async open(opts: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const c = new GroupCoordinator(opts);
    if (opts.leadership !== undefined) {
      c.unfollow = followLeadership(
        c.runtime,
        CONSUMER_OFFSETS_TOPIC,
        opts.leadership,
        {
          onError: opts.onError ?? (() => {}),
          ...(opts.onLoaded !== undefined ? { onLoaded: opts.onLoaded } : {}),
          ...(opts.onUnloaded !== undefined ? { onUnloaded: opts.onUnloaded } : {}),
        },
        () => c.clock.now(),
      );
      return c;
    }
    const tm = opts.topicManager;
    const exists = tm.get(CONSUMER_OFFSETS_TOPIC) !== undefined;
    c.importPending = await setAsideLegacyOffsets(tm.dataDir, exists);
    if (exists || c.importPending) await c.prepare();
    return c;
  }

  /**
   * Creates __consumer_offsets if needed (importing a pre-runtime data dir into it) and loads every
   * partition: groups, offsets and member sessions are back before it resolves. Idempotent; a
   * failure (e.g. EMFILE) rejects this call and the next one tries again.
   */
  prepare(): Promise<void> {
    if (this.closed) return Promise.reject(new GroupsError('COORDINATOR_CLOSED', 'group coordinator is closed'));
    // In a cluster the controller creates the topic and leadership loads its partitions.
    if (this.opts.leadership !== undefined) return Promise.resolve();
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const tm = this.opts.topicManager;
    const onError = this.opts.onError ?? (() => {});
    const topic = await tm.ensureInternalTopic(CONSUMER_OFFSETS_TOPIC, this.config.offsetsTopicNumPartitions, consumerOffsetsTopicConfigs(this.config.offsetsTopicSegmentBytes));
    if (this.importPending) {
      await importLegacyOffsets(tm.dataDir, topic, this.resolver, onError, () => this.clock.now());
      this.importPending = false;
    }
    // Single node: every partition is led here. With replication, load/unload follow leadership.
    for (const p of topic.partitions) if (this.runtime.status(p.index) === undefined) await this.runtime.load(p.index, p);
    this.localPartitionCount = topic.partitions.length;
  }

  /** Partitions of __consumer_offsets (0 while it does not exist): the image's in a cluster. */
  private get partitionCount(): number {
    const l = this.opts.leadership;
    return l === undefined ? this.localPartitionCount : (l.partitionCount(CONSUMER_OFFSETS_TOPIC) ?? 0);
  }

  /**
   * Runs `fn` at once when the topic is loaded (so a request's synchronous part keeps its call
   * order), else after prepare(); `failed` answers with the code when creating it failed.
   */
  private whenReady<T>(fn: () => T | Promise<T>, failed: (errorCode: number) => T): Promise<T> {
    if (this.partitionCount > 0 || this.closed || this.opts.leadership !== undefined) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.ready().then((err) => (err === E.NONE ? fn() : failed(err)));
  }

  /** prepare() for an asynchronous request: NONE, or the code the request answers when it failed. */
  private async ready(): Promise<number> {
    try {
      await this.prepare();
      return E.NONE;
    } catch (err) {
      this.opts.onError?.(err, `creating ${CONSUMER_OFFSETS_TOPIC}`);
      return this.closed ? E.NOT_COORDINATOR : E.COORDINATOR_NOT_AVAILABLE;
    }
  }

  /** The __consumer_offsets partition that coordinates the group. */
  partitionFor(groupId: string): number {
    return partitionFor(groupId, this.partitionCount > 0 ? this.partitionCount : this.config.offsetsTopicNumPartitions);
  }

  /** NONE when this broker coordinates the group now, else COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR (FindCoordinator). */
  coordinatorStatus(groupId: string): number {
    const s = this.shardOf(groupId);
    return typeof s === 'number' ? s : E.NONE;
  }

  /** Whether __consumer_offsets is being created or any partition is still loading. */
  get isLoading(): boolean {
    return (this.starting !== undefined && this.partitionCount === 0) || this.runtime.partitions().some((p) => this.runtime.status(p) === 'loading');
  }

  /** The active shard of the group's partition, or the error code a request for it gets. */
  private shardOf(groupId: string): GroupCoordinatorShard | number {
    if (this.closed) return E.NOT_COORDINATOR;
    if (this.partitionCount === 0) {
      // In a cluster the controller creates it once enough brokers are registered (offsets.topic.replication.factor).
      if (this.opts.leadership !== undefined) return E.COORDINATOR_NOT_AVAILABLE;
      // Not created yet (clients look the coordinator up first, which creates it): start now, retry soon.
      this.prepare().catch((err: unknown) => this.opts.onError?.(err, `creating ${CONSUMER_OFFSETS_TOPIC}`));
      return E.COORDINATOR_LOAD_IN_PROGRESS;
    }
    const p = this.partitionFor(groupId);
    const status = this.runtime.status(p);
    if (status === 'loading') return E.COORDINATOR_LOAD_IN_PROGRESS;
    return this.runtime.shard(p) ?? E.NOT_COORDINATOR;
  }

  private activeShards(): GroupCoordinatorShard[] {
    return this.runtime.partitions().flatMap((p) => this.runtime.shard(p) ?? []);
  }

  joinGroup(req: JoinGroupRequest, meta: RequestMeta): Promise<JoinGroupResponse> {
    return this.whenReady(() => {
      const s = this.shardOf(req.groupId);
      return typeof s === 'number' ? joinError(s, req.memberId) : s.membership.joinGroup(req, meta);
    }, (err) => joinError(err, req.memberId));
  }

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    return this.whenReady(() => {
      const s = this.shardOf(req.groupId);
      return typeof s === 'number' ? syncError(s) : s.membership.syncGroup(req);
    }, syncError);
  }

  /** Never used: no __consumer_offsets yet, so no group exists (reads answer as for an unknown group). */
  private get unused(): boolean {
    return this.starting === undefined && this.partitionCount === 0 && !this.closed;
  }

  /** Resolves the Heartbeat error code, on the group's shard loop. */
  heartbeat(req: HeartbeatRequest): Promise<number> {
    if (this.unused) return Promise.resolve(req.groupId === '' ? E.INVALID_GROUP_ID : E.UNKNOWN_MEMBER_ID);
    const s = this.shardOf(req.groupId);
    return typeof s === 'number' ? Promise.resolve(s) : s.membership.heartbeat(req);
  }

  /** LeaveGroup as an operation: answered once the removal (and the Empty generation it may end with) is written. */
  leaveGroup(req: LeaveGroupRequest): Promise<LeaveGroupResponse> {
    if (this.unused) {
      if (req.groupId === '') return Promise.resolve({ errorCode: E.INVALID_GROUP_ID, members: [] });
      return Promise.resolve({ errorCode: E.NONE, members: req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId ?? null, errorCode: E.UNKNOWN_MEMBER_ID })) });
    }
    const s = this.shardOf(req.groupId);
    if (typeof s === 'number') return Promise.resolve({ errorCode: s, members: [] });
    return s.membership.leaveGroup(req);
  }

  /** KIP-848 ConsumerGroupHeartbeat (join, heartbeat, leave, server-side assignment). */
  consumerGroupHeartbeat(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): Promise<ConsumerGroupHeartbeatResponse> {
    const failed = (errorCode: number): ConsumerGroupHeartbeatResponse => ({ errorCode, errorMessage: null, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
    return this.whenReady(async () => {
      const s = this.shardOf(req.groupId);
      if (typeof s === 'number') return failed(s);
      try {
        return await s.consumerGroupHeartbeat(req, meta);
      } catch (err) {
        // Its records could not be appended (the group is as it was), or the partition moved meanwhile.
        if (!(err instanceof KafkaError)) this.opts.onError?.(err, `ConsumerGroupHeartbeat of group ${req.groupId}`);
        return failed(errorCodeOf(err));
      }
    }, failed);
  }

  /**
   * A topic was created or deleted, or gained partitions. KIP-848 groups subscribed to it (by name or
   * regex) move their group epoch on their next heartbeat, as Kafka's coordinator does on a new metadata image.
   */
  topicsChanged(): void {
    this.topicsVersion++;
  }

  commitOffsets(req: OffsetCommitRequest, retentionTimeMs = -1n): Promise<OffsetCommitResponse> {
    const failed = (errorCode: number): OffsetCommitResponse => ({
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    });
    return this.whenReady(async () => {
      const s = this.shardOf(req.groupId);
      if (typeof s === 'number') return failed(s);
      try {
        return await s.offsets.commitOffsets(req, retentionTimeMs);
      } catch (err) {
        // Unloaded (or loading again) before the operation's turn came.
        return failed(errorCodeOf(err));
      }
    }, failed);
  }

  /** TxnOffsetCommit: the offsets join the open transaction of the request's producer (visible on its commit). */
  txnCommitOffsets(req: TxnOffsetCommitRequest): Promise<OffsetCommitResponse> {
    const failed = (errorCode: number): OffsetCommitResponse => ({
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    });
    return this.whenReady(async () => {
      const s = this.shardOf(req.groupId);
      if (typeof s === 'number') return failed(s);
      try {
        return await s.offsets.txnCommitOffsets(req);
      } catch (err) {
        // Anything but a Kafka refusal is a bug to see in the log, not only an UNKNOWN_SERVER_ERROR.
        if (!(err instanceof KafkaError)) this.opts.onError?.(err, `committing transactional offsets of group ${req.groupId}`);
        return failed(errorCodeOf(err));
      }
    }, failed);
  }

  /**
   * The transaction marker of `producerId` for __consumer_offsets partition `partitionIndex`: its
   * pending offsets there are committed or dropped. Resolves NONE, or the code the marker fails with.
   */
  async completeTransaction(partitionIndex: number, producerId: bigint, commit: boolean): Promise<number> {
    const ready = await this.ready();
    if (ready !== E.NONE) return ready;
    const status = this.runtime.status(partitionIndex);
    if (status === 'loading') return E.COORDINATOR_LOAD_IN_PROGRESS;
    const shard = this.runtime.shard(partitionIndex);
    if (shard === undefined) return E.NOT_COORDINATOR;
    try {
      await shard.offsets.completeTxn(producerId, commit);
      return E.NONE;
    } catch (err) {
      return errorCodeOf(err);
    }
  }

  fetchOffsets(req: OffsetFetchGroupRequest): OffsetFetchGroupResponse {
    if (this.unused) {
      const none = (partitionIndex: number) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: E.NONE });
      return { groupId: req.groupId, errorCode: E.NONE, topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map(none) })) };
    }
    const s = this.shardOf(req.groupId);
    if (typeof s === 'number') return { groupId: req.groupId, topics: [], errorCode: s };
    return s.offsets.fetchOffsets(req);
  }

  /** OffsetDelete (KIP-496): removes committed offsets of topics the group no longer subscribes to. */
  async deleteOffsets(groupId: string, topics: readonly { name: string; partitions: readonly number[] }[]): Promise<OffsetDeleteResult> {
    if (groupId === '') return { errorCode: E.INVALID_GROUP_ID, topics: [] };
    return this.whenReady(async () => {
      const s = this.shardOf(groupId);
      if (typeof s === 'number') return { errorCode: s, topics: [] };
      try {
        return await s.offsets.deleteOffsets(groupId, topics);
      } catch (err) {
        return { errorCode: errorCodeOf(err), topics: [] };
      }
    }, (errorCode) => ({ errorCode, topics: [] }));
  }

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const out: DescribedGroup = { errorCode: E.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
      if (this.unused) {
        if (groupId === '') out.errorCode = E.INVALID_GROUP_ID;
        return out;
      }
      const s = this.shardOf(groupId);
      if (typeof s === 'number') out.errorCode = s;
      else if (groupId === '') out.errorCode = E.INVALID_GROUP_ID;
      const g = typeof s === 'number' || out.errorCode !== E.NONE ? undefined : s.groups.get(groupId);
      if (g === undefined) return out;
      if (g.type === 'consumer') {
        // A KIP-848 group seen through the classic API: its state and members, no classic metadata.
        out.groupState = g.membership.state();
        out.protocolType = g.protocolType;
        out.members = [...g.membership.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.instanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: Buffer.alloc(0),
          memberAssignment: Buffer.alloc(0),
        }));
        return out;
      }
      const stable = g.state === 'Stable';
      out.groupState = g.state;
      out.protocolType = g.protocolType ?? '';
      out.protocolData = stable ? (g.protocolName ?? '') : '';
      out.members = [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        // Kafka reveals metadata and assignment only once they are settled (Stable).
        memberMetadata: stable ? m.metadataFor(g.protocolName ?? '') : Buffer.alloc(0),
        memberAssignment: stable ? m.assignment : Buffer.alloc(0),
      }));
      return out;
    });
  }

  /**
   * Records that share group `groupId` exists (ShareGroupMetadata in its __consumer_offsets
   * partition), so the broker coordinating it after a move knows it while it is empty; null
   * tombstones it (the group was deleted). Resolves once durable; NOT_COORDINATOR etc. as a KafkaError code.
   */
  async storeShareGroup(groupId: string, groupEpoch: number | null): Promise<number> {
    // A share group's first heartbeat may come before anything created __consumer_offsets (one node).
    const err = this.partitionCount === 0 ? await this.ready() : E.NONE;
    if (err !== E.NONE) return err;
    const s = this.shardOf(groupId);
    if (typeof s === 'number') return s;
    return this.runtime.scheduleWriteOperation('share group metadata', this.partitionFor(groupId), (shard) => {
      const known = shard.shareGroups.get(groupId);
      // Nothing to write: already recorded (any epoch: only existence is read back), or already gone.
      if (groupEpoch === null ? known === undefined : known !== undefined) return { records: [], response: E.NONE as number };
      return { records: [{ type: 'share-group', groupId, value: groupEpoch === null ? null : { groupEpoch } }], response: E.NONE as number };
    });
  }

  /** The share groups recorded in the __consumer_offsets partitions active here (those this broker coordinates). */
  shareGroupIds(): string[] {
    return this.activeShards().flatMap((shard) => [...shard.shareGroups.keys()]);
  }

  /** ListGroups over every partition led here; state names are matched case-insensitively, types against "classic"/"consumer". */
  listGroups(statesFilter: readonly string[] = [], typesFilter: readonly string[] = []): { errorCode: number; groups: ListedGroup[] } {
    // Never used yet: no groups (ListGroups goes to every broker, not through FindCoordinator).
    if (this.starting === undefined && this.partitionCount === 0) return { errorCode: E.NONE, groups: [] };
    if (this.isLoading) return { errorCode: E.COORDINATOR_LOAD_IN_PROGRESS, groups: [] };
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(typesFilter.map((s) => s.toLowerCase()));
    const groups: ListedGroup[] = [];
    for (const shard of this.activeShards()) {
      for (const g of shard.groups.values()) {
        const state = g.type === 'consumer' ? g.membership.state() : g.state;
        if (states.size > 0 && !states.has(state.toLowerCase())) continue;
        if (types.size > 0 && !types.has(g.type)) continue;
        groups.push({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: state, groupType: g.type });
      }
    }
    return { errorCode: E.NONE, groups };
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const err = groupIds.some((g) => g !== '') && this.partitionCount === 0 ? await this.ready() : E.NONE;
    if (err !== E.NONE) return groupIds.map((groupId) => ({ groupId, errorCode: groupId === '' ? E.INVALID_GROUP_ID : err }));
    return Promise.all(
      groupIds.map(async (groupId) => {
        if (groupId === '') return { groupId, errorCode: E.INVALID_GROUP_ID };
        const s = this.shardOf(groupId);
        if (typeof s === 'number') return { groupId, errorCode: s };
        try {
          return { groupId, errorCode: await this.runtime.scheduleWriteOperation('DeleteGroups', this.partitionFor(groupId), (shard) => shard.deleteGroupOp(groupId)) };
        } catch (err) {
          this.opts.onError?.(err, `deleting group ${groupId}`);
          return { groupId, errorCode: errorCodeOf(err) };
        }
      }),
    );
  }

  /** Expires offsets past retention on every partition (the retention timer does this each check interval). Returns tombstones written. */
  async expireOffsets(): Promise<number> {
    let written = 0;
    for (const p of this.runtime.partitions()) {
      if (this.runtime.shard(p) === undefined) continue;
      written += await this.runtime.scheduleWriteOperation('expire offsets', p, (shard) => shard.expireOffsetsOp());
    }
    return written;
  }

  /** Per-partition lag of a group's committed offsets against the high watermarks. */
  lag(groupId: string, highWatermark: (topic: string, partition: number) => bigint | undefined): PartitionLag[] {
    if (this.unused) return [];
    const s = this.shardOf(groupId);
    const g = typeof s === 'number' ? undefined : s.groups.get(groupId);
    if (g === undefined) return [];
    return computeLag(groupId, g.offsets, highWatermark);
  }

  /** Settles once no partition has an operation (append) queued or in flight. */
  whenIdle(): Promise<void> {
    return this.runtime.idle();
  }

  groupIds(): string[] {
    return this.activeShards().flatMap((s) => [...s.groups.keys()]);
  }

  /** Unloads every partition (parked requests answered NOT_COORDINATOR, appends in flight settled). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unfollow();
    await this.starting?.catch(() => undefined);
    await this.runtime.close();
    this.ownClock?.cancelAll();
  }
}

function errorCodeOf(err: unknown): number {
  return err instanceof KafkaError ? err.errorCode : E.UNKNOWN_SERVER_ERROR;
}
