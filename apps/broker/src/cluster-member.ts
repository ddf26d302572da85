// Cluster mode (`--etcd`): one etcd client shared by the EtcdMetadataStore (the image the
// TopicManager applies), this broker's membership lease, the controller election and the
// ReplicaManager (leader / follower per partition state). Without --etcd none of this exists and
// the broker is the single node it always was.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BrokerMembership, BrokerReports, ClusterOperations, Controller, DEFAULT_LEADER_REBALANCE, type InternalTopicSpec, type LeaderRebalanceConfig } from '@mq/controller';
import type { CoordinatorLeadershipSource } from '@mq/coordinator';
import { EtcdMetadataStore, MetadataUnavailableError, createEtcdClient, type PartitionState } from '@mq/metadata';
import type { TopicManager } from '@mq/partition';
import type { ReplicationQuotaManager } from '@mq/quota';
import { type InterBrokerSecurity, ReplicaManager } from '@mq/replication';
import type { Clock } from '@mq/timerwheel';
import { replicatedCoordinatorSource } from './coordinator-leadership-source';
import type { Etcd3, Lease } from 'etcd3';

export interface ClusterOptions {
  /** etcd client URLs (`etcd.endpoints`, `--etcd`, comma-separated). */
  readonly etcd: readonly string[];
  /** broker.rack: replica placement spreads a partition over racks. */
  readonly rack?: string;
  /**
   * broker.session.timeout.ms: the membership lease TTL (etcd counts whole seconds: rounded up).
   * A broker silent this long is dead to the controller; default 1000 (see apps/broker/README.md).
   */
  readonly sessionTimeoutMs?: number;
  /** replica.lag.time.max.ms: a follower not caught up this long leaves the ISR; default 30000 (Kafka's). */
  readonly replicaLagTimeMaxMs?: number;
  /** Key prefix of this cluster in etcd; default "/mq/". */
  readonly prefix?: string;
  /** auto.leader.rebalance.enable, leader.imbalance.check.interval.seconds, leader.imbalance.per.broker.percentage. */
  readonly leaderRebalance?: LeaderRebalanceConfig;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 1_000;
/**
 * Controlled shutdown: how long a stopping broker waits for the controller to move its leaderships
 * away (its lease revoked) before it stops regardless — etcd unreachable, or no controller.
 */
export const CONTROLLED_SHUTDOWN_TIMEOUT_MS = 10_000;
const CONTROLLED_SHUTDOWN_POLL_MS = 20;

export class ClusterMember {
  readonly store: EtcdMetadataStore;
  readonly controller: Controller;
  /** ElectLeaders / reassignments from any client: handed to the controller through etcd. */
  readonly operations: ClusterOperations;
  private readonly client: Etcd3;
  private readonly nodeId: number;
  private readonly opts: ClusterOptions;
  private readonly logger: Logger;
  private membership: BrokerMembership | undefined;
  private replication: ReplicaManager | undefined;
  private clock: Clock | undefined;
  private applying: Promise<unknown> = Promise.resolve();
  /** Counts lease losses: a re-registration un-strands the replicas only if no loss came after it. */
  private leaseGeneration = 0;

  private constructor(
    client: Etcd3,
    store: EtcdMetadataStore,
    nodeId: number,
    opts: ClusterOptions,
    logger: Logger,
    unclean: boolean,
    internalTopics: readonly InternalTopicSpec[],
    clock: Clock,
  ) {
    this.client = client;
    this.store = store;
    this.nodeId = nodeId;
    this.opts = opts;
    this.logger = logger;
    this.controller = new Controller({
      client,
      store,
      nodeId,
      uncleanLeaderElection: unclean,
      internalTopics,
      clock,
      leaderRebalance: opts.leaderRebalance ?? DEFAULT_LEADER_REBALANCE,
      logger: logger.child({ component: 'controller' }),
    });
    this.operations = new ClusterOperations({ store, nodeId, clock, viaController: true });
  }

  /** Loads the cluster's image from etcd; a broker that cannot reach etcd at start does not start. */
  static async open(opts: ClusterOptions, nodeId: number, logger: Logger, unclean: boolean, clock: Clock, internalTopics: readonly InternalTopicSpec[] = []): Promise<ClusterMember> {
    const client = await createEtcdClient(opts.etcd);
    const log = logger.child({ component: 'cluster' });
    const store = new EtcdMetadataStore({ client, nodeId, logger: log, ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}) });
    try {
      await store.load();
    } catch (err) {
      client.close();
      throw new MetadataUnavailableError(`cannot reach etcd at ${opts.etcd.join(',')}: ${(err as Error).message}`, { cause: err });
    }
    return new ClusterMember(client, store, nodeId, opts, log, unclean, internalTopics, clock);
  }

  /** The cluster's id: created once in etcd by the first broker, the same for every broker. */
  async clusterId(): Promise<string> {
    const key = `${this.store.keys.prefix}cluster-id`;
    let id = randomBytes(16).toString('base64url');
    while (id.startsWith('-')) id = randomBytes(16).toString('base64url');
    await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(id)).commit();
    return (await this.client.get(key).string()) ?? id;
  }

  /**
   * The data plane: one ReplicaManager told every state of a partition this broker is a replica of;
   * `security`: the inter-broker listener's TLS / SASL; `quotas`: the replication quotas (their
   * rates set by the dynamic broker configs).
   */
  startReplication(
    topics: TopicManager,
    clock: Clock,
    security?: InterBrokerSecurity,
    quotas?: { readonly leader: ReplicationQuotaManager; readonly follower: ReplicationQuotaManager },
  ): ReplicaManager {
    const image = () => this.store.image;
    const replication = new ReplicaManager({
      nodeId: this.nodeId,
      topics,
      clock,
      logger: this.logger.child({ component: 'replication' }),
      resolveBroker: (id) => {
        const b = image().brokers.get(id);
        return b === undefined ? undefined : { host: b.host, port: b.port, brokerEpoch: Number(b.epoch), ...(b.rack !== undefined ? { rack: b.rack } : {}) };
      },
      // KIP-841: ISR proposals carry this broker's epoch (its registration now) and the ones it saw for the members.
      brokerEpoch: () => this.membership?.currentEpoch,
      alterPartition: (req) => this.store.alterPartition(req),
      ...(security !== undefined ? { security } : {}),
      ...(quotas !== undefined ? { leaderThrottle: quotas.leader, followerThrottle: quotas.follower } : {}),
      ...(this.opts.replicaLagTimeMaxMs !== undefined ? { config: { replicaLagTimeMaxMs: this.opts.replicaLagTimeMaxMs } } : {}),
    });
    this.replication = replication;
    this.clock = clock;
    const mine: PartitionState[] = [];
    for (const t of image().topics.values()) for (const s of t.partitions) if (s.replicas.includes(this.nodeId)) mine.push(s);
    this.apply(mine);
    topics.onPartitionStates((states) => this.apply(states));
    return replication;
  }

  /** What coordinators on replicated internal topics load, unload and write by (after startReplication). */
  coordinatorLeadership(topics: TopicManager, clock: Clock): CoordinatorLeadershipSource {
    if (this.replication === undefined) throw new Error('startReplication() first: coordinators follow its leadership');
    return replicatedCoordinatorSource(this.replication, topics, clock);
  }

  /** The membership lease's TTL (etcd counts whole seconds). */
  private get leaseTtlSeconds(): number {
    return Math.max(1, Math.ceil((this.opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS) / 1000));
  }

  /** This broker's `kind` of reports and the other brokers' (outside the metadata image), under a lease as long as its membership's. */
  reports(kind: string): BrokerReports {
    return new BrokerReports({ client: this.client, prefix: this.store.keys.reportsPrefix(kind), nodeId: this.nodeId, ttlSeconds: this.leaseTtlSeconds, logger: this.logger });
  }

  /** Registers this broker (after its listeners are bound: host / port the inter-broker one's, `listeners` every advertised one) and campaigns for controller. */
  async join(host: string, port: number, listeners?: Readonly<Record<string, { readonly host: string; readonly port: number }>>): Promise<void> {
    const membership = new BrokerMembership({
      client: this.client,
      keys: this.store.keys,
      nodeId: this.nodeId,
      host,
      port,
      rack: this.opts.rack,
      ...(listeners !== undefined ? { listeners } : {}),
      ttlSeconds: this.leaseTtlSeconds,
      logger: this.logger,
      onLease: (lease, id, revision) => this.leaseHeld(lease, id, revision),
      onLeaseLost: () => {
        this.leaseGeneration++;
        this.controller.leaseLost();
        this.replication?.controlPlaneLost(true);
      },
    });
    await membership.start();
    this.membership = membership;
  }

  /**
   * Controlled shutdown: leaves first (the lease is revoked: the controller elects new leaders from
   * the ISR at once), waits until this broker leads nothing — its image says so and its replicas
   * have become followers, so parked acks=all produces were answered NOT_LEADER_OR_FOLLOWER and
   * clients retry on the new leaders while this listener still answers — then stops replicating.
   * The caller closes the listener and the topics after.
   */
  async leave(): Promise<void> {
    await this.controller.stop();
    const left = await this.membership?.stop().then(
      () => true,
      (err: unknown) => {
        this.logger.warn({ err }, 'leaving the cluster failed (the lease lapses by itself)');
        return false;
      },
    );
    if (left === true) await this.awaitLeadershipsMoved();
    await this.applying;
    await this.replication?.close();
  }

  /**
   * A lease holds the registration (the first, or one re-granted after a loss): the controller may
   * campaign; the replicas lead again as the image says once it has caught up with this registration
   * and its partition states are applied (a stale image would name this broker leader still).
   */
  private leaseHeld(lease: Lease, id: string, revision: bigint): void {
    this.controller.useLease(lease, id);
    const generation = this.leaseGeneration;
    void this.store
      .caughtUp(revision)
      .then(() => this.applying)
      .then(() => {
        if (generation === this.leaseGeneration) this.replication?.controlPlaneLost(false);
      });
  }

  private ledPartitions(): number {
    let n = 0;
    for (const t of this.store.image.topics.values()) {
      for (const s of t.partitions) if (s.leader === this.nodeId) n++;
      n += this.replication?.ledPartitions(t.name).length ?? 0;
    }
    return n;
  }

  private async awaitLeadershipsMoved(): Promise<void> {
    const clock = this.clock;
    if (clock === undefined || this.replication === undefined) return;
    const start = clock.monotonic();
    const initially = this.ledPartitions();
    // The last broker standing: nobody could take its leaderships over.
    const others = () => [...this.store.image.brokers.keys()].some((id) => id !== this.nodeId);
    if (initially === 0 || !others()) return;
    this.logger.info({ nodeId: this.nodeId, partitions: initially }, 'controlled shutdown: waiting for the controller to move this broker’s leaderships');
    while (this.ledPartitions() > 0 && others() && clock.monotonic() - start < CONTROLLED_SHUTDOWN_TIMEOUT_MS) {
      await this.applying;
      await new Promise<void>((resolve) => clock.schedule(CONTROLLED_SHUTDOWN_POLL_MS, resolve));
    }
    const left = this.ledPartitions();
    const elapsedMs = clock.monotonic() - start;
    if (left === 0) this.logger.info({ nodeId: this.nodeId, partitions: initially, elapsedMs }, 'controlled shutdown: leaderships moved away');
    else this.logger.warn({ nodeId: this.nodeId, stillLed: left, elapsedMs }, 'controlled shutdown: leaderships not moved in time; stopping anyway');
  }

  async close(): Promise<void> {
    await this.store.close();
    this.client.close();
  }

  /** In order: a later state never overtakes an earlier one of the same partition. */
  private apply(states: readonly PartitionState[]): void {
    const replication = this.replication;
    if (replication === undefined) return;
    this.applying = this.applying.then(async () => {
      for (const s of states) {
        try {
          if (s.replicas.includes(this.nodeId)) await replication.applyPartitionState(s);
          else await replication.removePartition(s.topic, s.partition);
        } catch (err) {
          this.logger.error({ err, topic: s.topic, partition: s.partition }, 'applying a partition state failed');
        }
      }
    });
  }
}
