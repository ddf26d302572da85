// The follower side towards one leader broker (Kafka's ReplicaFetcherThread): one connection and
// one loop for every partition this broker follows from that leader. Each round first truncates
// the partitions that (re)joined (OffsetForLeaderEpoch, KIP-101/279), then sends one Fetch v15 with
// replica_state = this broker and its broker epoch (KIP-903), appends what came back with the leader's offsets and takes the
// leader's high watermark (capped at its own log end). Errors back a partition off; a broken
// connection is reopened after replica.fetch.backoff.ms, to the leader's endpoint as the
// registrations say then. Every request to the leader has a deadline of replica.fetch.wait.max.ms
// plus FETCH_DEADLINE_SLACK_MS (see there), so a leader that stops answering — dead without a
// reset, paused, cut off by the network — is noticed in seconds, not after replica.socket.timeout.ms.
// A fetcher left without partitions closes its connection.
// Partitions named in follower.replication.throttled.replicas are left out of a round while the
// follower quota is exceeded and they are not caught up (Kafka's shouldFollowerThrottle).
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import type { Cancel, Clock } from '@mq/timerwheel';
import { BrokerAuthenticationError, BrokerConnection } from './broker-connection';
import type { InterBrokerSecurity } from './inter-broker-security';
import type { BrokerEndpoint } from './partition-state';
import type { ReplicationConfig, ReplicationLogger } from './replication-config';
import { type ReplicationThrottle, followerThrottled } from './replication-throttle';
import type { ReplicationStats } from './replication-stats';
import { truncationOffset } from './truncation';

/**
 * Fetch v15: topics by id (v13+) and replica_state {replica_id, replica_epoch} (KIP-903), so the
 * leader learns which incarnation of this broker fetches — not only which node id — and proposes it
 * for the ISR under that broker epoch, never under a registration its image still holds from before
 * a restart.
 */
export const REPLICA_FETCH_VERSION = 15;
/** replica_epoch when this broker holds no registration (starting, or its lease lost): the leader proposes it for no ISR. */
const NO_BROKER_EPOCH = -1n;
/** OffsetForLeaderEpoch v4 (flexible, replica_id and current_leader_epoch). */
const OFFSET_FOR_LEADER_EPOCH_VERSION = 4;
/**
 * How much longer than replica.fetch.wait.max.ms a request to the leader may take before the
 * connection is given up. A live leader answers a fetch within maxWaitMs plus the time to read the
 * partitions and send up to replica.fetch.response.max.bytes (10 MiB by default): milliseconds on
 * loopback, but a second or more on a slow link or a loaded host (fsyncs, GC pauses, two cores
 * shared by three brokers). A deadline that fires on a live leader costs a reconnect and a
 * truncation round; one that waits replica.socket.timeout.ms (30 s) keeps a follower of a dead or
 * cut-off leader stalled that long — after a heal it stays out of the ISR until its silent request
 * times out. 3 s of slack sits between: a dead leader is noticed in ~3.5 s with the defaults.
 * Capped by replica.socket.timeout.ms. OffsetForLeaderEpoch and SASL, answered at once, get the same.
 */
export const FETCH_DEADLINE_SLACK_MS = 3_000;

/** The deadline of every request of a replica fetcher (and of its connect). */
export function replicaFetchDeadlineMs(config: Pick<ReplicationConfig, 'replicaFetchWaitMaxMs' | 'replicaSocketTimeoutMs'>): number {
  return Math.min(config.replicaSocketTimeoutMs, config.replicaFetchWaitMaxMs + FETCH_DEADLINE_SLACK_MS);
}

/** One followed partition. A new object per leader epoch, so a stale response is recognised. */
export interface FetchState {
  readonly topic: string;
  /** The topic's id (Fetch v13+ names topics by id). */
  readonly topicId: string;
  readonly partition: Partition;
  readonly leaderEpoch: number;
  /** Truncate (OffsetForLeaderEpoch) before the next fetch. */
  needsTruncation: boolean;
  /** Monotonic ms before which this partition is not fetched (after an error). */
  backoffUntilMs: number;
  /**
   * The last answer left this replica at the leader's high watermark (Kafka's isReplicaInSync for a
   * fetcher: lag ≤ 0). A caught-up replica is never held back by the follower quota.
   */
  caughtUp: boolean;
}

export interface ReplicaFetcherOptions {
  readonly nodeId: number;
  readonly leaderId: number;
  readonly endpoint: () => BrokerEndpoint | undefined;
  /** This broker's current broker epoch (its registration), sent as replica_epoch; undefined: not registered. */
  readonly brokerEpoch: () => number | undefined;
  readonly clock: Clock;
  readonly logger: ReplicationLogger;
  readonly config: ReplicationConfig;
  readonly security?: InterBrokerSecurity;
  /** The follower quota (follower.replication.throttled.rate); absent: nothing is throttled. */
  readonly throttle?: ReplicationThrottle;
  /** Where fetched bytes and the follower quota's held time are counted (the ReplicaManager's). */
  readonly stats?: ReplicationStats;
}

export class ReplicaFetcher {
  private readonly states = new Map<string, FetchState>();
  private connection: BrokerConnection | undefined;
  /** host:port the connection goes to: a leader that re-registered elsewhere gets a new one. */
  private connectedTo = '';
  private stopped = false;
  private wake: (() => void) | undefined;
  /**
   * The answer being applied (appends, truncations): removing a partition waits for it, so no append
   * lands after. Not the whole round: a leader that stopped answering (paused, cut off) would hold
   * every leadership change of this broker for replica.socket.timeout.ms.
   */
  private landing: Promise<void> = Promise.resolve();
  private readonly loop: Promise<void>;

  constructor(private readonly opts: ReplicaFetcherOptions) {
    this.loop = this.run();
  }

  get partitionCount(): number {
    return this.states.size;
  }

  add(key: string, state: FetchState): void {
    this.states.set(key, state);
    this.wake?.();
  }

  /**
   * Stops fetching `key`; resolves once no answer being applied still holds it (its last append has
   * landed). The last partition gone, the connection to this leader is closed (a request in flight
   * on it is abandoned: its answer would be for no partition).
   */
  async remove(key: string): Promise<void> {
    if (!this.states.delete(key)) return;
    this.opts.stats?.followerHeld.release(key, this.opts.clock.monotonic());
    if (this.states.size === 0) this.dropConnection();
    await this.landing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const key of this.states.keys()) this.opts.stats?.followerHeld.release(key, this.opts.clock.monotonic());
    this.states.clear();
    this.connection?.close();
    this.wake?.();
    await this.loop;
  }

  private dropConnection(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.states.size === 0) {
        this.dropConnection();
        await this.sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      let failed = false;
      await this.doRound().catch((err: unknown) => {
        failed = true;
        // Stopped, or its last partition removed while a request was out (remove() closed the connection).
        if (this.stopped || this.states.size === 0) return;
        // Refused credentials do not fix themselves: said as such, so an operator sees why this follower stays out of the ISR.
        if (err instanceof BrokerAuthenticationError) this.opts.logger.error({ err, leader: this.opts.leaderId, errorCode: err.errorCode }, 'inter-broker authentication to the leader failed; this follower cannot replicate until its credentials are fixed');
        else this.opts.logger.warn({ err, leader: this.opts.leaderId, deadlineMs: replicaFetchDeadlineMs(this.opts.config) }, 'replica fetch from leader failed (or got no answer by its deadline); reconnecting after backoff');
        this.dropConnection();
      });
      if (failed && !this.stopped && this.states.size > 0) await this.sleep(this.opts.config.replicaFetchBackoffMs);
    }
  }

  private async doRound(): Promise<void> {
    const conn = await this.connect();
    const now = this.opts.clock.monotonic();
    const truncating = [...this.states].filter(([, s]) => s.needsTruncation && s.backoffUntilMs <= now);
    if (truncating.length > 0) await this.truncate(conn, truncating);
    // Throttled replicas wait until the follower quota has room again (at most a backoff, then look again).
    const throttle = this.opts.throttle;
    const exceeded = throttle?.isQuotaExceeded() === true;
    const throttledUntil = exceeded ? this.opts.clock.monotonic() + Math.min(this.opts.config.replicaFetchBackoffMs, throttle!.throttleTimeMs()) : 0;
    const held = (s: FetchState) => exceeded && !s.caughtUp && followerThrottled(s.partition, this.opts.nodeId);
    const notBefore = (s: FetchState) => (held(s) ? Math.max(s.backoffUntilMs, throttledUntil) : s.backoffUntilMs);
    const stats = this.opts.stats;
    if (stats !== undefined && (exceeded || stats.followerHeld.holding)) {
      const now = this.opts.clock.monotonic();
      for (const [key, s] of this.states) {
        if (held(s)) stats.followerHeld.hold(key, now);
        else stats.followerHeld.release(key, now);
      }
    }
    const ready = [...this.states].filter(([, s]) => !s.needsTruncation && notBefore(s) <= this.opts.clock.monotonic());
    if (ready.length === 0) {
      const next = Math.min(...[...this.states.values()].map(notBefore));
      await this.sleep(Math.max(1, Math.min(this.opts.config.replicaFetchBackoffMs, next - this.opts.clock.monotonic())));
      return;
    }
    await this.fetch(conn, ready);
  }

  private async connect(): Promise<BrokerConnection> {
    const ep = this.opts.endpoint();
    if (ep === undefined) throw new Error(`leader broker ${this.opts.leaderId} has no known endpoint (not registered)`);
    const to = `${ep.host}:${ep.port}`;
    if (this.connection?.usable === true && this.connectedTo === to) return this.connection;
    this.dropConnection();
    const conn = await BrokerConnection.open(ep.host, ep.port, {
      clock: this.opts.clock,
      clientId: `mq-replica-fetcher-${this.opts.nodeId}`,
      requestTimeoutMs: replicaFetchDeadlineMs(this.opts.config),
      ...(this.opts.security !== undefined ? { security: this.opts.security } : {}),
    });
    // Every partition left while it connected: nothing to fetch on it.
    if (this.states.size === 0 || this.stopped) {
      conn.close();
      throw new Error('no partitions left to fetch from this leader');
    }
    this.connection = conn;
    this.connectedTo = to;
    return conn;
  }

  /** KIP-279: ask the leader where our latest epoch ends there and cut what diverged. */
  private async truncate(conn: BrokerConnection, list: [string, FetchState][]): Promise<void> {
    const byTopic = groupByTopic(list);
    const res = await conn.send(ApiKey.OffsetForLeaderEpoch, OFFSET_FOR_LEADER_EPOCH_VERSION, {
      replicaId: this.opts.nodeId,
      topics: [...byTopic].map(([topic, states]) => ({
        topic,
        partitions: states.map(([, s]) => ({ partition: s.partition.index, currentLeaderEpoch: s.leaderEpoch, leaderEpoch: s.partition.latestEpoch })),
      })),
    });
    await this.land(async () => {
      for (const t of res.topics) {
        for (const r of t.partitions) {
          const key = `${t.topic}-${r.partition}`;
          const s = this.states.get(key);
          if (s === undefined || !list.some(([k, v]) => k === key && v === s)) continue;
          if (r.errorCode !== ErrorCode.NONE) {
            this.backOff(s, key, r.errorCode, 'OffsetForLeaderEpoch');
            continue;
          }
          const p = s.partition;
          const target = truncationOffset(p, { epoch: r.leaderEpoch, endOffset: r.endOffset });
          if (target < p.logEndOffset) {
            this.opts.logger.info({ topic: s.topic, partition: p.index, from: p.logEndOffset.toString(), to: target.toString(), leaderEpoch: r.leaderEpoch }, 'truncating divergent log tail');
            await p.truncateTo(target);
            // KIP-279: epochs may still differ below the cut; ask again with the new latest epoch.
            if (r.leaderEpoch !== p.latestEpoch && p.latestEpoch >= 0) continue;
          }
          s.needsTruncation = false;
        }
      }
    });
  }

  /** Applies an answer; remove() waits for it (and only for it). */
  private land(fn: () => Promise<void>): Promise<void> {
    const done = fn();
    this.landing = done.catch(() => undefined);
    return done;
  }

  private async fetch(conn: BrokerConnection, list: [string, FetchState][]): Promise<void> {
    const cfg = this.opts.config;
    const byTopic = groupByTopic(list);
    const epoch = this.opts.brokerEpoch();
    const res = await conn.send(ApiKey.Fetch, REPLICA_FETCH_VERSION, {
      replicaState: { replicaId: this.opts.nodeId, replicaEpoch: epoch === undefined ? NO_BROKER_EPOCH : BigInt(epoch) },
      maxWaitMs: cfg.replicaFetchWaitMaxMs,
      minBytes: cfg.replicaFetchMinBytes,
      maxBytes: cfg.replicaFetchResponseMaxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [...byTopic].map(([, states]) => ({
        topicId: states[0]![1].topicId,
        partitions: states.map(([, s]) => ({
          partition: s.partition.index,
          currentLeaderEpoch: s.leaderEpoch,
          fetchOffset: s.partition.logEndOffset,
          lastFetchedEpoch: s.partition.latestEpoch,
          logStartOffset: s.partition.logStartOffset,
          partitionMaxBytes: cfg.replicaFetchMaxBytes,
        })),
      })),
      forgottenTopicsData: [],
      rackId: '',
    });
    // The answer names topics by id: back to the names the states are keyed by.
    const nameOf = new Map<string, string>();
    for (const [, s] of list) nameOf.set(s.topicId, s.topic);
    if (res.errorCode !== ErrorCode.NONE) throw new Error(`leader ${this.opts.leaderId} answered the replica fetch with error ${res.errorCode}`);
    await this.land(async () => {
      for (const t of res.responses) {
        const topic = nameOf.get(t.topicId);
        if (topic === undefined) continue;
        for (const r of t.partitions) {
          const key = `${topic}-${r.partitionIndex}`;
          const s = this.states.get(key);
          // Removed or re-added (new epoch) while the fetch was out: the answer is for a state gone.
          if (s === undefined || !list.some(([k, v]) => k === key && v === s)) continue;
          if (r.errorCode !== ErrorCode.NONE) {
            this.backOff(s, key, r.errorCode, 'Fetch');
            continue;
          }
          const p = s.partition;
          try {
            if (r.records !== null && r.records.length > 0) {
              await p.appendAsFollower(r.records as Buffer);
              if (this.opts.stats !== undefined) this.opts.stats.bytesIn += r.records.length;
              if (this.opts.throttle !== undefined && followerThrottled(p, this.opts.nodeId)) this.opts.throttle.record(r.records.length);
            }
          } catch (err) {
            this.opts.logger.error({ err, topic: s.topic, partition: p.index }, 'follower append failed; truncating before the next fetch');
            s.needsTruncation = true;
            s.backoffUntilMs = this.opts.clock.monotonic() + cfg.replicaFetchBackoffMs;
            continue;
          }
          p.updateHighWatermark(r.highWatermark < p.logEndOffset ? r.highWatermark : p.logEndOffset);
          s.caughtUp = p.logEndOffset >= r.highWatermark;
          // The leader's log start moved (DeleteRecords, retention): follow it once we hold that far.
          if (r.logStartOffset > p.logStartOffset && r.logStartOffset <= p.highWatermark) await p.deleteRecordsBefore(r.logStartOffset);
        }
      }
    });
  }

  private backOff(s: FetchState, key: string, errorCode: number, what: string): void {
    if (errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) s.needsTruncation = true;
    s.backoffUntilMs = this.opts.clock.monotonic() + this.opts.config.replicaFetchBackoffMs;
    this.opts.logger.warn({ partition: key, leader: this.opts.leaderId, errorCode, leaderEpoch: s.leaderEpoch }, `${what} from leader refused; backing off`);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancel: Cancel | undefined;
      const done = () => {
        cancel?.();
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      if (Number.isFinite(ms)) cancel = this.opts.clock.schedule(ms, done);
    });
  }
}

function groupByTopic(list: [string, FetchState][]): Map<string, [string, FetchState][]> {
  const out = new Map<string, [string, FetchState][]>();
  for (const e of list) {
    let l = out.get(e[1].topic);
    if (l === undefined) {
      l = [];
      out.set(e[1].topic, l);
    }
    l.push(e);
  }
  return out;
}
