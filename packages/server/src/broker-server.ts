// The Kafka listeners (one or more: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL): accepts connections,
// builds the shared BrokerServices handlers see, and shuts down gracefully (stop accepting → wake
// long polls → answer in-flight requests → close sockets).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { SaslAuthenticator, ScramCredentialStore } from '@mq/auth';
import type { DelayStore } from '@mq/delay';
import type { ConfigEntry, ProducerIdManager, TopicManager } from '@mq/partition';
import type { ReplicaManager } from '@mq/replication';
import { ClusterOperations } from '@mq/controller';
import { ClientQuotas, type ReplicationQuotaManager, type Tenants } from '@mq/quota';
import { type Cancel, type Clock, SystemClock } from '@mq/timerwheel';
import type { BrokerConfig } from './broker-config';
import { DYNAMIC_BROKER_CONFIG_DEFS, DynamicBrokerConfigs } from './dynamic-broker-configs';
import { Connection } from './connection';
import { ConnectionQuotas, normaliseIp, parsePerIpOverrides } from './connection-quotas';
import { Dispatcher, advertisedVersions } from './dispatcher';
import { FetchPurgatory } from './fetch-purgatory';
import { FetchSessionCache } from './fetch-session-cache';
import type { AnyApiHandler, BrokerServices, GroupCoordinatorSlot, ProduceChecks, TransactionCoordinatorSlot, TxnPartitionVerifier } from './handler';
import { TxnProduceVerification } from './txn-produce-verification';
import { handlers as defaultHandlers } from './handlers/index';
import { quotaMiddleware } from './quota-middleware';
import { tenantStorageMiddleware } from './tenant-storage';
import { TenantStorageMeter } from './tenant-storage-meter';
import { RequestMemoryPool } from './request-memory-pool';
import type { RequestMiddleware } from './request-middleware';
import type { BoundListener, ListenerConfig } from './listener-config';
import { DEFAULT_LISTENER_NAME, Session, usesSasl } from './session';
import { TcpTransport } from './tcp-transport';
import { createTlsServer, peerCertificateSubject } from './tls-listener';
import { authorizationMiddleware } from './authorization/authorization-middleware';
import { openAcls } from './authorization/open-acls';

export interface BrokerServerOptions {
  /** The one PLAINTEXT listener when `listeners` is not given. */
  readonly host?: string;
  readonly port?: number;
  readonly advertisedHost?: string | undefined;
  readonly advertisedPort?: number | undefined;
  /** Every listener (names unique); the first one's advertised address is BrokerServices.advertisedHost/Port. */
  readonly listeners?: readonly ListenerConfig[];
  /** Required when a listener is SASL_PLAINTEXT or SASL_SSL. */
  readonly sasl?: SaslAuthenticator;
  /** Tenants (@mq/quota): principal prefixes with shared quotas, prefix grants under the authorizer, storage limits; their definitions may change while the broker runs. */
  readonly tenants?: Tenants;
  /** What tenants' storage limits are checked against (a cluster: this broker's leaders plus the others' reports); default: every partition here. */
  readonly tenantStorage?: TenantStorageMeter;
  /** Serves DescribeUserScramCredentials / AlterUserScramCredentials. */
  readonly scramCredentials?: ScramCredentialStore;
  readonly clusterId?: string;
  readonly config: BrokerConfig;
  readonly topics: TopicManager;
  readonly producerIds: ProducerIdManager;
  readonly logger: Logger;
  /**
   * Every timer of the listener: long polls, produce timeouts, idle connections, the shutdown
   * drain. Default: a SystemClock of its own (the broker passes its one Clock; tests a ManualClock).
   */
  readonly clock?: Clock;
  /** Defaults to the registry in handlers/index.ts. */
  readonly handlers?: readonly AnyApiHandler[];
  /** Run around every handler, first = outermost (tracing, metrics, authorization). */
  readonly middleware?: readonly RequestMiddleware[];
  /** Kafka's listener name for the one listener of host/port (default PLAINTEXT), in each connection's Session. */
  readonly listenerName?: string;
  /** DescribeConfigs' BROKER resource (the broker app's whole table, with sources); default: this package's keys. */
  readonly describeBrokerConfig?: () => readonly ConfigEntry[];
  /** Built once services exist (the coordinator stores offsets in topics). */
  readonly groups?: (services: BrokerServices) => GroupCoordinatorSlot | Promise<GroupCoordinatorSlot>;
  /** Built after the groups, before the first connection is read (the schema registry's validation, loaded from `_schemas`). */
  readonly produceChecks?: (services: BrokerServices) => ProduceChecks | Promise<ProduceChecks>;
  /** Built after the group coordinator (share groups share its group-id namespace). */
  readonly share?: (services: BrokerServices) => GroupCoordinatorSlot | Promise<GroupCoordinatorSlot>;
  /** The delay store Produce hands delayed records to; its owner closes it after stop(). Absent: delay headers are not read. */
  readonly delayed?: DelayStore;
  /** Built after the group coordinator (transaction markers reach __consumer_offsets through it). */
  readonly transactions?: (services: BrokerServices) => TransactionCoordinatorSlot | Promise<TransactionCoordinatorSlot>;
  /**
   * Cluster mode: the ReplicaManager the handlers consult (leadership, follower fetches, acks=all,
   * OffsetForLeaderEpoch). Its owner closes it after stop(). Absent: a single node, as before.
   */
  readonly replication?: ReplicaManager;
  /** Cluster mode: ElectLeaders / reassignments through the controller. Absent: one node, carried out here. */
  readonly clusterOperations?: ClusterOperations;
  /** Cluster mode: the transactional produce's verification with a coordinator on another broker (KIP-890). */
  readonly txnVerifier?: TxnPartitionVerifier;
  /**
   * Cluster mode: the replication quotas the ReplicaManager enforces; their bounds follow the dynamic
   * broker configs leader/follower.replication.throttled.rate, live.
   */
  readonly replicationQuotas?: { readonly leader: ReplicationQuotaManager; readonly follower: ReplicationQuotaManager };
}

/** How long graceful shutdown waits for in-flight requests before closing sockets anyway. */
const DRAIN_TIMEOUT_MS = 5_000;

interface Listening {
  readonly config: ListenerConfig;
  readonly server: Server;
  readonly bound: BoundListener;
}

export class BrokerServer {
  readonly services: BrokerServices;
  private readonly listening: readonly Listening[];
  private readonly connections = new Set<Connection>();
  private readonly dispatcher: Dispatcher;
  private readonly shutdown = new AbortController();
  private readonly logger: Logger;
  private readonly config: BrokerConfig;
  private readonly quotas: ConnectionQuotas;
  private readonly tenants: Tenants | undefined;
  private readonly requestMemory: RequestMemoryPool;
  private readonly clock: Clock;
  private nextConnectionId = 1;
  private early: { socket: Socket; listener: Listening }[] | undefined = [];
  private stopping: Promise<void> | undefined;

  private constructor(opts: BrokerServerOptions, listening: readonly Listening[]) {
    const handlers = opts.handlers ?? defaultHandlers;
    this.clock = opts.clock ?? new SystemClock({ logger: opts.logger });
    const fetchPurgatory = new FetchPurgatory(this.clock);
    opts.topics.setChangeListener((p) => fetchPurgatory.onPartitionChange(p));
    this.logger = opts.logger;
    this.config = opts.config;
    this.quotas = new ConnectionQuotas({
      maxConnections: opts.config.maxConnections,
      maxConnectionsPerIp: opts.config.maxConnectionsPerIp,
      perIpOverrides: parsePerIpOverrides(opts.config.maxConnectionsPerIpOverrides),
      perListener: opts.config.listenerMaxConnections ?? {},
      listeners: listening.map((l) => l.bound.name),
      maxConnectionCreationRate: opts.config.maxConnectionCreationRate,
      window: { samples: opts.config.quotaWindowNum, windowMs: opts.config.quotaWindowSizeSeconds * 1000 },
    });
    this.requestMemory = new RequestMemoryPool(opts.config.queuedMaxRequestBytes);
    const tenants = opts.tenants;
    this.tenants = tenants;
    const acls = openAcls(opts.config, opts.topics.store, opts.logger.child({ component: 'authorizer' }), tenants);
    // Client quotas live in the metadata store the topics use (meta/ here, etcd in a cluster).
    const quotas = new ClientQuotas({
      store: opts.topics.store,
      clock: this.clock,
      window: { samples: opts.config.quotaWindowNum, windowSeconds: opts.config.quotaWindowSizeSeconds },
      onBadEntry: (key, reason) => opts.logger.warn({ key, reason }, 'skipping a stored client quota this broker cannot read'),
    });
    // Dynamic broker configs live in the same store (etcd in a cluster: any broker's change reaches all).
    const dynamicConfigs = new DynamicBrokerConfigs({
      store: opts.topics.store,
      nodeId: opts.config.nodeId,
      onBadEntry: (key, reason) => opts.logger.warn({ key, reason }, 'skipping a stored dynamic broker config this broker cannot read'),
    });
    const rq = opts.replicationQuotas;
    if (rq !== undefined) {
      let applied = '';
      const applyRates = () => {
        const leader = dynamicConfigs.effective(DYNAMIC_BROKER_CONFIG_DEFS.leaderReplicationThrottledRate.name);
        const follower = dynamicConfigs.effective(DYNAMIC_BROKER_CONFIG_DEFS.followerReplicationThrottledRate.name);
        rq.leader.updateQuota(Number(leader));
        rq.follower.updateQuota(Number(follower));
        if (`${leader}/${follower}` !== applied) opts.logger.info({ leaderReplicationThrottledRate: leader, followerReplicationThrottledRate: follower }, 'replication throttle rates applied');
        applied = `${leader}/${follower}`;
      };
      applyRates();
      dynamicConfigs.onChange(applyRates);
    }
    this.services = {
      nodeId: opts.config.nodeId,
      clusterId: opts.clusterId ?? 'mq-single-node',
      advertisedHost: listening[0]!.bound.advertisedHost,
      advertisedPort: listening[0]!.bound.advertisedPort,
      listeners: listening.map((l) => l.bound),
      sasl: opts.sasl,
      scramCredentials: opts.scramCredentials,
      config: opts.config,
      topics: opts.topics,
      producerIds: opts.producerIds,
      fetchPurgatory,
      fetchSessions: new FetchSessionCache({ maxSlots: opts.config.maxIncrementalFetchSessionCacheSlots, clock: this.clock }),
      logger: opts.logger,
      clock: this.clock,
      groups: undefined,
      produceChecks: undefined,
      share: undefined,
      delayed: opts.delayed,
      transactions: undefined,
      replication: opts.replication,
      txnVerification: opts.txnVerifier === undefined ? undefined : new TxnProduceVerification(opts.txnVerifier),
      apiVersions: advertisedVersions(handlers),
      shutdownSignal: this.shutdown.signal,
      describeBrokerConfig: opts.describeBrokerConfig,
      dynamicConfigs,
      acls,
      quotas,
      ...(tenants !== undefined ? { tenants } : {}),
      clusterOperations: opts.clusterOperations ?? new ClusterOperations({ store: opts.topics.store, nodeId: opts.config.nodeId, clock: this.clock, viaController: false }),
    };
    // Quotas, then authorization innermost: tracing, metrics and logs see its refusals like any
    // response, and quotas count a refused request too (its bytes, its time), as Kafka does.
    // Tenant storage limits innermost: only topics the principal may write are measured and refused.
    const storage = tenants === undefined ? undefined : tenantStorageMiddleware(tenants, opts.tenantStorage ?? new TenantStorageMeter(opts.topics, this.clock));
    const inner = [quotaMiddleware(quotas, tenants), ...(acls === undefined ? [] : [authorizationMiddleware(acls)]), ...(storage === undefined ? [] : [storage])];
    this.dispatcher = new Dispatcher(handlers, this.services, [...(opts.middleware ?? []), ...inner]);
    this.listening = listening;
    // Until start() finishes (group coordinator loaded) accepted sockets wait, unread, in `early`.
    for (const l of listening) {
      // A TLS listener hands over a socket once its handshake finished (the client certificate is known).
      const event = l.config.tls === undefined ? 'connection' : 'secureConnection';
      l.server.on(event, (socket: Socket) => (this.early === undefined ? this.onConnection(socket, l) : this.early.push({ socket, listener: l })));
    }
  }

  static async start(opts: BrokerServerOptions): Promise<BrokerServer> {
    const configs = listenersOf(opts);
    const listening: Listening[] = [];
    try {
      for (const config of configs) listening.push(await listen(config, opts));
    } catch (err) {
      await Promise.all(listening.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
      throw err;
    }
    const broker = new BrokerServer(opts, listening);
    try {
      if (opts.groups !== undefined) broker.services.groups = await opts.groups(broker.services);
      if (opts.produceChecks !== undefined) broker.services.produceChecks = await opts.produceChecks(broker.services);
      if (opts.share !== undefined) broker.services.share = await opts.share(broker.services);
      if (opts.transactions !== undefined) broker.services.transactions = await opts.transactions(broker.services);
    } catch (err) {
      broker.services.quotas.close();
      broker.services.dynamicConfigs.close();
      await Promise.all(listening.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
      for (const e of broker.early ?? []) e.socket.destroy();
      await broker.services.groups?.close().catch(() => undefined);
      broker.services.acls?.close();
      throw err;
    }
    const early = broker.early ?? [];
    broker.early = undefined;
    for (const e of early) broker.onConnection(e.socket, e.listener);
    opts.topics.startMaintenance(opts.config.retentionCheckIntervalMs);
    opts.topics.startCleaner(opts.config.logCleanerBackoffMs);
    return broker;
  }

  /** The first listener's bound address. */
  address(): { host: string; port: number } {
    const a = this.listening[0]!.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** Every listener as bound (port 0 resolved), in configuration order. */
  listeners(): readonly BoundListener[] {
    return this.services.listeners;
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Connections closed on arrival by max.connections / max.connections.per.ip. */
  get rejectedConnections(): number {
    return this.quotas.rejected;
  }

  /** Per listener: open connections, those closed by its listener.name.<listener>.max.connections, and that limit. */
  listenerConnections(): { listener: string; open: number; rejected: number; limit: number }[] {
    return this.quotas.listenerCounts();
  }

  /** Bytes of queued.max.request.bytes in use now (requests and Fetch responses in flight). */
  get queuedRequestBytes(): number {
    return this.requestMemory.used;
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const closed = Promise.all(this.listening.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
    this.shutdown.abort();
    this.services.fetchPurgatory.completeAll();
    for (const c of this.connections) c.stopReading();
    const drained = Promise.all([...this.connections].map((c) => c.whenIdle()));
    let cancel: Cancel | undefined;
    const timedOut = new Promise<void>((resolve) => {
      cancel = this.clock.schedule(DRAIN_TIMEOUT_MS, () => {
        this.logger.warn({ connections: this.connections.size }, 'in-flight requests did not finish in time');
        resolve();
      });
    });
    await Promise.race([drained, timedOut]);
    cancel?.();
    // end() flushes what is buffered, then FIN; sockets that do not close promptly are destroyed.
    await Promise.all([...this.connections].map((c) => c.endGracefully(1_000)));
    await closed;
    // Transactions first: their flows in flight write markers through the group coordinator.
    if (this.services.transactions !== undefined) await this.services.transactions.close();
    if (this.services.share !== undefined) await this.services.share.close();
    if (this.services.groups !== undefined) await this.services.groups.close();
    this.services.acls?.close();
    this.services.quotas.close();
    this.services.dynamicConfigs.close();
  }

  private onConnection(socket: Socket, listener: Listening): void {
    if (this.stopping !== undefined) {
      socket.destroy();
      return;
    }
    const transport = new TcpTransport(socket);
    const { name, securityProtocol } = listener.bound;
    const subject = listener.config.tls === undefined ? null : peerCertificateSubject(socket as TLSSocket);
    const info = new Session(this.nextConnectionId++, name, transport.remoteAddress, transport.remotePort, { securityProtocol, peerCertificateSubject: subject });
    const refused = this.quotas.tryAcquire(info.remoteAddress, name);
    if (refused !== undefined) {
      const limit = refused === 'listener.name.<listener>.max.connections' ? `listener.name.${name.toLowerCase()}.max.connections` : refused;
      this.logger.warn({ remote: `${info.remoteAddress}:${info.remotePort}`, listener: name, limit, rejected: this.quotas.rejected }, `${limit} reached: closing new connection`);
      socket.destroy();
      return;
    }
    // Without SASL the principal is known now (ANONYMOUS, or an SSL listener's certificate DN): its
    // tenant's maxConnections applies at once; on a SASL listener SaslAuthenticate counts it.
    if (this.tenants !== undefined && !usesSasl(securityProtocol)) {
      const tenant = this.tenants.acquireConnection(info.principal);
      if (tenant === false) {
        this.logger.warn({ remote: `${info.remoteAddress}:${info.remotePort}`, listener: name, principal: info.principal, tenant: this.tenants.of(info.principal)?.name }, 'tenant maxConnections reached: closing new connection');
        socket.destroy();
        this.quotas.release(info.remoteAddress, name);
        return;
      }
      info.tenant = tenant;
    }
    const releaseAll = (): void => {
      this.quotas.release(info.remoteAddress, name);
      if (info.tenant !== null) this.tenants?.releaseConnection(info.tenant);
      info.tenant = null;
    };
    const remote = `${info.remoteAddress}:${info.remotePort}`;
    const now = this.clock.monotonic();
    // A socket left waiting below has no Connection (and no 'error' listener) yet: a reset must not crash us.
    const ignoreError = (): void => undefined;
    const ipRate = this.services.quotas.ipConnectionRate(normaliseIp(info.remoteAddress));
    const ipThrottleMs = ipRate === null ? 0 : this.quotas.recordIpCreation(info.remoteAddress, ipRate, now);
    if (ipThrottleMs > 0) {
      // KIP-612: over its address's connection_creation_rate, a connection is closed after its throttle time.
      this.logger.warn({ remote, connectionCreationRate: ipRate, throttleMs: ipThrottleMs }, 'connection_creation_rate of this address exceeded: closing the connection after its throttle time');
      socket.on('error', ignoreError);
      this.clock.schedule(ipThrottleMs, () => {
        socket.destroy();
        releaseAll();
      });
      return;
    }
    const waitMs = this.quotas.recordCreation(now);
    if (waitMs > 0) {
      // max.connection.creation.rate: the connection waits, unread, as Kafka's acceptor does.
      this.logger.debug({ remote, waitMs }, 'max.connection.creation.rate exceeded: serving the connection later');
      socket.on('error', ignoreError);
      this.clock.schedule(waitMs, () => {
        socket.off('error', ignoreError);
        if (this.stopping !== undefined || socket.destroyed) {
          socket.destroy();
          releaseAll();
          return;
        }
        this.serve(transport, info, name, releaseAll);
      });
      return;
    }
    this.serve(transport, info, name, releaseAll);
  }

  private serve(transport: TcpTransport, info: Session, name: string, releaseAll: () => void): void {
    const logger = this.logger.child({ conn: info.connectionId });
    const limits = {
      maxRequestBytes: this.config.socketRequestMaxBytes,
      maxPreAuthenticationRequestBytes: this.config.saslServerMaxReceiveSize,
      idleMs: this.config.connectionsMaxIdleMs, pool: this.requestMemory, clock: this.clock };
    const c = new Connection(transport, info, this.dispatcher, logger, limits, (conn) => {
      this.connections.delete(conn);
      releaseAll();
    });
    this.connections.add(c);
    logger.debug({ remote: `${info.remoteAddress}:${info.remotePort}`, listener: name, principal: info.principal }, 'connection accepted');
  }
}

function listenersOf(opts: BrokerServerOptions): readonly ListenerConfig[] {
  const configs: readonly ListenerConfig[] = opts.listeners ?? [
    { name: opts.listenerName ?? DEFAULT_LISTENER_NAME, securityProtocol: 'PLAINTEXT', host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, advertisedHost: opts.advertisedHost, advertisedPort: opts.advertisedPort },
  ];
  if (configs.length === 0) throw new Error('a broker needs at least one listener');
  const names = new Set<string>();
  for (const c of configs) {
    if (names.has(c.name)) throw new Error(`listener ${c.name} is defined twice`);
    names.add(c.name);
    if ((c.securityProtocol === 'SSL' || c.securityProtocol === 'SASL_SSL') && c.tls === undefined) throw new Error(`listener ${c.name} (${c.securityProtocol}) needs a TLS certificate and key`);
    if (usesSasl(c.securityProtocol) && opts.sasl === undefined) throw new Error(`listener ${c.name} (${c.securityProtocol}) needs SASL mechanisms`);
  }
  // A limit for a listener that does not exist is a typo that would silently limit nothing.
  const upper = new Set([...names].map((n) => n.toUpperCase()));
  for (const [name, limit] of Object.entries(opts.config.listenerMaxConnections ?? {})) {
    if (!upper.has(name.toUpperCase())) throw new Error(`listener.name.${name.toLowerCase()}.max.connections: there is no listener ${name} (listeners: ${[...names].join(', ')})`);
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`listener.name.${name.toLowerCase()}.max.connections must be a non-negative integer, not ${limit}`);
  }
  return configs;
}

async function listen(config: ListenerConfig, opts: BrokerServerOptions): Promise<Listening> {
  const server = config.tls === undefined ? createServer({ noDelay: true }) : createTlsServer(config.tls, opts.logger.child({ listener: config.name }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: config.host, port: config.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger.error({ err, listener: config.name }, 'listener error'));
  const port = (server.address() as AddressInfo).port;
  const bound: BoundListener = {
    name: config.name,
    securityProtocol: config.securityProtocol,
    host: config.host,
    port,
    advertisedHost: config.advertisedHost ?? config.host,
    advertisedPort: config.advertisedPort ?? port,
  };
  return { config, server, bound };
}
