// GroupCoordinator: the wire-independent group coordinator of one broker. Owns the groups map,
// loads __consumer_offsets on open (replaying every record), serialises appends to it, and exposes
// the group APIs as methods taking and returning plain protocol-shaped objects.
import { ClassicGroup } from './classic-group';
import { type Clock, type TimerHandle, systemClock } from './clock';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from './config';
import { ErrorCode as E } from '@mq/protocol';
import { GroupsError } from './errors';
import { GroupMember } from './group-member';
import { GroupMembership } from './group-membership';
import { type GroupRecord, type StoredGroup, decodeGroupRecord, encodeGroupRecord } from './group-records';
import { type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, ConsumerGroupProtocol, type TopicResolver } from './consumer-group-protocol';
import { type PartitionLag, computeLag } from './lag';
import { OffsetManager } from './offset-manager';
import type { GroupRecordLog } from './record-log';
import type {
  DescribedGroup,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListedGroup,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchGroupRequest,
  OffsetFetchGroupResponse,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types';

export interface GroupCoordinatorOptions {
  recordLog: GroupRecordLog;
  config?: Partial<GroupCoordinatorConfig>;
  clock?: Clock;
  /** Whether a partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise). */
  topicExists?: (topic: string, partition: number) => boolean;
  /** Topic ids and partition counts for KIP-848 consumer groups (ConsumerGroupHeartbeat). */
  topics?: TopicResolver;
  /** Failures that cannot be answered to a request (background stores, expiry). */
  onError?: (err: unknown, context: string) => void;
}

export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly recordLog: GroupRecordLog;
  private readonly membership: GroupMembership;
  private readonly offsets: OffsetManager;
  private readonly consumerProtocol: ConsumerGroupProtocol;
  private readonly topicExists: (topic: string, partition: number) => boolean;
  private readonly onError: (err: unknown, context: string) => void;
  private loading = true;
  private closed = false;
  /** Appends to the record log one at a time, so replay order equals log order. */
  private writeChain: Promise<void> = Promise.resolve();
  private retentionTimer: TimerHandle | null = null;
  /** Moved by topicsChanged(); KIP-848 groups re-check their subscribed topics when it differs. */
  private topicsVersion = 0;

  private constructor(opts: GroupCoordinatorOptions) {
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...opts.config };
    if (this.config.minSessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      throw new GroupsError('INVALID_CONFIG', 'minSessionTimeoutMs exceeds maxSessionTimeoutMs');
    }
    this.clock = opts.clock ?? systemClock;
    this.recordLog = opts.recordLog;
    this.topicExists = opts.topicExists ?? (() => true);
    this.onError = opts.onError ?? (() => {});
    const host = {
      clock: this.clock,
      config: this.config,
      getGroup: (id: string) => this.groups.get(id),
      createGroup: (id: string) => this.createGroup(id),
      discardIfUnused: (g: ClassicGroup) => this.discardIfUnused(g),
      onError: (err: unknown, ctx: string) => this.onError(err, ctx),
    };
    this.membership = new GroupMembership({
      ...host,
      storeGroup: (g, assignments) => this.write([{ type: 'group', groupId: g.groupId, value: toStoredGroup(g, assignments) }]),
    });
    this.consumerProtocol = new ConsumerGroupProtocol({
      clock: this.clock,
      sessionTimeoutMs: this.config.consumerSessionTimeoutMs,
      heartbeatIntervalMs: this.config.consumerHeartbeatIntervalMs,
      topics: opts.topics ?? { byName: () => undefined, nameOf: () => undefined, names: () => [] },
      topicsVersion: () => this.topicsVersion,
      getGroup: (id) => this.groups.get(id),
      createGroup: (id) => this.createGroup(id),
      storeConsumerGroup: (g, snapshot) => this.write([{ type: 'consumer-group', groupId: g.groupId, value: snapshot }]),
      onError: (err, ctx) => this.onError(err, ctx),
    });
    const self = this;
    this.offsets = new OffsetManager({
      ...host,
      get isLoading() {
        return self.loading;
      },
      touchMember: (g, memberId, instanceId) => {
        const err = this.membership.validateMember(g, memberId, instanceId);
        if (err === E.NONE) this.membership.scheduleSession(g, g.members.get(memberId)!);
        return err;
      },
      topicExists: (t, p) => this.topicExists(t, p),
      write: (records) => this.write(records),
    });
  }

  /** Opens the coordinator: replays the record log, restarts member sessions, starts offset expiry. */
  static async open(opts: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const c = new GroupCoordinator(opts);
    await c.recordLog.replay((raw) => {
      let record: GroupRecord;
      try {
        record = decodeGroupRecord(raw);
      } catch (err) {
        // A record this version cannot read (corrupt, or written by a newer one) is skipped, not fatal.
        c.onError(err, 'skipping an unreadable __consumer_offsets record');
        return;
      }
      c.replay(record);
    });
    for (const g of c.groups.values()) {
      for (const m of g.members.values()) c.membership.scheduleSession(g, m);
      c.consumerProtocol.resume(g);
    }
    c.loading = false;
    c.scheduleRetention();
    return c;
  }

  get isLoading(): boolean {
    return this.loading;
  }

  private createGroup(groupId: string): ClassicGroup {
    const g = new ClassicGroup(groupId, this.clock.now());
    this.groups.set(groupId, g);
    return g;
  }

  private discardIfUnused(g: ClassicGroup): void {
    if (g.state === 'Empty' && g.isEmpty && g.pendingMembers.size === 0 && g.offsets.size === 0 && g.generationId === 0) {
      if (this.groups.get(g.groupId) === g) this.groups.delete(g.groupId);
    }
  }

  /** Appends records (serialised) and applies them once durable: the one path for live writes. */
  private write(records: GroupRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new GroupsError('COORDINATOR_CLOSED', 'group coordinator is closed'));
    const raw = records.map(encodeGroupRecord);
    const appended = this.writeChain.then(() => this.recordLog.append(raw));
    this.writeChain = appended.catch(() => {});
    return appended.then(() => {
      for (const r of records) this.replay(r);
    });
  }

  /**
   * Applies one record. While loading, group records rebuild the group; live, the in-memory group
   * is already the source of the record, so only offset records change state.
   */
  private replay(r: GroupRecord): void {
    const existing = this.groups.get(r.groupId);
    if (r.type === 'offset') {
      if (existing === undefined && (!this.loading || r.value === null)) return;
      this.offsets.applyOffset(existing ?? this.createGroup(r.groupId), r.topic, r.partition, r.value);
      return;
    }
    if (!this.loading) return;
    if (r.type === 'consumer-group') {
      if (r.value === null) this.groups.delete(r.groupId);
      else this.consumerProtocol.restore(existing ?? this.createGroup(r.groupId), r.value);
      return;
    }
    if (r.value === null) {
      // The group tombstone ends everything before it, including an offset whose commit raced the
      // delete (appended before the tombstones, never applied live once the group was gone).
      this.groups.delete(r.groupId);
      return;
    }
    restoreGroup(existing ?? this.createGroup(r.groupId), r.value);
  }

  joinGroup(req: JoinGroupRequest, meta: RequestMeta): Promise<JoinGroupResponse> {
    if (this.loading) return Promise.resolve(errorJoin(E.COORDINATOR_LOAD_IN_PROGRESS, req.memberId));
    return this.membership.joinGroup(req, meta);
  }

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    if (this.loading) {
      return Promise.resolve({ errorCode: E.COORDINATOR_LOAD_IN_PROGRESS, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    }
    return this.membership.syncGroup(req);
  }

  /** Returns the Heartbeat error code. */
  heartbeat(req: HeartbeatRequest): number {
    if (this.loading) return E.COORDINATOR_LOAD_IN_PROGRESS;
    return this.membership.heartbeat(req);
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResponse {
    if (this.loading) return { errorCode: E.COORDINATOR_LOAD_IN_PROGRESS, members: [] };
    return this.membership.leaveGroup(req);
  }

  /** KIP-848 ConsumerGroupHeartbeat (join, heartbeat, leave, server-side assignment). */
  consumerGroupHeartbeat(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): Promise<ConsumerGroupHeartbeatResponse> {
    if (this.loading) {
      return Promise.resolve({ errorCode: E.COORDINATOR_LOAD_IN_PROGRESS, errorMessage: null, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
    }
    return this.consumerProtocol.heartbeat(req, meta);
  }

  /**
   * A topic was created or deleted, or gained partitions. KIP-848 groups subscribed to it (by name or
   * regex) move their group epoch on their next heartbeat, as Kafka's coordinator does on a new metadata image.
   */
  topicsChanged(): void {
    this.topicsVersion++;
  }

  commitOffsets(req: OffsetCommitRequest, retentionTimeMs = -1n): Promise<OffsetCommitResponse> {
    return this.offsets.commitOffsets(req, retentionTimeMs);
  }

  fetchOffsets(req: OffsetFetchGroupRequest): OffsetFetchGroupResponse {
    return this.offsets.fetchOffsets(req);
  }

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const out: DescribedGroup = { errorCode: E.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
      if (this.loading) out.errorCode = E.COORDINATOR_LOAD_IN_PROGRESS;
      else if (groupId === '') out.errorCode = E.INVALID_GROUP_ID;
      const g = out.errorCode === E.NONE ? this.groups.get(groupId) : undefined;
      if (g === undefined) return out;
      if (g.groupType === 'consumer' && g.consumer !== null) {
        // A KIP-848 group seen through the classic API: its state and members, no classic metadata.
        out.groupState = g.consumer.state();
        out.protocolType = 'consumer';
        out.members = [...g.consumer.members.values()].map((m) => ({
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

  /** ListGroups; state names are matched case-insensitively, types against "classic". */
  listGroups(statesFilter: readonly string[] = [], typesFilter: readonly string[] = []): { errorCode: number; groups: ListedGroup[] } {
    if (this.loading) return { errorCode: E.COORDINATOR_LOAD_IN_PROGRESS, groups: [] };
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(typesFilter.map((s) => s.toLowerCase()));
    const groups: ListedGroup[] = [];
    for (const g of this.groups.values()) {
      const state = g.groupType === 'consumer' && g.consumer !== null ? g.consumer.state() : g.state;
      if (states.size > 0 && !states.has(state.toLowerCase())) continue;
      if (types.size > 0 && !types.has(g.groupType)) continue;
      groups.push({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: state, groupType: g.groupType });
    }
    return { errorCode: E.NONE, groups };
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    return Promise.all(
      groupIds.map(async (groupId) => {
        if (this.loading) return { groupId, errorCode: E.COORDINATOR_LOAD_IN_PROGRESS };
        if (groupId === '') return { groupId, errorCode: E.INVALID_GROUP_ID };
        const g = this.groups.get(groupId);
        if (g === undefined) return { groupId, errorCode: E.GROUP_ID_NOT_FOUND };
        if (g.state !== 'Empty' || !g.isEmpty) return { groupId, errorCode: E.NON_EMPTY_GROUP };
        return { groupId, errorCode: await this.removeGroup(g, this.tombstones(g)) };
      }),
    );
  }

  private tombstones(g: ClassicGroup): GroupRecord[] {
    const out: GroupRecord[] = [];
    for (const [topic, byPartition] of g.offsets) {
      for (const partition of byPartition.keys()) out.push({ type: 'offset', groupId: g.groupId, topic, partition, value: null });
    }
    out.push({ type: 'group', groupId: g.groupId, value: null });
    if (g.groupType === 'consumer') out.push({ type: 'consumer-group', groupId: g.groupId, value: null });
    return out;
  }

  /** Empty → Dead: out of the map first (no request sees it any more), then the tombstones. */
  private async removeGroup(g: ClassicGroup, records: GroupRecord[]): Promise<number> {
    this.membership.shutdownGroup(g, E.COORDINATOR_NOT_AVAILABLE);
    if (g.consumer !== null) this.consumerProtocol.shutdown(g.consumer);
    g.transitionTo('Dead', this.clock.now());
    this.groups.delete(g.groupId);
    try {
      await this.write(records);
      return E.NONE;
    } catch (err) {
      this.onError(err, `deleting group ${g.groupId}`);
      return E.UNKNOWN_SERVER_ERROR;
    }
  }

  /** Expires offsets past retention; empty groups left without offsets become Dead. Returns tombstones written. */
  async expireOffsets(): Promise<number> {
    const now = this.clock.now();
    let written = 0;
    for (const g of [...this.groups.values()]) {
      const expired = this.offsets.expiredOffsetRecords(g, now);
      const allGone = expired.length === g.offsetCount();
      if (g.state === 'Empty' && g.isEmpty && g.pendingMembers.size === 0 && allGone) {
        const records = [...expired, { type: 'group', groupId: g.groupId, value: null } as GroupRecord];
        if ((await this.removeGroup(g, records)) === E.NONE) written += records.length;
      } else if (expired.length > 0) {
        await this.write(expired);
        written += expired.length;
      }
    }
    return written;
  }

  private scheduleRetention(): void {
    this.retentionTimer = this.clock.schedule(this.config.offsetsRetentionCheckIntervalMs, () => {
      this.expireOffsets()
        .catch((err: unknown) => this.onError(err, 'expiring offsets'))
        .finally(() => {
          if (!this.closed) this.scheduleRetention();
        });
    });
  }

  /** Per-partition lag of a group's committed offsets against the high watermarks. */
  lag(groupId: string, highWatermark: (topic: string, partition: number) => bigint | undefined): PartitionLag[] {
    const g = this.groups.get(groupId);
    if (g === undefined) return [];
    return computeLag(groupId, g.offsets, highWatermark);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retentionTimer?.cancel();
    for (const g of this.groups.values()) {
      this.membership.shutdownGroup(g, E.COORDINATOR_NOT_AVAILABLE);
      if (g.consumer !== null) this.consumerProtocol.shutdown(g.consumer);
    }
    await this.writeChain;
    await this.recordLog.close();
  }
}

function errorJoin(errorCode: number, memberId: string): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

function toStoredGroup(g: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): StoredGroup {
  return {
    protocolType: g.protocolType,
    generationId: g.generationId,
    protocolName: g.protocolName,
    leaderId: g.leaderId,
    stateTimestamp: BigInt(g.stateTimestamp),
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: m.metadataFor(g.protocolName ?? ''),
      assignment: assignments?.get(m.memberId) ?? m.assignment,
    })),
  };
}

/** Rebuilds a group from its latest metadata record (loading only): Stable with members, else Empty. */
function restoreGroup(g: ClassicGroup, s: StoredGroup): void {
  // A classic record after a KIP-848 snapshot: the group went back to the classic protocol.
  g.groupType = 'classic';
  g.consumer = null;
  g.protocolType = s.protocolType;
  g.generationId = s.generationId;
  g.protocolName = s.protocolName;
  g.leaderId = s.leaderId;
  g.members.clear();
  g.staticMembers.clear();
  // Members only mean something together with the protocol they were assigned under.
  for (const sm of s.protocolName === null ? [] : s.members) {
    const m = new GroupMember({
      memberId: sm.memberId,
      groupInstanceId: sm.groupInstanceId,
      clientId: sm.clientId,
      clientHost: sm.clientHost,
      rebalanceTimeoutMs: sm.rebalanceTimeoutMs,
      sessionTimeoutMs: sm.sessionTimeoutMs,
      protocolType: s.protocolType ?? '',
      protocols: [{ name: s.protocolName ?? '', metadata: sm.subscription }],
    });
    m.assignment = sm.assignment;
    g.members.set(m.memberId, m);
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, m.memberId);
  }
  // Restored directly (not a transition): this is the state the records describe.
  g.state = g.members.size > 0 ? 'Stable' : 'Empty';
  g.stateTimestamp = Number(s.stateTimestamp);
}

