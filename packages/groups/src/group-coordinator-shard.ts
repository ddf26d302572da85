// One partition of __consumer_offsets and the groups it coordinates (Kafka's GroupCoordinatorShard):
// the groups map, the classic membership protocol, KIP-848 heartbeats and committed offsets of every
// group whose id hashes to the partition. Every request that changes a group is a coordinator
// operation (records appended, then replayed): offsets, deletes, expiry, KIP-848 heartbeats, and
// the classic JoinGroup / SyncGroup / LeaveGroup and their timers, whose in-flight rebalance state
// stays in memory as Kafka's does (group-membership.ts says what is written); loading replays it all.
import type { CoordinatorResult, CoordinatorShard, ShardContext } from '@mq/coordinator';
import { decodeSubscription } from '@mq/protocol';
import type { Cancel, Clock } from '@mq/timerwheel';
import { ClassicGroup } from './classic-group';
import { ConsumerGroup } from './consumer-group';
import type { Group } from './group';
import type { GroupCoordinatorConfig } from './config';
import { consumerGroupTombstones, replayConsumerRecord } from './consumer-group-records';
import type { TopicResolver } from './consumer-group-assignment';
import { type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, ConsumerGroupProtocol } from './consumer-group-protocol';
import { ErrorCode as E } from '@mq/protocol';
import { GroupMembership } from './group-membership';
import { OffsetManager } from './offset-manager';
import type { GroupRecord } from './records/group-record';
import { restoreGroup } from './classic-group-records';
import type { RequestMeta } from './group-api';

export interface GroupShardOptions {
  readonly ctx: ShardContext<GroupCoordinatorShard, GroupRecord>;
  readonly config: GroupCoordinatorConfig;
  readonly topicExists: (topic: string, partition: number) => boolean;
  readonly topics: TopicResolver;
  readonly topicsVersion: () => number;
  readonly onError: (err: unknown, context: string) => void;
}

export class GroupCoordinatorShard implements CoordinatorShard<GroupRecord> {
  readonly groups = new Map<string, Group>();
  /** Share groups (KIP-932) coordinated here, with their epoch: @mq/share keeps their members; this is what survives a move. */
  readonly shareGroups = new Map<string, number>();
  readonly clock: Clock;
  readonly membership: GroupMembership;
  readonly offsets: OffsetManager;
  readonly consumerProtocol: ConsumerGroupProtocol;
  private loading = true;
  private unloaded = false;
  private retentionTimer: Cancel | null = null;

  constructor(private readonly opts: GroupShardOptions) {
    const { ctx, config } = opts;
    this.clock = ctx.clock;
    const host = {
      clock: this.clock,
      config,
      getGroup: (id: string) => this.groups.get(id),
      createGroup: (id: string) => this.createGroup(id),
      discardIfUnused: (g: Group) => this.discardIfUnused(g),
      onError: (err: unknown, c: string) => opts.onError(err, c),
    };
    // Classic operations start at once on an idle loop: a request keeps its place relative to the
    // synchronous ones (Heartbeat, DescribeGroups) that follow it, as when they changed memory directly.
    this.membership = new GroupMembership({
      ...host,
      toClassic: (g) => this.toClassic(g),
      runOp: (name, op) => ctx.scheduleWrite(name, op, { startIfIdle: true }),
    });
    this.consumerProtocol = new ConsumerGroupProtocol({
      clock: this.clock,
      sessionTimeoutMs: config.consumerSessionTimeoutMs,
      heartbeatIntervalMs: config.consumerHeartbeatIntervalMs,
      topics: opts.topics,
      topicsVersion: opts.topicsVersion,
      getGroup: (id) => this.groups.get(id),
      runOp: (name, op) => ctx.scheduleWrite(name, op),
      onError: (err, c) => opts.onError(err, c),
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
      topicExists: (t, p) => opts.topicExists(t, p),
      runOp: (name, op) => ctx.scheduleWrite(name, op),
      isSubscribedTo: (g, topic) => this.isSubscribedTo(g, topic),
    });
  }

  private createGroup(groupId: string): ClassicGroup {
    const g = new ClassicGroup(groupId, this.clock.now());
    this.groups.set(groupId, g);
    return g;
  }

  private discardIfUnused(g: Group): void {
    // A KIP-848 group exists only through its records; a classic one may have been created for a request that then failed.
    if (g.type === 'classic' && g.isIdle && g.offsets.size === 0 && g.generationId === 0) {
      if (this.groups.get(g.groupId) === g) this.groups.delete(g.groupId);
    }
  }

  /** The group as a classic one: an empty KIP-848 group is replaced by a classic group with its offsets. */
  private toClassic(g: Group): ClassicGroup {
    if (g.type === 'classic') return g;
    this.consumerProtocol.shutdown(g.membership);
    const classic = new ClassicGroup(g.groupId, this.clock.now(), g.offsets);
    this.groups.set(g.groupId, classic);
    return classic;
  }

  /** The group as a KIP-848 one: a classic group (empty, or at load a record stream that switched) is replaced, its offsets kept. */
  private toConsumer(g: Group): ConsumerGroup {
    if (g.type === 'consumer') return g;
    this.membership.shutdownGroup(g, E.UNKNOWN_MEMBER_ID);
    // Kafka keeps no state timestamp for these groups: retention of an empty one runs from here.
    const consumer = new ConsumerGroup(g.groupId, this.clock.now(), g.offsets);
    this.groups.set(g.groupId, consumer);
    return consumer;
  }

  /** Applies one record, while loading or live after its append. */
  replay(r: GroupRecord): void {
    if (r.type === 'share-group') {
      if (r.value === null) this.shareGroups.delete(r.groupId);
      else this.shareGroups.set(r.groupId, r.value.groupEpoch);
      return;
    }
    const existing = this.groups.get(r.groupId);
    switch (r.type) {
      case 'offset':
        if (existing === undefined && (!this.loading || r.value === null)) return;
        this.offsets.applyOffset(existing ?? this.createGroup(r.groupId), r.topic, r.partition, r.value);
        return;
      case 'txn-offset':
        this.offsets.applyTxnOffset(r);
        return;
      case 'group':
        if (r.value === null) {
          // The group tombstone ends everything before it, including an offset whose commit raced the delete.
          if (existing !== undefined) this.dropGroup(existing);
          return;
        }
        // A classic record after KIP-848 records (loading): the group went back to the classic protocol.
        if (this.loading) restoreGroup(this.toClassic(existing ?? this.createGroup(r.groupId)), r.value);
        else if (existing?.type === 'classic') this.membership.applyGroupRecord(existing, r.value);
        return;
      case 'consumer-group':
      case 'consumer-partition-metadata':
      case 'consumer-member':
      case 'consumer-target':
      case 'consumer-target-member':
      case 'consumer-assignment': {
        if (r.value === null && existing === undefined) return;
        const g = this.toConsumer(existing ?? this.createGroup(r.groupId));
        if (!replayConsumerRecord(g, r, this.opts.topics, this.clock.now())) this.dropGroup(g);
        return;
      }
    }
  }

  /** Dead: out of the map, every timer cancelled, parked requests answered. */
  private dropGroup(g: Group): void {
    if (g.type === 'classic') {
      this.membership.shutdownGroup(g, E.COORDINATOR_NOT_AVAILABLE);
      if (g.state !== 'Dead') g.transitionTo('Dead', this.clock.now());
    } else {
      this.consumerProtocol.shutdown(g.membership);
    }
    if (this.groups.get(g.groupId) === g) this.groups.delete(g.groupId);
  }

  onLoaded(): void {
    for (const g of this.groups.values()) {
      if (g.type === 'classic') for (const m of g.members.values()) this.membership.scheduleSession(g, m);
      else this.consumerProtocol.resume(g);
    }
    this.loading = false;
    this.scheduleRetention();
  }

  /** The partition moved away (or the broker stops): parked requests are answered NOT_COORDINATOR. */
  onUnloaded(): void {
    this.unloaded = true;
    this.retentionTimer?.();
    for (const g of this.groups.values()) {
      if (g.type === 'classic') this.membership.shutdownGroup(g, E.NOT_COORDINATOR);
      else this.consumerProtocol.shutdown(g.membership);
    }
  }

  get isLoading(): boolean {
    return this.loading;
  }

  /** ConsumerGroupHeartbeat as an operation on this shard's loop; rejects when its records could not be appended. */
  consumerGroupHeartbeat(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): Promise<ConsumerGroupHeartbeatResponse> {
    return this.opts.ctx.scheduleWrite('ConsumerGroupHeartbeat', () => this.consumerProtocol.heartbeatOp(req, meta));
  }

  /** Whether the group subscribes to the topic (OffsetDelete): KIP-848 names and regexes, or classic consumer subscriptions. */
  isSubscribedTo(g: Group, topic: string): boolean {
    if (g.type === 'consumer') return this.consumerProtocol.subscribesTo(g.membership, topic);
    if (g.protocolType !== 'consumer' || g.state === 'Empty' || g.state === 'Dead') return false;
    for (const m of g.members.values()) {
      try {
        if (decodeSubscription(m.metadataFor(g.protocolName ?? '')).topics.includes(topic)) return true;
      } catch {
        // An undecodable subscription subscribes to nothing we can name.
      }
    }
    return false;
  }

  /** DeleteGroups of one group of this shard, as an operation (checked on its turn). */
  deleteGroupOp(groupId: string): CoordinatorResult<GroupRecord, number> {
    const g = this.groups.get(groupId);
    if (g === undefined) return { records: [], response: E.GROUP_ID_NOT_FOUND };
    if (g.type === 'classic' ? g.state !== 'Empty' || !g.isEmpty : !g.isEmpty) return { records: [], response: E.NON_EMPTY_GROUP };
    return { records: this.tombstones(g), response: E.NONE };
  }

  private tombstones(g: Group): GroupRecord[] {
    const out: GroupRecord[] = [];
    for (const [topic, byPartition] of g.offsets) {
      for (const partition of byPartition.keys()) out.push({ type: 'offset', groupId: g.groupId, topic, partition, value: null });
    }
    if (g.type === 'consumer') out.push(...consumerGroupTombstones(g));
    out.push({ type: 'group', groupId: g.groupId, value: null });
    return out;
  }

  /** Offsets past retention as tombstones; an empty group left without offsets also gets its group tombstones. */
  expireOffsetsOp(): CoordinatorResult<GroupRecord, number> {
    const now = this.clock.now();
    const records: GroupRecord[] = [];
    for (const g of this.groups.values()) {
      const expired = this.offsets.expiredOffsetRecords(g, now);
      const allGone = expired.length === g.offsetCount();
      if (g.isIdle && allGone) records.push(...this.tombstones(g));
      else records.push(...expired);
    }
    return { records, response: records.length };
  }

  private scheduleRetention(): void {
    this.retentionTimer = this.clock.schedule(this.opts.config.offsetsRetentionCheckIntervalMs, () => {
      this.opts.ctx
        .scheduleWrite('expire offsets', () => this.expireOffsetsOp())
        .catch((err: unknown) => this.opts.onError(err, 'expiring offsets'))
        .finally(() => {
          if (!this.unloaded) this.scheduleRetention();
        });
    });
  }
}
