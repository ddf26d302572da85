// ReplicaManager: one per broker in a cluster. The control plane hands it every partition state
// (applyPartitionState) and it makes each local partition leader or follower: as leader it tracks
// the followers' fetches, moves the high watermark (min LEO over the ISR), proposes ISR changes
// through the injected alterPartition (the control plane's CAS) and completes acks=all produces;
// as follower it hands the partition to the ReplicaFetcher of its leader. Transitions of one
// partition run one at a time; handlers' checks are synchronous and read the state as it is.
// The replication quota (KIP-73): fetches of followers outside the ISR for partitions in
// leader.replication.throttled.replicas get no records while the leader quota is exceeded; the
// fetchers leave follower-throttled partitions out likewise (replication-throttle.ts).
import { ErrorCode } from '@mq/protocol';
import type { EpochEndOffset, Partition, ReplicaHooks, TopicManager } from '@mq/partition';
import { type Cancel, type Clock, DelayedOperationPurgatory, repeat } from '@mq/timerwheel';
import { DelayedProduce } from './delayed-produce';
import { UnknownPartitionError } from './errors';
import { LeaderState } from './leader-state';
import type { AlterPartitionRequest, BrokerEndpoint, PartitionState } from './partition-state';
import type { InterBrokerSecurity } from './inter-broker-security';
import { type ReplicationThrottle, leaderThrottled } from './replication-throttle';
import { type FollowerLag, ReplicationStats } from './replication-stats';
import { type FetchState, ReplicaFetcher } from './replica-fetcher';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig, type ReplicationLogger, silentLogger } from './replication-config';

/** OffsetForLeaderEpoch's replica id of a debugging tool, which may ask any replica (Kafka). */
const DEBUGGING_REPLICA_ID = -2;
const NO_EPOCH = -1;
/** After the control plane refused or failed an ISR change, the next proposal for that partition waits this long (no retry storm at fetch rate). */
const ISR_RETRY_BACKOFF_MS = 500;

export interface ReplicaManagerOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  /**
   * Where a broker listens (the control plane's broker registrations); undefined: the broker is not
   * registered (dead, or not started yet) — a leader proposes no ISR expansion for it meanwhile.
   */
  readonly resolveBroker: (nodeId: number) => BrokerEndpoint | undefined;
  /** This broker's own current broker epoch (its membership registration), sent with ISR proposals; undefined: not registered. */
  readonly brokerEpoch?: () => number | undefined;
  /** The leader's ISR proposal; resolves with the committed state or rejects (typed, with a code). */
  readonly alterPartition: (req: AlterPartitionRequest) => Promise<PartitionState>;
  readonly clock: Clock;
  readonly logger?: ReplicationLogger;
  readonly config?: Partial<ReplicationConfig>;
  /** TLS / SASL of the inter-broker listener the fetchers connect to; absent: PLAINTEXT. */
  readonly security?: InterBrokerSecurity;
  /** The leader quota (leader.replication.throttled.rate); absent: no leader throttling. */
  readonly leaderThrottle?: ReplicationThrottle;
  /** The follower quota (follower.replication.throttled.rate), shared by every fetcher; absent: none. */
  readonly followerThrottle?: ReplicationThrottle;
}

/** One local replica the control plane told us about. */
interface Replica {
  readonly key: string;
  readonly topic: string;
  readonly partition: Partition;
  state: PartitionState;
  /** Set while this broker leads the partition in `state.leaderEpoch`. */
  leader: LeaderState | undefined;
  /** Set while it follows; `fetcherOf` is the leader it fetches from. */
  fetch: FetchState | undefined;
  fetcherOf: number;
  readonly hooks: ReplicaHooks;
  /** Monotonic ms before which no ISR change is proposed (set after a failed one). */
  proposeNotBeforeMs: number;
  /** Caught-up followers whose ISR expansion waits for their broker registration (logged once each). */
  readonly awaitingRegistration: Set<number>;
}

/** A partition's leadership on this broker changed: `leader` is the local partition while it leads, else undefined. */
export type LeadershipListener = (topic: string, partitionIndex: number, leader: Partition | undefined, leaderEpoch: number) => void;

export interface OffsetForLeaderEpochResult {
  readonly errorCode: number;
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

export class ReplicaManager {
  readonly nodeId: number;
  readonly config: ReplicationConfig;
  /** Bytes replicated, ISR changes and throttle time since start (read by the broker's metrics). */
  readonly stats = new ReplicationStats();
  private readonly topics: TopicManager;
  /** The clock replication runs on (the stats' held times are on its monotonic ms). */
  readonly clock: Clock;
  private readonly logger: ReplicationLogger;
  private readonly opts: ReplicaManagerOptions;
  private readonly replicas = new Map<string, Replica>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private readonly purgatory: DelayedOperationPurgatory<string, DelayedProduce>;
  private readonly stopIsrCheck: Cancel;
  private readonly leadershipListeners = new Set<LeadershipListener>();
  private closed = false;
  /** This broker's membership lease is lost (see controlPlaneLost). */
  private membershipLost = false;

  constructor(opts: ReplicaManagerOptions) {
    this.opts = opts;
    this.nodeId = opts.nodeId;
    this.topics = opts.topics;
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.config = { ...DEFAULT_REPLICATION_CONFIG, ...opts.config };
    this.purgatory = new DelayedOperationPurgatory(opts.clock);
    // Kafka checks every replica.lag.time.max.ms / 2, so a stuck follower leaves within 1.5× the lag.
    this.stopIsrCheck = repeat(opts.clock, Math.max(1, Math.floor(this.config.replicaLagTimeMaxMs / 2)), () => this.maybeShrinkIsr());
  }

  /**
   * The control plane's state of a partition this broker is a replica of (called on every change;
   * equal states are no-ops, older leader epochs ignored). A higher leader epoch makes it leader or
   * follower; a follower truncates (OffsetForLeaderEpoch) and then fetches. Not in `replicas`: the
   * replica stops (removePartition). The local partition must exist (created by the control plane).
   */
  applyPartitionState(state: PartitionState): Promise<void> {
    return this.chain(`${state.topic}-${state.partition}`, (key) => this.apply(key, state));
  }

  /** This broker left the partition's replicas: stop leading or fetching; the HW is local again. */
  removePartition(topic: string, partition: number): Promise<void> {
    return this.chain(`${topic}-${partition}`, (key) => this.remove(key));
  }

  /**
   * Told after each transition completes: became leader (the partition accepts appends as leader
   * now), became follower, or left the replicas. Coordinators of internal topics load and unload by
   * it. Returns the unsubscribe.
   */
  onLeadershipChange(fn: LeadershipListener): () => void {
    this.leadershipListeners.add(fn);
    return () => this.leadershipListeners.delete(fn);
  }

  /** The partitions of `topic` this broker leads now, with their leader epochs. */
  ledPartitions(topic: string): { partitionIndex: number; partition: Partition; leaderEpoch: number }[] {
    const out: { partitionIndex: number; partition: Partition; leaderEpoch: number }[] = [];
    for (const r of this.replicas.values()) {
      if (r.topic === topic && r.leader !== undefined) out.push({ partitionIndex: r.partition.index, partition: r.partition, leaderEpoch: r.state.leaderEpoch });
    }
    return out;
  }

  private leadershipChanged(r: Replica): void {
    const leader = r.leader === undefined ? undefined : r.partition;
    for (const fn of this.leadershipListeners) {
      try {
        fn(r.topic, r.partition.index, leader, r.state.leaderEpoch);
      } catch (err) {
        this.logger.error({ err, topic: r.topic, partition: r.partition.index }, 'a leadership listener failed');
      }
    }
  }

  /**
   * The broker's membership lease is lost (`lost` true) or held again with the image caught up
   * (false). While it is lost a leader whose ISR it would shrink — a member that has not caught up
   * for replica.lag.time.max.ms — is stranded: the control plane that could take the member out is
   * out of reach, and its lease having run out, the controller has most likely elected another
   * leader, whom the followers now fetch from. A stranded leader serves nothing as leader (produce,
   * fetch, acks=all waiting: NOT_LEADER_OR_FOLLOWER, no leader hint, no ISR proposals), so clients
   * look for the new leader instead of timing out on it for as long as the partition lasts. A
   * leader whose followers keep fetching (etcd itself down, every broker alive) goes on serving:
   * the data plane needs no etcd.
   */
  controlPlaneLost(lost: boolean): void {
    if (this.membershipLost === lost) return;
    this.membershipLost = lost;
    this.logger.warn({ nodeId: this.nodeId, lost }, lost ? 'membership lease lost: leaders whose followers stop fetching step back' : 'membership lease held again: leading as the control plane says');
    if (lost) this.completeStranded();
  }

  /** Whether this broker leads the partition in its image but is stranded (see controlPlaneLost). */
  isStranded(topic: string, partition: number): boolean {
    const r = this.replicas.get(`${topic}-${partition}`);
    return r !== undefined && this.stranded(r);
  }

  private stranded(r: Replica): boolean {
    return this.membershipLost && r.leader !== undefined && r.leader.shrinkFor(this.clock.monotonic(), this.config.replicaLagTimeMaxMs) !== undefined;
  }

  /** Parked acks=all produces of stranded leaders are answered NOT_LEADER_OR_FOLLOWER. */
  private completeStranded(): void {
    for (const r of this.replicas.values()) if (this.stranded(r)) this.purgatory.checkAndComplete(r.key);
  }

  /** The last state applied for a partition (undefined: none). */
  partitionState(topic: string, partition: number): PartitionState | undefined {
    return this.replicas.get(`${topic}-${partition}`)?.state;
  }

  /** True when the control plane gave this partition a state (it is replicated, not single-node). */
  isReplicated(topic: string, partition: number): boolean {
    return this.replicas.has(`${topic}-${partition}`);
  }

  /**
   * For requests only a leader serves: NONE, or FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH when the
   * request's epoch (-1: none given) is older / newer than ours, or NOT_LEADER_OR_FOLLOWER.
   */
  checkLeader(topic: string, partition: number, currentLeaderEpoch: number = NO_EPOCH): number {
    const r = this.replicas.get(`${topic}-${partition}`);
    if (r === undefined) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (currentLeaderEpoch !== NO_EPOCH) {
      if (currentLeaderEpoch < r.state.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
      if (currentLeaderEpoch > r.state.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
    }
    return r.leader === undefined || this.stranded(r) ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.NONE;
  }

  /** Before a produce is appended: leadership, and for acks=all the ISR against min.insync.replicas. */
  checkProduce(topic: string, partition: number, acks: number): number {
    const code = this.checkLeader(topic, partition);
    if (code !== ErrorCode.NONE || acks !== -1) return code;
    const r = this.replicas.get(`${topic}-${partition}`)!;
    return r.leader!.isr.length < this.minInsyncReplicas(r) ? ErrorCode.NOT_ENOUGH_REPLICAS : ErrorCode.NONE;
  }

  /**
   * acks=all: resolves once every ISR member has `lastOffset` (the HW passed it) — NONE, or
   * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas meanwhile —,
   * NOT_LEADER_OR_FOLLOWER when leadership moves, REQUEST_TIMED_OUT after `timeoutMs`. Never rejects.
   */
  awaitIsr(topic: string, partition: number, lastOffset: bigint, timeoutMs: number): Promise<number> {
    const key = `${topic}-${partition}`;
    const check = (required: bigint): number | undefined => {
      const r = this.replicas.get(key);
      if (r?.leader === undefined || this.closed || this.stranded(r)) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
      return r.partition.highWatermark >= required ? this.afterAppendCode(r) : undefined;
    };
    return new Promise<number>((resolve) => {
      this.purgatory.tryCompleteElseWatch(new DelayedProduce(lastOffset + 1n, timeoutMs, check, resolve), [key]);
    });
  }

  /**
   * A follower's Fetch reached the leader (replica_id ≥ 0): checks leadership and epoch, records the
   * follower's log end offset (its fetch offset), moves the HW and may propose adding it to the ISR.
   * `replicaEpoch` is the follower's broker epoch from a v15+ fetch's replica_state (-1: it holds
   * no registration); undefined for an older fetch (the leader's image of its registration is used).
   * KIP-903: a fetch under an older broker epoch than the registration this leader knows is from a
   * gone incarnation and refused NOT_LEADER_OR_FOLLOWER (Kafka's Replica.updateFetchStateOrThrow).
   * Returns the partition's error code (NONE: serve the read up to the log end).
   */
  recordFollowerFetch(topic: string, partition: number, replicaId: number, fetchOffset: bigint, currentLeaderEpoch: number = NO_EPOCH, replicaEpoch?: number): number {
    const code = this.checkLeader(topic, partition, currentLeaderEpoch);
    if (code !== ErrorCode.NONE) return code;
    const r = this.replicas.get(`${topic}-${partition}`)!;
    const l = r.leader!;
    if (!l.followers.has(replicaId)) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (replicaEpoch !== undefined && replicaEpoch >= 0) {
      const registered = this.opts.resolveBroker(replicaId)?.brokerEpoch;
      if (registered !== undefined && registered > replicaEpoch) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    }
    const p = r.partition;
    if (fetchOffset > p.logEndOffset || fetchOffset < p.logStartOffset) return ErrorCode.OFFSET_OUT_OF_RANGE;
    l.recordFetch(replicaId, fetchOffset, this.clock.monotonic(), p.logEndOffset, replicaEpoch);
    this.maybeAdvanceHighWatermark(r);
    const expanded = l.expansionFor(replicaId, p.highWatermark);
    if (expanded !== undefined) this.proposeIsr(r, expanded);
    return ErrorCode.NONE;
  }

  /**
   * Kafka's shouldLeaderThrottle: this broker leads the partition, leader.replication.throttled.replicas
   * names it here, `replicaId` is not in the ISR and the leader quota is exceeded: its fetch gets no
   * records for the partition now. A follower in the ISR is never throttled.
   */
  shouldLeaderThrottle(topic: string, partition: number, replicaId: number): boolean {
    const quota = this.opts.leaderThrottle;
    if (quota === undefined) return false;
    const key = `${topic}-${partition}`;
    const r = this.replicas.get(key);
    const l = r?.leader;
    const held = l !== undefined && !l.isr.includes(replicaId) && leaderThrottled(r!.partition, this.nodeId) && quota.isQuotaExceeded();
    // Asked several times per fetch (each read, the parking): the interval opens once and closes at the first fetch served.
    if (held) this.stats.leaderHeld.hold(`${key}/${replicaId}`, this.clock.monotonic());
    else if (this.stats.leaderHeld.holding) this.stats.leaderHeld.release(`${key}/${replicaId}`, this.clock.monotonic());
    return held;
  }

  /**
   * What a follower fetch was sent of a partition: counted as replication bytes out, and against the
   * leader quota when this leader throttles the partition (each fetch's, in or out of the ISR, as Kafka counts them).
   */
  recordReplicaRead(topic: string, partition: number, bytes: number): void {
    if (bytes <= 0) return;
    this.stats.bytesOut += bytes;
    const quota = this.opts.leaderThrottle;
    if (quota === undefined) return;
    const r = this.replicas.get(`${topic}-${partition}`);
    if (r?.leader !== undefined && leaderThrottled(r.partition, this.nodeId)) quota.record(bytes);
  }

  /** Each follower of each partition led here, with how far it is behind the leader's log end. */
  *followerLag(): Iterable<FollowerLag> {
    const now = this.clock.monotonic();
    for (const r of this.replicas.values()) {
      const l = r.leader;
      if (l === undefined) continue;
      const leo = r.partition.logEndOffset;
      for (const replica of l.followers.keys()) {
        const lag = l.lagOf(replica, leo, now);
        if (lag !== undefined) yield { topic: r.topic, partition: r.partition.index, replica, ...lag };
      }
    }
  }

  /**
   * OffsetForLeaderEpoch (API 23) from the leader-epoch checkpoint. Followers and consumers must ask
   * the leader (with epoch fencing); a debugging client (replica id -2) may ask any replica.
   */
  offsetForLeaderEpoch(topic: string, partition: number, currentLeaderEpoch: number, leaderEpoch: number, replicaId: number): OffsetForLeaderEpochResult {
    const r = this.replicas.get(`${topic}-${partition}`);
    if (replicaId !== DEBUGGING_REPLICA_ID || r === undefined) {
      const code = this.checkLeader(topic, partition, currentLeaderEpoch);
      if (code !== ErrorCode.NONE) return { errorCode: code, leaderEpoch: NO_EPOCH, endOffset: -1n };
    }
    const end: EpochEndOffset = r!.partition.offsetForLeaderEpoch(leaderEpoch);
    return { errorCode: ErrorCode.NONE, leaderEpoch: end.epoch, endOffset: end.endOffset };
  }

  /** KIP-951's hint for a client that asked the wrong broker: who leads, in which epoch. */
  currentLeader(topic: string, partition: number): { leaderId: number; leaderEpoch: number } {
    const r = this.replicas.get(`${topic}-${partition}`);
    // A stranded leader's state names itself: no hint is better than sending the client back here.
    return r === undefined || this.stranded(r) ? { leaderId: -1, leaderEpoch: NO_EPOCH } : { leaderId: r.state.leader, leaderEpoch: r.state.leaderEpoch };
  }

  /** A broker's endpoint, for KIP-951's node_endpoints. */
  endpoint(nodeId: number): BrokerEndpoint | undefined {
    return this.opts.resolveBroker(nodeId);
  }

  /** Stops fetchers and the ISR check; parked acks=all produces answer NOT_LEADER_OR_FOLLOWER. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopIsrCheck();
    await Promise.all([...this.chains.values()].map((c) => c.catch(() => undefined)));
    for (const r of this.replicas.values()) this.purgatory.checkAndComplete(r.key);
    await Promise.all([...this.fetchers.values()].map((f) => f.stop()));
    this.fetchers.clear();
  }

  private chain(key: string, fn: (key: string) => Promise<void>): Promise<void> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => fn(key));
    this.chains.set(key, next);
    const clear = () => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    };
    next.then(clear, clear);
    return next;
  }

  private async apply(key: string, state: PartitionState): Promise<void> {
    if (this.closed) return;
    if (!state.replicas.includes(this.nodeId)) return this.remove(key);
    const topic = this.topics.get(state.topic);
    const partition = topic?.partitions[state.partition];
    if (topic === undefined || partition === undefined) throw new UnknownPartitionError(`no local replica of ${key}: create the topic on broker ${this.nodeId} first`);
    let r = this.replicas.get(key);
    if (r !== undefined && r.partition !== partition) {
      // The topic was deleted and re-created under us: the old replica is gone.
      await this.remove(key);
      r = undefined;
    }
    if (r !== undefined) {
      if (state.leaderEpoch < r.state.leaderEpoch) return;
      if (state.leaderEpoch === r.state.leaderEpoch) {
        if (state.partitionEpoch <= r.state.partitionEpoch) return;
        r.state = state;
        const l = r.leader;
        if (l !== undefined) {
          if (l.replicas.length !== state.replicas.length || l.replicas.some((id) => !state.replicas.includes(id))) {
            for (const id of l.replicas) if (!state.replicas.includes(id)) this.stats.leaderHeld.release(`${key}/${id}`, this.clock.monotonic());
            l.setReplicas(state.replicas);
          }
          this.stats.isrChanged(l.isr.length, state.isr.length);
          l.isr = state.isr;
          l.partitionEpoch = state.partitionEpoch;
          l.pendingIsr = undefined;
          this.maybeAdvanceHighWatermark(r);
        }
        return;
      }
    }
    const rep: Replica = r ?? this.newReplica(key, state, partition);
    const wasLeader = rep.leader !== undefined;
    rep.state = state;
    rep.leader = undefined;
    this.stats.leaderHeld.releasePrefix(`${key}/`, this.clock.monotonic());
    // Waiting acks=all produces see that this broker no longer leads (a re-elected leader keeps them).
    if (wasLeader && state.leader !== this.nodeId) this.purgatory.checkAndComplete(key);
    await this.stopFetching(rep);
    partition.setReplicaHooks(rep.hooks);
    if (state.leader === this.nodeId) {
      await partition.makeLeader(state.leaderEpoch);
      rep.leader = new LeaderState({
        nodeId: this.nodeId,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: state.partitionEpoch,
        replicas: state.replicas,
        isr: state.isr,
        epochStartOffset: partition.logEndOffset,
        nowMs: this.clock.monotonic(),
      });
      this.logger.info({ topic: state.topic, partition: state.partition, leaderEpoch: state.leaderEpoch, isr: state.isr }, 'became leader');
      this.maybeAdvanceHighWatermark(rep);
      this.leadershipChanged(rep);
    } else {
      partition.makeFollower(state.leaderEpoch);
      if (state.leader >= 0) {
        rep.fetch = { topic: state.topic, topicId: topic.topicId, partition, leaderEpoch: state.leaderEpoch, needsTruncation: true, backoffUntilMs: 0, caughtUp: false };
        rep.fetcherOf = state.leader;
        this.fetcherFor(state.leader).add(key, rep.fetch);
      }
      this.logger.info({ topic: state.topic, partition: state.partition, leaderEpoch: state.leaderEpoch, leader: state.leader }, 'became follower');
      if (wasLeader) this.leadershipChanged(rep);
    }
  }

  private newReplica(key: string, state: PartitionState, partition: Partition): Replica {
    const rep: Replica = {
      key,
      topic: state.topic,
      partition,
      state,
      leader: undefined,
      fetch: undefined,
      fetcherOf: -1,
      hooks: { onAppend: () => this.maybeAdvanceHighWatermark(rep) },
      proposeNotBeforeMs: 0,
      awaitingRegistration: new Set(),
    };
    this.replicas.set(key, rep);
    return rep;
  }

  private async remove(key: string): Promise<void> {
    const r = this.replicas.get(key);
    if (r === undefined) return;
    this.replicas.delete(key);
    const wasLeader = r.leader !== undefined;
    r.leader = undefined;
    this.stats.leaderHeld.releasePrefix(`${key}/`, this.clock.monotonic());
    this.purgatory.checkAndComplete(key);
    if (wasLeader) this.leadershipChanged(r);
    await this.stopFetching(r);
    r.partition.setReplicaHooks(undefined);
  }

  private async stopFetching(r: Replica): Promise<void> {
    if (r.fetch === undefined) return;
    r.fetch = undefined;
    await this.fetchers.get(r.fetcherOf)?.remove(r.key);
  }

  private fetcherFor(leaderId: number): ReplicaFetcher {
    let f = this.fetchers.get(leaderId);
    if (f === undefined) {
      f = new ReplicaFetcher({
        nodeId: this.nodeId,
        leaderId,
        endpoint: () => this.opts.resolveBroker(leaderId),
        brokerEpoch: () => this.opts.brokerEpoch?.(),
        clock: this.clock,
        logger: this.logger,
        config: this.config,
        ...(this.opts.security !== undefined ? { security: this.opts.security } : {}),
        ...(this.opts.followerThrottle !== undefined ? { throttle: this.opts.followerThrottle } : {}),
        stats: this.stats,
      });
      this.fetchers.set(leaderId, f);
    }
    return f;
  }

  private maybeAdvanceHighWatermark(r: Replica): void {
    const l = r.leader;
    if (l === undefined) return;
    const p = r.partition;
    const hw = l.highWatermark(p.acknowledgedEndOffset);
    if (hw > p.highWatermark) p.updateHighWatermark(hw);
    this.purgatory.checkAndComplete(r.key);
  }

  private afterAppendCode(r: Replica): number {
    const l = r.leader;
    if (l === undefined) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    return l.isr.length < this.minInsyncReplicas(r) ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE;
  }

  private minInsyncReplicas(r: Replica): number {
    return this.config.minInsyncReplicas?.(r.topic) ?? r.partition.topicConfig.minInsyncReplicas;
  }

  private maybeShrinkIsr(): void {
    // Out of the control plane's reach: no shrink can commit; leaders whose shrink is due are stranded now.
    if (this.membershipLost) {
      this.completeStranded();
      return;
    }
    const now = this.clock.monotonic();
    for (const r of this.replicas.values()) {
      const shrunk = r.leader?.shrinkFor(now, this.config.replicaLagTimeMaxMs);
      if (shrunk !== undefined) this.proposeIsr(r, shrunk);
    }
  }

  /**
   * One AlterPartition at a time per partition; the answer (or refusal) is applied if still current.
   * KIP-841: an expansion only for followers whose broker is registered now — one that fetches
   * before its registration is seen (a broker starting, or re-registering after a lost lease)
   * would be refused INELIGIBLE_REPLICA at fetch rate; its next fetch after the registration asks
   * again — and with the broker epochs this leader saw, so the control plane can refuse a follower
   * that re-registered since. A joining follower is named under the epoch its own v15 fetch gave
   * (KIP-903), and only once that equals its registration in this leader's image (Kafka's
   * isBrokerEpochIsrEligible): a restarted broker that fetches before it registered again (-1), or
   * under a registration the image has not caught up with, is not proposed — never under its
   * previous incarnation's registration, which the image may still hold for a lease's TTL.
   */
  private awaitRegistration(r: Replica, id: number, msg: string): void {
    if (r.awaitingRegistration.has(id)) return;
    r.awaitingRegistration.add(id);
    this.logger.info({ topic: r.topic, partition: r.partition.index, replica: id, brokerEpoch: r.leader?.followers.get(id)?.brokerEpoch }, msg);
  }

  private proposeIsr(r: Replica, isr: readonly number[]): void {
    const l = r.leader;
    if (l === undefined || l.pendingIsr !== undefined || this.membershipLost || this.clock.monotonic() < r.proposeNotBeforeMs) return;
    const ownEpoch = this.opts.brokerEpoch?.();
    if (this.opts.brokerEpoch !== undefined && ownEpoch === undefined) return;
    const isrWithEpochs: { brokerId: number; brokerEpoch: number }[] = [];
    for (const id of isr) {
      if (id === this.nodeId) {
        isrWithEpochs.push({ brokerId: id, brokerEpoch: ownEpoch ?? -1 });
        continue;
      }
      const registration = this.opts.resolveBroker(id);
      const joining = !l.isr.includes(id);
      if (joining && registration === undefined) {
        this.awaitRegistration(r, id, 'follower caught up but its broker is not registered; its ISR expansion waits for the registration');
        return;
      }
      // KIP-903: the joining follower's own epoch (its fetch's replica_state), not the leader's image of it.
      const fetched = l.followers.get(id)?.brokerEpoch;
      const known = registration?.brokerEpoch;
      // A control plane without broker epochs (known undefined) takes -1 as "not available" (Kafka).
      if (joining && fetched !== undefined && known !== undefined && fetched !== known) {
        // -1: the follower holds no registration (a restarted broker fetching before it registered):
        // the one this leader sees is its previous incarnation's. Another epoch: the leader's image
        // has not caught up with the follower's new registration. Either way, not proposed yet.
        this.awaitRegistration(r, id, fetched < 0 ? 'follower caught up but fetches without a broker registration; its ISR expansion waits for one' : "follower caught up under another broker epoch than this leader's image has; its ISR expansion waits for the image");
        return;
      }
      r.awaitingRegistration.delete(id);
      isrWithEpochs.push({ brokerId: id, brokerEpoch: (joining ? fetched : undefined) ?? registration?.brokerEpoch ?? -1 });
    }
    l.pendingIsr = isr;
    const req: AlterPartitionRequest = {
      topic: r.topic,
      partition: r.partition.index,
      leaderEpoch: l.leaderEpoch,
      partitionEpoch: l.partitionEpoch,
      isr,
      ...(ownEpoch !== undefined ? { brokerEpoch: ownEpoch } : {}),
      isrWithEpochs,
    };
    // With the broker epochs proposed: an operator (and the restart test) sees which incarnation of a follower joined.
    this.logger.info({ topic: r.topic, partition: r.partition.index, from: l.isr, to: isr, leaderEpoch: l.leaderEpoch, isrWithEpochs }, isr.length > l.isr.length ? 'expanding ISR' : 'shrinking ISR');
    let answer: Promise<PartitionState>;
    try {
      answer = this.opts.alterPartition(req);
    } catch (err) {
      answer = Promise.reject(err);
    }
    answer.then(
      (state) => {
        if (r.leader !== l) return;
        l.pendingIsr = undefined;
        if (state.leaderEpoch === l.leaderEpoch && state.partitionEpoch >= l.partitionEpoch) {
          // The same commit may reach apply() first (the watch): then l.isr is already this ISR and nothing is counted twice.
          this.stats.isrChanged(l.isr.length, state.isr.length);
          l.isr = state.isr;
          l.partitionEpoch = state.partitionEpoch;
          r.state = state;
        }
        this.maybeAdvanceHighWatermark(r);
      },
      (err: unknown) => {
        if (r.leader !== l) return;
        l.pendingIsr = undefined;
        r.proposeNotBeforeMs = this.clock.monotonic() + ISR_RETRY_BACKOFF_MS;
        this.logger.warn({ err, topic: r.topic, partition: r.partition.index, isr }, 'ISR change refused by the control plane');
        this.maybeAdvanceHighWatermark(r);
      },
    );
  }
}
