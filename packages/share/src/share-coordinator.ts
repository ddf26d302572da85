// ShareCoordinator: share groups (KIP-932) of one broker, wire-independent. It owns the groups'
// membership (heartbeats, the broker's assignment, session timeouts), the share sessions, one
// SharePartition per (group, topic-partition) fetched — acquiring from the log, acknowledging,
// releasing on lock expiry — and their durable state in __share_group_state (ShareStateStore).
// The Kafka handlers and the HTTP queue API both call it; acquire()/acknowledge() are the
// membership-free core for callers that name their own members.
// In a cluster (`cluster` option) a share-partition lives on its data partition's leader, as
// KIP-932: ShareFetch / ShareAcknowledge elsewhere answer NOT_LEADER_OR_FOLLOWER; its state is read
// from the share coordinator when this broker starts leading (or leads again at a new epoch) and
// written there through the persister (fenced by the leader epoch); membership (heartbeats) stays
// with the group's coordinator, so a leader serves any member id in a share session.
import type { CoordinatorLeadershipSource, LoadSummary } from '@mq/coordinator';
import type { Partition, Topic, TopicManager } from '@mq/partition';
import { ErrorCode as E, KafkaError, kafkaErrorCode } from '@mq/protocol';
import { type Clock, SystemClock } from '@mq/timerwheel';
import { DeadLetterQueue } from './dead-letter-queue';
import { type DeadLetterSink, localDeadLetterSink } from './dead-letter-sink';
import { type AcquireContext, type AcquiredFromLog, acquireFromLog } from './log-acquirer';
import { availableByLane } from './lane-depths';
import { PriorityLanes } from './priority-lanes';
import type { SharePartitionKey } from './records/share-state-record';
import { DEFAULT_SHARE_GROUP_CONFIG, type ShareGroupConfig } from './share-config';
import { ShareGroup, type ShareMember, type TopicLookup } from './share-group';
import { type ArchivedRecord, type AcknowledgementBatch, SharePartition, type ShareState } from './share-partition';
import type {
  DescribedShareGroup,
  ListedShareGroup,
  RequestMeta,
  ShareAcknowledgePartition,
  ShareAcknowledgeRequest,
  ShareAcknowledgeResponse,
  ShareFetchPartition,
  ShareFetchRequest,
  ShareFetchResponse,
  ShareHeartbeatRequest,
  ShareHeartbeatResponse,
  TopicAcknowledgements,
} from './share-protocol';
import type { ShareLeaderOffsets, SharePartitionRef, SharePersister, ShareStateSummary } from './share-persister';
import { FINAL_SHARE_SESSION_EPOCH, INITIAL_SHARE_SESSION_EPOCH, type ShareSession, ShareSessionCache } from './share-session';
import { type PrunedPartition, ShareStateStore } from './share-state-store';
import { ShareStateWriter } from './share-state-writer';
import { type SessionFetchContext, fetchForSession } from './share-session-fetch';
import type { ShareObserver, ShareStep } from './share-step';

export interface ShareCoordinatorOptions {
  topicManager: TopicManager;
  config?: Partial<ShareGroupConfig>;
  /** Every lock and session timer runs on it; default a SystemClock owned by the coordinator. */
  clock?: Clock;
  /** Whether a group id belongs to a classic or consumer group (then it cannot be a share group). */
  isOtherGroup?: (groupId: string) => boolean;
  /** Records rejected, past the delivery limit or expired, archived (told after their dead letters are durable, if any). */
  onArchived?: (key: SharePartitionKey, records: readonly ArchivedRecord[]) => void;
  /** Every step of every share-partition's records (tracing, metrics); absent, nothing is collected for it. */
  observer?: ShareObserver;
  onError?: (err: unknown, context: string) => void;
  /** A cluster member's wiring; absent on one node (every partition led here, state in process). */
  cluster?: ShareClusterOptions;
  /** Where dead letters go; default this broker's TopicManager (one node). A cluster's creates through the controller and appends at the DLQ leader. */
  deadLetterSink?: DeadLetterSink;
  /** Where the groups' existence is recorded (apps/broker: ShareGroupMetadata in __consumer_offsets), so an empty group is still known after its coordinator moved or restarted. */
  groupStore?: ShareGroupStore;
}

/** The share groups' durable existence, kept by the group coordinator (Kafka's ShareGroupMetadata records). */
export interface ShareGroupStore {
  /** Records that the group exists; resolves with a Kafka error code once durable. */
  store(groupId: string, groupEpoch: number): Promise<number>;
  /** Tombstones it (the group was deleted); a Kafka error code. */
  drop(groupId: string): Promise<number>;
  /** The recorded groups this broker coordinates now. */
  ids(): readonly string[];
}

export interface ShareClusterOptions {
  /** Leadership of the replicated __share_group_state: this broker's share coordinator follows it. */
  readonly leadership: CoordinatorLeadershipSource;
  /** Reads / writes a share-partition's state at its share coordinator (this broker or another). */
  readonly persister: SharePersister;
  /** Whether this broker leads the data partition now. */
  readonly ledHere: (partition: Partition) => boolean;
  /** The offsets admin's changes applied at each share-partition's leader (this broker or forwarded). */
  readonly leaderOffsets?: ShareLeaderOffsets;
  readonly onLoaded?: (partitionIndex: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) => void;
  readonly onUnloaded?: (partitionIndex: number) => void;
}

/**
 * Waits until one of the partitions may have new records or `woken` aborts (record locks were freed
 * on one of the request's share-partitions) — a long poll; resolves true while the request's
 * MaxWaitMs has time left (it may wait again), false once it ran out. Never rejects.
 */
export type WaitForRecords = (partitions: readonly Partition[], woken: AbortSignal) => Promise<boolean>;

const DEFAULT_MAX_RECORDS = 500;
const SIMPLE_ASSIGNOR = 'simple';

const keyString = (groupId: string, topicId: string, partition: number): string => `${topicId}:${partition}:${groupId}`;

export class ShareCoordinator {
  readonly config: ShareGroupConfig;
  readonly clock: Clock;
  private readonly ownClock: SystemClock | undefined;
  private readonly store: ShareStateStore;
  private readonly groups = new Map<string, ShareGroup>();
  private readonly sessions: ShareSessionCache;
  private readonly partitions = new Map<string, SharePartition>();
  private readonly loading = new Map<string, Promise<SharePartition>>();
  private readonly writer: ShareStateWriter;
  /** What a ShareFetch's acquisitions run with (share-session-fetch.ts). */
  private readonly fetchContext: SessionFetchContext;
  /** Long-polling ShareFetches per share-partition, woken when its record locks are freed (Kafka's share fetch purgatory). */
  private readonly parked = new Map<SharePartition, Set<AbortController>>();
  /** Each share-partition's priority-lane scheduler (in memory: a restart starts the round afresh). */
  private readonly lanes = new WeakMap<SharePartition, AcquireContext['lanes']>();
  private closed = false;

  private constructor(private readonly opts: ShareCoordinatorOptions) {
    this.config = { ...DEFAULT_SHARE_GROUP_CONFIG, ...opts.config };
    if (opts.clock === undefined) this.ownClock = new SystemClock();
    this.clock = opts.clock ?? this.ownClock!;
    this.sessions = new ShareSessionCache(Math.max(1, this.config.maxSize) * 1000);
    this.store = new ShareStateStore({
      topicManager: opts.topicManager,
      clock: this.clock,
      numPartitions: this.config.stateTopicNumPartitions,
      snapshotUpdateRecordsPerSnapshot: this.config.snapshotUpdateRecordsPerSnapshot,
      pruneIntervalMs: this.config.stateTopicPruneIntervalMs,
      ...(opts.onError === undefined ? {} : { onError: opts.onError }),
      ...(opts.cluster === undefined
        ? {}
        : {
            leadership: opts.cluster.leadership,
            ...(opts.cluster.onLoaded !== undefined ? { onLoaded: opts.cluster.onLoaded } : {}),
            ...(opts.cluster.onUnloaded !== undefined ? { onUnloaded: opts.cluster.onUnloaded } : {}),
          }),
    });
    this.fetchContext = {
      topicManager: opts.topicManager,
      sharePartition: (groupId, topicId, partition) => this.sharePartition(groupId, topicId, partition),
      acquireContext: (sp) => this.acquireContext(sp),
      persist: (sp) => this.persist(sp),
      onError: (err, context) => opts.onError?.(err, context),
    };
    this.writer = new ShareStateWriter({
      topicManager: opts.topicManager,
      store: this.store,
      deadLetters: new DeadLetterQueue(opts.deadLetterSink ?? localDeadLetterSink(opts.topicManager), () => this.clock.now()),
      ...(opts.cluster === undefined ? {} : { persister: opts.cluster.persister }),
      ...(opts.observer === undefined ? {} : { observer: opts.observer }),
      ...(opts.onArchived === undefined ? {} : { onArchived: opts.onArchived }),
      ...(opts.onError === undefined ? {} : { onError: opts.onError }),
    });
  }

  /** Opens the coordinator; when __share_group_state exists its state is loaded (and its groups listed) before this resolves. */
  static async open(opts: ShareCoordinatorOptions): Promise<ShareCoordinator> {
    const c = new ShareCoordinator(opts);
    if (c.store.exists) {
      await c.store.prepare();
      for (const k of c.store.keys()) c.groupOf(k.groupId);
    }
    return c;
  }

  // ---- membership ----

  heartbeat(req: ShareHeartbeatRequest, meta: RequestMeta): ShareHeartbeatResponse {
    const fail = (errorCode: number, errorMessage: string): ShareHeartbeatResponse => ({
      errorCode,
      errorMessage,
      memberId: req.memberId,
      memberEpoch: -1,
      heartbeatIntervalMs: 0,
      assignment: null,
    });
    if (this.closed) return fail(E.NOT_COORDINATOR, 'the share coordinator is shutting down');
    if (req.groupId === '') return fail(E.INVALID_GROUP_ID, 'GroupId cannot be empty.');
    if (req.memberId === '') return fail(E.INVALID_REQUEST, 'MemberId cannot be empty.');
    if (this.opts.isOtherGroup?.(req.groupId) === true) return fail(E.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a share group.`);
    const group = this.groups.get(req.groupId);
    let member = group?.members.get(req.memberId);
    if (req.memberEpoch === -1) {
      if (group !== undefined && member !== undefined) this.removeMember(group, member);
      return { errorCode: E.NONE, errorMessage: null, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
    }
    if (req.memberEpoch < -1) return fail(E.INVALID_REQUEST, `MemberEpoch ${req.memberEpoch} is invalid.`);
    if (req.memberEpoch === 0) {
      if (member === undefined && (req.subscribedTopicNames === null || req.subscribedTopicNames.length === 0)) {
        return fail(E.INVALID_REQUEST, 'SubscribedTopicNames must be set in first request.');
      }
      const g = this.groupOf(req.groupId);
      if (member === undefined) {
        if (g.members.size >= this.config.maxSize) return fail(E.GROUP_MAX_SIZE_REACHED, `The share group has reached its maximum size of ${this.config.maxSize}.`);
        member = { memberId: req.memberId, memberEpoch: 0, rackId: null, clientId: '', clientHost: '', subscribedTopicNames: [], assignment: new Map(), expireSession: undefined };
        g.members.set(member.memberId, member);
      }
      member.memberEpoch = 0;
    } else {
      if (group === undefined || member === undefined) return fail(E.UNKNOWN_MEMBER_ID, `Member ${req.memberId} is not a member of share group ${req.groupId}.`);
      if (req.memberEpoch !== member.memberEpoch) {
        return fail(E.FENCED_MEMBER_EPOCH, `The share group member has epoch ${req.memberEpoch}, the coordinator expects ${member.memberEpoch}.`);
      }
    }
    const g = this.groups.get(req.groupId)!;
    // Every heartbeat until it is durable: a failed write (the coordinator loading) is retried by the next.
    this.recordGroup(g);
    member.clientId = meta.clientId;
    member.clientHost = meta.clientHost;
    if (req.rackId !== null) member.rackId = req.rackId;
    if (req.subscribedTopicNames !== null) member.subscribedTopicNames = [...req.subscribedTopicNames];
    g.reassign(this.lookupTopic);
    this.touchSession(g, member);
    const told = member.memberEpoch;
    member.memberEpoch = g.groupEpoch;
    return {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      // Sent when the epoch moved (or on a join); null means "unchanged" to clients.
      assignment: told === member.memberEpoch && req.memberEpoch !== 0 ? null : { topicPartitions: [...member.assignment].map(([topicId, ps]) => ({ topicId, partitions: [...ps] })) },
    };
  }

  describeGroups(groupIds: readonly string[]): DescribedShareGroup[] {
    this.adoptStoredGroups();
    return groupIds.map((groupId) => {
      const g = this.groups.get(groupId);
      if (g === undefined) {
        const other = this.opts.isOtherGroup?.(groupId) === true;
        return {
          errorCode: E.GROUP_ID_NOT_FOUND,
          errorMessage: other ? `Group ${groupId} is not a share group.` : `Group ${groupId} not found.`,
          groupId,
          groupState: 'Dead',
          groupEpoch: -1,
          assignmentEpoch: -1,
          assignorName: '',
          members: [],
        };
      }
      return {
        errorCode: E.NONE,
        errorMessage: null,
        groupId,
        groupState: g.state,
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: SIMPLE_ASSIGNOR,
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          rackId: m.rackId,
          memberEpoch: m.memberEpoch,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscribedTopicNames: [...m.subscribedTopicNames],
          assignment: {
            topicPartitions: [...m.assignment].map(([topicId, partitions]) => ({
              topicId,
              topicName: this.opts.topicManager.getById(topicId)?.name ?? '',
              partitions: [...partitions],
            })),
          },
        })),
      };
    });
  }

  listGroups(): ListedShareGroup[] {
    this.adoptStoredGroups();
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, groupState: g.state }));
  }

  hasGroup(groupId: string): boolean {
    this.adoptStoredGroups();
    return this.groups.has(groupId);
  }

  /** Groups recorded by the group coordinator that this broker does not hold in memory (its coordinator moved here, or a restart): Empty. */
  private adoptStoredGroups(): void {
    const store = this.opts.groupStore;
    if (store === undefined) return;
    for (const groupId of store.ids()) {
      if (this.groups.has(groupId)) continue;
      this.groupOf(groupId).recorded = true;
    }
  }

  /** Records a group's existence once; a failure is logged and retried at the next heartbeat. */
  private recordGroup(g: ShareGroup): void {
    const store = this.opts.groupStore;
    if (store === undefined || g.recorded) return;
    g.recorded = true;
    store
      .store(g.groupId, g.groupEpoch)
      .then((code) => {
        if (code !== E.NONE) throw new KafkaError(code, `recording share group ${g.groupId}`);
      })
      .catch((err: unknown) => {
        g.recorded = false;
        this.opts.onError?.(err, `recording share group ${g.groupId}`);
      });
  }

  /** DeleteGroups for a share group: NONE, GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP; its state is deleted too. */
  async deleteGroup(groupId: string): Promise<number> {
    this.adoptStoredGroups();
    const g = this.groups.get(groupId);
    if (g === undefined) return E.GROUP_ID_NOT_FOUND;
    if (g.members.size > 0) return E.NON_EMPTY_GROUP;
    try {
      const atLeaders = this.opts.cluster?.leaderOffsets;
      if (atLeaders === undefined) await this.deleteState(groupId, () => true);
      else {
        // A cluster: each topic with state for the group is dropped at its partitions' leaders.
        const withState = await this.topicsWithState(groupId);
        if (typeof withState === 'number') return withState;
        for (const topicName of withState) {
          const res = await atLeaders.delete(groupId, topicName);
          if (res.errorCode !== E.NONE) return res.errorCode;
        }
      }
      // Its record goes last: a failure before leaves the group listed, to be deleted again.
      const dropped = (await this.opts.groupStore?.drop(groupId)) ?? E.NONE;
      if (dropped !== E.NONE) return dropped;
    } catch (err) {
      return kafkaErrorCode(err);
    }
    this.groups.delete(groupId);
    this.sessions.closeGroup(groupId);
    return E.NONE;
  }

  // ---- fetch and acknowledge (Kafka API) ----

  async shareFetch(req: ShareFetchRequest, wait?: WaitForRecords): Promise<ShareFetchResponse> {
    const begun = this.beginSessionRequest(req.groupId, req.memberId, req.shareSessionEpoch, true);
    if (typeof begun === 'number') return { errorCode: begun, errorMessage: null, responses: [] };
    const { groupId, memberId, session } = begun;
    if (req.shareSessionEpoch === INITIAL_SHARE_SESSION_EPOCH && req.topics.some((t) => t.partitions.some((p) => p.acknowledgementBatches.length > 0))) {
      return { errorCode: E.INVALID_REQUEST, errorMessage: 'Acknowledge data present in the initial share fetch request.', responses: [] };
    }
    if (req.shareSessionEpoch !== FINAL_SHARE_SESSION_EPOCH) {
      for (const t of req.topics) for (const p of t.partitions) session.add(t.topicId, p.partitionIndex);
      for (const t of req.forgottenTopicsData) for (const p of t.partitions) session.forget(t.topicId, p);
    }
    const out = new Map<string, ShareFetchPartition>();
    const entry = (topicId: string, partitionIndex: number): ShareFetchPartition => {
      const k = `${topicId}:${partitionIndex}`;
      let e = out.get(k);
      if (e === undefined) {
        e = { partitionIndex, errorCode: E.NONE, errorMessage: null, acknowledgeErrorCode: E.NONE, acknowledgeErrorMessage: null, records: null, acquiredRecords: [] };
        out.set(k, e);
      }
      return e;
    };
    // A request that will fetch competes for its loaded share-partitions' locks from its start: the
    // locks its own acknowledgements free are shared with the parked fetches they wake.
    const touched = new Set<SharePartition>();
    const fetching = req.shareSessionEpoch !== FINAL_SHARE_SESSION_EPOCH && !req.isRenewAck;
    if (fetching) {
      for (const { topicId, partition } of session.partitions.values()) {
        const sp = this.partitions.get(keyString(groupId, topicId, partition));
        if (sp === undefined) continue;
        touched.add(sp);
        sp.beginFetch(memberId);
      }
    }
    let acks: Awaited<ReturnType<ShareCoordinator['applyAcknowledgements']>>;
    try {
      acks = await this.applyAcknowledgements(groupId, memberId, req.topics, req.allowRenew);
    } catch (err) {
      for (const sp of touched) sp.endFetch(memberId);
      throw err;
    }
    for (const a of acks) Object.assign(entry(a.topicId, a.partitionIndex), { acknowledgeErrorCode: a.errorCode, acknowledgeErrorMessage: a.errorMessage });
    if (req.shareSessionEpoch === FINAL_SHARE_SESSION_EPOCH) {
      await this.closeSession(groupId, memberId);
    } else if (fetching) {
      const epoch = req.shareSessionEpoch;
      const fetch = {
        groupId,
        memberId,
        session,
        // A newer request of the member (next epoch, new session, close) means its client gave up on this one.
        owned: () => !this.closed && this.sessions.get(groupId, memberId) === session && session.epoch === epoch,
        maxRecords: req.maxRecords > 0 ? req.maxRecords : DEFAULT_MAX_RECORDS,
        maxBytes: req.maxBytes,
        entry,
        touched,
      };
      try {
        let got = await fetchForSession(this.fetchContext, fetch);
        // Parked until an append or until locks are freed here; the request keeps its place in the
        // fair share meanwhile, so the member that freed them cannot take them all back at once.
        while (got === 0 && wait !== undefined && fetch.owned()) {
          const woken = this.parkOn(fetch.touched);
          let more: boolean;
          try {
            more = await wait(this.sessionPartitions(session), woken.signal);
          } finally {
            this.unpark(fetch.touched, woken);
          }
          got = await fetchForSession(this.fetchContext, fetch);
          if (!more) break;
        }
      } finally {
        for (const sp of fetch.touched) sp.endFetch(memberId);
      }
    }
    return { errorCode: E.NONE, errorMessage: null, responses: groupByTopic(out) };
  }

  async shareAcknowledge(req: ShareAcknowledgeRequest): Promise<ShareAcknowledgeResponse> {
    if (req.shareSessionEpoch === INITIAL_SHARE_SESSION_EPOCH) {
      return { errorCode: E.INVALID_SHARE_SESSION_EPOCH, errorMessage: 'ShareAcknowledge cannot open a share session (epoch 0).', responses: [] };
    }
    const begun = this.beginSessionRequest(req.groupId, req.memberId, req.shareSessionEpoch, false);
    if (typeof begun === 'number') return { errorCode: begun, errorMessage: null, responses: [] };
    const acks = await this.applyAcknowledgements(begun.groupId, begun.memberId, req.topics, req.allowRenew);
    if (req.shareSessionEpoch === FINAL_SHARE_SESSION_EPOCH) await this.closeSession(begun.groupId, begun.memberId);
    const out = new Map<string, ShareAcknowledgePartition>();
    for (const a of acks) out.set(`${a.topicId}:${a.partitionIndex}`, { partitionIndex: a.partitionIndex, errorCode: a.errorCode, errorMessage: a.errorMessage });
    return { errorCode: E.NONE, errorMessage: null, responses: groupByTopic(out) };
  }

  // ---- the persister API (ReadShareGroupState / WriteShareGroupState from the data partitions' leaders) ----

  /** The durable state of a share-partition whose __share_group_state partition this broker leads. */
  readStateForLeader(key: SharePartitionKey, leaderEpoch: number): Promise<ShareState | undefined> {
    return this.store.readForLeader(key, leaderEpoch);
  }

  /** Merges a leader's change into the state; resolves once durable (on the ISR in a cluster). */
  writeStateFromLeader(key: SharePartitionKey, leaderEpoch: number, change: ShareState): Promise<void> {
    return this.store.writeFromLeader(key, leaderEpoch, change);
  }

  /** ReadShareGroupStateSummary: a key's durable start offset and state epoch (undefined: no state); claims nothing. */
  readStateSummary(key: SharePartitionKey): Promise<{ stateEpoch: number; startOffset: bigint } | undefined> {
    return this.store.readSummary(key);
  }

  /** DeleteShareGroupState: drops a key's state here (its __share_group_state partition is led here). */
  deleteStateForLeader(key: SharePartitionKey): Promise<void> {
    return this.store.delete(key);
  }

  /** The cluster's route for the offsets admin's changes (undefined on one node: everything is here). */
  get leaderOffsets(): ShareLeaderOffsets | undefined {
    return this.opts.cluster?.leaderOffsets;
  }

  /**
   * Cluster: drops the group's share-partitions of `topicId` whose data partitions this broker leads —
   * unloaded here (their locks end), their state deleted at their share coordinators. The others
   * are their own leaders' to drop.
   */
  async deleteLedState(groupId: string, topicId: string): Promise<void> {
    const cluster = this.opts.cluster;
    const topic = this.opts.topicManager.getById(topicId);
    if (cluster === undefined || topic === undefined) return;
    for (const partition of topic.partitions) {
      if (!cluster.ledHere(partition)) continue;
      this.unloadSharePartition(keyString(groupId, topicId, partition.index));
      await cluster.persister.delete({ groupId, topicId, partition: partition.index });
    }
  }

  /** The topics share groups consume (every topic but the internal ones). */
  consumableTopics(): Topic[] {
    return this.opts.topicManager.list().filter((t) => !t.isInternal);
  }

  /**
   * Cluster: the topics where some share-partition of the group has state, asked at every share
   * coordinator (only they know); the error code of one that could not answer.
   */
  private async topicsWithState(groupId: string): Promise<string[] | number> {
    const topics = this.consumableTopics();
    const refs = topics.flatMap((t) => t.partitions.map((p) => ({ topicId: t.topicId, partition: p.index })));
    const summaries = await this.startOffsets(groupId, refs);
    const failed = summaries.find((s) => s.errorCode !== E.NONE);
    if (failed !== undefined) return failed.errorCode;
    const ids = new Set(summaries.filter((s) => s.startOffset >= 0n).map((s) => s.topicId));
    return topics.filter((t) => ids.has(t.topicId)).map((t) => t.name);
  }

  /** Whether share-partitions live on their data partitions' leaders and their state at other brokers. */
  get clustered(): boolean {
    return this.opts.cluster !== undefined;
  }

  /**
   * The start offset (-1n: no state) of each share-partition of `groupId`: read at each one's share
   * coordinator in a cluster (wherever it is), else from this broker's state; with the Kafka error
   * of a share coordinator that could not answer.
   */
  async startOffsets(groupId: string, partitions: readonly SharePartitionRef[]): Promise<ShareStateSummary[]> {
    const cluster = this.opts.cluster;
    if (cluster !== undefined) return partitions.length === 0 ? [] : cluster.persister.readSummary(groupId, partitions);
    if (this.store.exists) await this.store.prepare();
    return partitions.map((p) => ({ ...p, errorCode: E.NONE, errorMessage: null, startOffset: this.startOffsetOf({ groupId, ...p }) }));
  }

  // ---- the membership-free core (HTTP queue API, tests) ----

  /** Acquires up to maxRecords records of one partition for `memberId`; persisted before it resolves. */
  async acquire(groupId: string, memberId: string, topic: string, partition: number, maxRecords: number, maxBytes = 1 << 20): Promise<AcquiredFromLog & { errorCode: number }> {
    const t = this.opts.topicManager.get(topic);
    const p = t?.partition(partition);
    if (t === undefined || p === undefined) return { errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, records: [], acquired: [] };
    this.groupOf(groupId);
    const sp = await this.sharePartition(groupId, t.topicId, p);
    const got = await acquireFromLog(sp, p, memberId, maxRecords, maxBytes, this.acquireContext(sp));
    await this.persist(sp);
    return { errorCode: E.NONE, ...got };
  }

  /** Acknowledges records of one partition (types as on the wire); NONE once durable, else the Kafka code. */
  async acknowledge(groupId: string, memberId: string, topic: string, partition: number, batches: readonly AcknowledgementBatch[], allowRenew = true): Promise<number> {
    const t = this.opts.topicManager.get(topic);
    const p = t?.partition(partition);
    if (t === undefined || p === undefined) return E.UNKNOWN_TOPIC_OR_PARTITION;
    const sp = await this.sharePartition(groupId, t.topicId, p);
    const code = sp.acknowledge(memberId, batches, allowRenew);
    if (code !== E.NONE) return code;
    try {
      await this.persist(sp);
      return E.NONE;
    } catch (err) {
      return kafkaErrorCode(err);
    }
  }

  /** Gives back everything `memberId` holds in the group (it went away). */
  async releaseMember(groupId: string, memberId: string): Promise<void> {
    const released: SharePartition[] = [];
    for (const sp of this.partitions.values()) if (sp.groupId === groupId && sp.releaseMember(memberId) > 0) released.push(sp);
    await Promise.all(released.map((sp) => this.persist(sp).catch((err: unknown) => this.opts.onError?.(err, 'persisting released records'))));
  }

  /**
   * A long poll outside ShareFetch (the HTTP queue API) parks as a ShareFetch does: `signal` aborts
   * once record locks are freed (acknowledgement, release, lock expiry, a member leaving) on one of
   * the group's share-partitions of `topicId` among `partitions` that are loaded now. `unpark` when
   * the poll stops waiting.
   */
  parkUntilFreed(groupId: string, topicId: string, partitions: readonly number[]): { readonly signal: AbortSignal; unpark(): void } {
    const sps = new Set<SharePartition>();
    for (const p of partitions) {
      const sp = this.partitions.get(keyString(groupId, topicId, p));
      if (sp !== undefined) sps.add(sp);
    }
    const woken = this.parkOn(sps);
    return { signal: woken.signal, unpark: () => this.unpark(sps, woken) };
  }

  private parkOn(sps: ReadonlySet<SharePartition>): AbortController {
    const woken = new AbortController();
    for (const sp of sps) {
      let set = this.parked.get(sp);
      if (set === undefined) {
        set = new Set();
        this.parked.set(sp, set);
      }
      set.add(woken);
    }
    return woken;
  }

  private unpark(sps: ReadonlySet<SharePartition>, woken: AbortController): void {
    for (const sp of sps) {
      const set = this.parked.get(sp);
      if (set === undefined) continue;
      set.delete(woken);
      if (set.size === 0) this.parked.delete(sp);
    }
  }

  /** Record locks were freed on `sp`: every ShareFetch parked on it tries again. */
  private wakeParked(sp: SharePartition): void {
    const set = this.parked.get(sp);
    if (set === undefined) return;
    this.parked.delete(sp);
    for (const woken of set) woken.abort();
  }

  /** The clocks and the lane scheduler an acquisition from `sp` runs with. */
  private acquireContext(sp: SharePartition): AcquireContext {
    let lanes = this.lanes.get(sp);
    if (lanes === undefined) {
      lanes = new PriorityLanes();
      this.lanes.set(sp, lanes);
    }
    return { now: this.clock.now(), monotonic: this.clock.monotonic(), lanes };
  }

  /** Records handed out per priority lane (0 … 4) of a share-partition since it was loaded. */
  servedByLane(groupId: string, topicId: string, partition: number): readonly number[] | undefined {
    const sp = this.partitions.get(keyString(groupId, topicId, partition));
    return sp === undefined ? undefined : this.lanes.get(sp)?.served;
  }

  /**
   * Available records per priority lane (0 … 4) of each loaded share-partition that has seen an
   * mq-priority header, within its look-ahead window (metrics at scrape time; others have one lane).
   */
  async laneDepths(): Promise<(SharePartitionKey & { readonly available: readonly number[] })[]> {
    const out: (SharePartitionKey & { readonly available: readonly number[] })[] = [];
    const now = this.clock.now();
    for (const sp of [...this.partitions.values()]) {
      if (this.lanes.get(sp)?.prioritised !== true) continue;
      const p = this.opts.topicManager.getById(sp.topicId)?.partition(sp.partition);
      if (p === undefined) continue;
      try {
        out.push({ groupId: sp.groupId, topicId: sp.topicId, partition: sp.partition, available: await availableByLane(sp, p, now) });
      } catch (err) {
        this.opts.onError?.(err, 'counting priority-lane depths'); // a partition closing under the scrape: left out this time
      }
    }
    return out;
  }

  /**
   * Deletes the __share_group_state records no share-partition needs any more (before the earliest
   * latest snapshot of each partition led here); runs every share.coordinator.state.topic.prune.interval.ms.
   */
  pruneState(): Promise<PrunedPartition[]> {
    return this.store.prune();
  }

  /** Every share-partition loaded here now (metrics sample their in-flight records). */
  loadedSharePartitions(): IterableIterator<SharePartition> {
    return this.partitions.values();
  }

  /** The in-memory share-partition (loaded on first use), for describe and tests. */
  sharePartitionOf(groupId: string, topicId: string, partition: number): SharePartition | undefined {
    return this.partitions.get(keyString(groupId, topicId, partition));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const g of this.groups.values()) for (const m of g.members.values()) m.expireSession?.();
    for (const sp of this.partitions.values()) sp.close();
    await this.store.close();
    this.ownClock?.cancelAll();
  }

  // ---- state (also used by the offsets admin) ----

  /** The share-partition of (group, topic-partition): loaded from __share_group_state, else started at share.auto.offset.reset. */
  async sharePartition(groupId: string, topicId: string, partition: Partition): Promise<SharePartition> {
    const k = keyString(groupId, topicId, partition.index);
    const cluster = this.opts.cluster;
    if (cluster !== undefined && !cluster.ledHere(partition)) {
      this.unloadSharePartition(k);
      throw new KafkaError(E.NOT_LEADER_OR_FOLLOWER, `${partition.topic}-${partition.index} is not led by this broker`);
    }
    const existing = this.partitions.get(k);
    // Led again at a new epoch: another leader may have moved the state meanwhile, read it afresh.
    if (existing !== undefined && cluster !== undefined && this.writer.leaderEpochOf(existing) !== partition.leaderEpoch) this.unloadSharePartition(k);
    else if (existing !== undefined) return existing;
    let pending = this.loading.get(k);
    if (pending === undefined) {
      pending = this.loadSharePartition(groupId, topicId, partition).finally(() => this.loading.delete(k));
      this.loading.set(k, pending);
    }
    return pending;
  }

  /** Drops the in-memory share-partition (its leadership moved): its locks end here, the new leader has the state. */
  private unloadSharePartition(k: string): void {
    const sp = this.partitions.get(k);
    if (sp === undefined) return;
    sp.close();
    this.writer.forget(sp);
    this.partitions.delete(k);
  }

  private async loadSharePartition(groupId: string, topicId: string, partition: Partition): Promise<SharePartition> {
    const key = { groupId, topicId, partition: partition.index };
    const cluster = this.opts.cluster;
    const leaderEpoch = partition.leaderEpoch;
    let state: ShareState | undefined;
    if (cluster === undefined) {
      await this.store.prepare();
      state = this.store.read(key);
    } else {
      state = await cluster.persister.read(key, leaderEpoch);
    }
    const observer = this.opts.observer;
    const events = {
      ...(observer === undefined ? {} : { onStep: (sp: SharePartition, step: ShareStep) => observer({ groupId: sp.groupId, topicId: sp.topicId, partition: sp.partition }, step) }),
      onBackgroundChange: (sp: SharePartition) => this.persist(sp).catch((err: unknown) => this.opts.onError?.(err, 'persisting expired locks')),
      onArchived: (sp: SharePartition, records: readonly ArchivedRecord[]) => this.writer.archived(sp, records),
      onAvailable: (sp: SharePartition) => this.wakeParked(sp),
    };
    const start = this.config.autoOffsetReset === 'earliest' ? partition.logStartOffset : partition.highWatermark;
    const sp =
      state === undefined
        ? new SharePartition(groupId, topicId, partition.index, this.config, this.clock, start, events)
        : SharePartition.fromState(groupId, topicId, partition.index, this.config, this.clock, state, events);
    if (cluster !== undefined) {
      this.writer.bind(sp, leaderEpoch);
      // Written at once, also over existing state: the new epoch is durable at the coordinator, so a
      // deposed leader's late writes are fenced even after the coordinator itself fails over.
      await cluster.persister.write(key, leaderEpoch, sp.snapshot());
    } else if (state === undefined) {
      // Kafka's InitializeShareGroupState: the start is fixed now, not re-read from the log after a restart.
      await this.store.write(key, sp.snapshot(), () => sp.snapshot());
    }
    this.partitions.set(keyString(groupId, topicId, partition.index), sp);
    return sp;
  }

  /** Writes what changed in a share-partition (its pending dead letters first); resolves once durable. */
  persist(sp: SharePartition): Promise<void> {
    return this.writer.persist(sp);
  }

  /** Writes a share-partition's whole state at once (its start was moved; pending dead letters are dropped with it). */
  persistSnapshot(sp: SharePartition): Promise<void> {
    return this.writer.persistSnapshot(sp);
  }

  /** Every share-partition key of a group with state, in memory or persisted. */
  async stateKeys(groupId: string): Promise<SharePartitionKey[]> {
    if (this.store.exists) await this.store.prepare();
    const out = new Map<string, SharePartitionKey>();
    if (this.store.ready) for (const k of this.store.keys()) if (k.groupId === groupId) out.set(keyString(k.groupId, k.topicId, k.partition), k);
    for (const sp of this.partitions.values()) if (sp.groupId === groupId) out.set(keyString(groupId, sp.topicId, sp.partition), { groupId, topicId: sp.topicId, partition: sp.partition });
    return [...out.values()];
  }

  /** The persisted or in-memory start offset of a share-partition, -1n without state. */
  startOffsetOf(key: SharePartitionKey): bigint {
    const sp = this.partitions.get(keyString(key.groupId, key.topicId, key.partition));
    if (sp !== undefined) return sp.startOffset;
    return this.store.ready ? (this.store.read(key)?.startOffset ?? -1n) : -1n;
  }

  /** Deletes the state of the group's share-partitions that `which` selects. */
  async deleteState(groupId: string, which: (key: SharePartitionKey) => boolean): Promise<void> {
    for (const key of await this.stateKeys(groupId)) {
      if (!which(key)) continue;
      const k = keyString(key.groupId, key.topicId, key.partition);
      const sp = this.partitions.get(k);
      sp?.close();
      if (sp !== undefined) this.writer.forget(sp);
      this.partitions.delete(k);
      await this.store.delete(key);
    }
  }

  /** NONE, GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP: whether the group's offsets may be altered or deleted. */
  emptyGroupStatus(groupId: string, mustExist: boolean): number {
    this.adoptStoredGroups();
    const g = this.groups.get(groupId);
    if (g === undefined) return mustExist ? E.GROUP_ID_NOT_FOUND : E.NONE;
    return g.members.size > 0 ? E.NON_EMPTY_GROUP : E.NONE;
  }

  groupOf(groupId: string): ShareGroup {
    let g = this.groups.get(groupId);
    if (g === undefined) {
      g = new ShareGroup(groupId);
      this.groups.set(groupId, g);
    }
    return g;
  }

  // ---- internals ----

  private beginSessionRequest(
    groupId: string | null,
    memberId: string | null,
    epoch: number,
    opening: boolean,
  ): { groupId: string; memberId: string; session: ShareSession } | number {
    if (this.closed) return E.NOT_COORDINATOR;
    if (groupId === null || groupId === '' || memberId === null || memberId === '') return E.INVALID_REQUEST;
    const member = this.groups.get(groupId)?.members.get(memberId);
    // In a cluster the member heartbeats to the group's coordinator, which may be another broker.
    if (member === undefined && epoch !== FINAL_SHARE_SESSION_EPOCH && this.opts.cluster === undefined) return E.UNKNOWN_MEMBER_ID;
    if (!opening && epoch === INITIAL_SHARE_SESSION_EPOCH) return E.INVALID_SHARE_SESSION_EPOCH;
    const session = this.sessions.begin(groupId, memberId, epoch);
    return typeof session === 'number' ? session : { groupId, memberId, session };
  }

  private async applyAcknowledgements(
    groupId: string,
    memberId: string,
    topics: readonly TopicAcknowledgements[],
    allowRenew: boolean,
  ): Promise<{ topicId: string; partitionIndex: number; errorCode: number; errorMessage: string | null }[]> {
    const results: { topicId: string; partitionIndex: number; errorCode: number; errorMessage: string | null }[] = [];
    const changed = new Set<SharePartition>();
    const pending: { result: (typeof results)[number]; sp: SharePartition }[] = [];
    for (const t of topics) {
      const topic = this.opts.topicManager.getById(t.topicId);
      for (const p of t.partitions) {
        if (p.acknowledgementBatches.length === 0) continue;
        const result = { topicId: t.topicId, partitionIndex: p.partitionIndex, errorCode: E.NONE as number, errorMessage: null as string | null };
        results.push(result);
        const partition = topic?.partition(p.partitionIndex);
        if (topic === undefined || partition === undefined) {
          result.errorCode = topic === undefined ? E.UNKNOWN_TOPIC_ID : E.UNKNOWN_TOPIC_OR_PARTITION;
          continue;
        }
        let sp: SharePartition;
        try {
          sp = await this.sharePartition(groupId, t.topicId, partition);
        } catch (err) {
          // Not led here (NOT_LEADER_OR_FOLLOWER), or its state unreadable now: the client looks the leader up again.
          result.errorCode = kafkaErrorCode(err);
          result.errorMessage = (err as Error).message;
          continue;
        }
        result.errorCode = sp.acknowledge(memberId, p.acknowledgementBatches, allowRenew);
        if (result.errorCode === E.NONE) {
          changed.add(sp);
          pending.push({ result, sp });
        }
      }
    }
    // Durable before the answer: a restart after it loses no acknowledgement.
    const failures = new Map<SharePartition, number>();
    await Promise.all(
      [...changed].map((sp) =>
        this.persist(sp).catch((err: unknown) => {
          failures.set(sp, kafkaErrorCode(err));
          this.opts.onError?.(err, 'persisting acknowledgements');
        }),
      ),
    );
    for (const { result, sp } of pending) {
      const failed = failures.get(sp);
      if (failed !== undefined) result.errorCode = failed;
    }
    return results;
  }

  private sessionPartitions(session: ShareSession): Partition[] {
    const out: Partition[] = [];
    for (const { topicId, partition } of session.partitions.values()) {
      const p = this.opts.topicManager.getById(topicId)?.partition(partition);
      if (p !== undefined) out.push(p);
    }
    return out;
  }

  private async closeSession(groupId: string, memberId: string): Promise<void> {
    this.sessions.close(groupId, memberId);
    await this.releaseMember(groupId, memberId);
  }

  private readonly lookupTopic: TopicLookup = (name) => {
    const t = this.opts.topicManager.get(name);
    return t === undefined || t.isInternal ? undefined : { topicId: t.topicId, partitionCount: t.partitions.length };
  };

  private touchSession(group: ShareGroup, member: ShareMember): void {
    member.expireSession?.();
    member.expireSession = this.clock.schedule(this.config.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) === member) this.removeMember(group, member);
    });
  }

  private removeMember(group: ShareGroup, member: ShareMember): void {
    member.expireSession?.();
    group.members.delete(member.memberId);
    this.sessions.close(group.groupId, member.memberId);
    group.reassign(this.lookupTopic);
    this.releaseMember(group.groupId, member.memberId).catch((err: unknown) => this.opts.onError?.(err, 'releasing a departed member'));
  }
}

function groupByTopic<P extends { partitionIndex: number }>(entries: Map<string, P>): { topicId: string; partitions: P[] }[] {
  const byTopic = new Map<string, P[]>();
  for (const [k, e] of entries) {
    const topicId = k.slice(0, k.lastIndexOf(':'));
    const list = byTopic.get(topicId) ?? [];
    list.push(e);
    byTopic.set(topicId, list);
  }
  return [...byTopic].map(([topicId, partitions]) => ({ topicId, partitions }));
}
