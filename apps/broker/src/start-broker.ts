// Wiring: data dir lock → (cluster: etcd store, replication) → TopicManager + producer ids + group
// coordinator → @mq/server listener → (cluster: membership, controller election).
// startBroker() is the one entry point for both the CLI and in-process use (port 0 by default).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { AdminApi } from '@mq/admin-api';
import { DELAYED_TOPIC, type Delivery, DelayStore, type DelayStoreConfig, resolveDelayStoreConfig } from '@mq/delay';
import { CONSUMER_OFFSETS_TOPIC, DEFAULT_GROUP_COORDINATOR_CONFIG, GroupCoordinator, consumerOffsetsTopicConfigs, type GroupCoordinatorConfig } from '@mq/groups';
import { DEFAULT_TRANSACTION_COORDINATOR_CONFIG, LocalTxnMarkerWriter, TRANSACTION_STATE_TOPIC, TransactionCoordinator, type TransactionCoordinatorConfig, transactionStateTopicConfigs } from '@mq/transactions';
import { HttpServer, Router, type Route } from '@mq/http';
import type { FileSystem } from '@mq/log';
import { registerTenantMetrics } from '@mq/metrics';
import { ReplicationQuotaManager } from '@mq/quota';
import { type RegistryForwarder, SCHEMAS_TOPIC, SchemaRegistry, SchemaValidator, registryRoutes } from '@mq/schema-registry';
import { DataDirLock, ProducerIdManager, TopicManager } from '@mq/partition';
import { BrokerServer, DEFAULT_BROKER_CONFIG, type BoundListener, type BrokerConfig } from '@mq/server';
import { DEFAULT_SHARE_GROUP_CONFIG, SHARE_GROUP_STATE_TOPIC, ShareCoordinator, type ShareGroupConfig, shareGroupStateTopicConfigs } from '@mq/share';
import { type Clock, SystemClock } from '@mq/timerwheel';
import type { LoadSummary } from '@mq/coordinator';
import { hostPort, logStartup } from './banner';
import { takeCleanShutdownMarker, writeCleanShutdownMarker } from './clean-shutdown';
import { wireMetrics } from './broker-metrics';
import { loadTenants, openTenantStorage, tenantMetricsViews } from './broker-tenants';
import { brokerClusterInfo } from './admin-cluster-info';
import { consoleRoutes, findConsoleDir } from './console-routes';
import { brokerVersion } from './version';
import { tracePolicy, wireTracing } from './broker-tracing';
import { QueueMetricsFeed } from './queue-metrics-feed';
import { queueObservers } from './queue-observers';
import type { BrokerTraceOptions } from './trace-config-defs';
import { oauthBearerSetup } from './broker-oauthbearer';
import { loadOrCreateClusterId } from './cluster-id';
import { ClusterMember, type ClusterOptions } from './cluster-member';
import { clusterDeadLetterSink } from './cluster-dead-letter-sink';
import { clusterDelayLinks } from './cluster-delay-links';
import { clusterShareLeaderOffsets } from './share-leader-offsets';
import { clusterSharePersister } from './share-state-persister';
import { clusterTxnMarkerWriter } from './txn-marker-channel';
import { clusterTxnVerifier } from './txn-verification-channel';
import { ErrorCode } from '@mq/protocol';
import { registerNativeCodecs } from '@mq/codecs-native';
import { codecImplementations } from '@mq/records';
import type { WrittenSetting } from './config';
import { validateBrokerConfig } from './config-validation';
import { delayedPeersOf } from './delayed-peers';
import { describeBrokerKeys } from './describe-broker-config';
import { validateGroupConfig } from './group-config';
import { defaultMaxOpenFiles } from './fd-limit';
import { watchOpenFiles } from './fd-watch';
import { requestLogMiddleware } from './request-log';
import { type BrokerSecurityOptions, openListeners, resolveListeners, resolveSasl, securityValues } from './broker-security';
import { checkInterBrokerMechanism, interBrokerListener, interBrokerSecurity } from './inter-broker';
import { type BrokerHttpSecurityOptions, httpSecurity, httpTls } from './http-security';
import { registryRule } from './http-acl-rules';
import { ownAuthorization } from './registry-credentials';
import { publishRegistryUrl, registryForwarder, registryUrl } from './schema-registry-forwarder';

export interface StartBrokerOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; default 0 (a free port). */
  port?: number;
  /** Data directory; default a fresh temp dir, removed by stop(). A dir given here is never removed. */
  dataDir?: string;
  /** Keep the temp data dir startBroker() created after stop() (to inspect it); default false. */
  keepDataDir?: boolean;
  /** Host/port written into Metadata; default the bound host/port. */
  advertisedHost?: string;
  advertisedPort?: number;
  config?: Partial<BrokerConfig>;
  /** Group coordinator settings (group.initial.rebalance.delay.ms, offsets.retention.minutes, ...). */
  groups?: Partial<GroupCoordinatorConfig>;
  /**
   * Share-group settings (KIP-932: record lock duration, delivery count limit, record-lock caps,
   * share.auto.offset.reset, session timeout, __share_group_state partitions).
   */
  share?: Partial<ShareGroupConfig>;
  /** Delay store settings (mq.delayed.*: max delay, retry backoff, __mq_delayed partitions). */
  delayed?: Partial<DelayStoreConfig>;
  /** The transaction coordinator's settings (transaction.* keys); Kafka's defaults otherwise. */
  transactions?: Partial<TransactionCoordinatorConfig>;
  /** Default: a silent pino logger. */
  logger?: Logger;
  /**
   * The one Clock every broker timer runs on (long polls, produce timeouts, idle connections,
   * flush.ms, retention and cleaner passes, the open-files watch); a ManualClock lets a test drive
   * time. Default: a SystemClock (one timing wheel on one Node timer). Group timers are not on it yet.
   */
  clock?: Clock;
  /**
   * The storage seam of every partition (log segments, indexes, recovery, retention, compaction,
   * partition.metadata, producer snapshots); default node:fs. Tests pass `@mq/log/testing`'s
   * FaultyFileSystem. Not used for the lock, meta/ files or __consumer_offsets (groups) yet.
   */
  fs?: FileSystem;
  /** The HTTP listener (admin API, /metrics, schema registry); off unless given. */
  http?: BrokerHttpOptions;
  /**
   * The keys the broker app read (loadBrokerOptions' `settings`): DescribeConfigs reports them as
   * STATIC_BROKER_CONFIG with the names written. Unset (embedding): values differing from defaults are.
   */
  settings?: Readonly<Record<string, WrittenSetting>>;
  /**
   * Cluster mode: join the cluster whose metadata lives in these etcd endpoints (`--etcd`). Absent:
   * a single node with its metadata in the data dir, exactly as before.
   */
  cluster?: ClusterOptions;
  /** Message tracing (trace.* keys): sampling (default off), ring size, JSONL dir and retention, OTLP endpoint. */
  trace?: BrokerTraceOptions;
  /**
   * Listeners, TLS and SASL (listeners, listener.security.protocol.map, sasl.*, ssl.* keys). Absent:
   * one PLAINTEXT listener on host/port, exactly as before.
   */
  security?: BrokerSecurityOptions;
}

export interface BrokerHttpOptions extends BrokerHttpSecurityOptions {
  /** Default: the broker's host. */
  host?: string;
  /** 0 = a free port. */
  port: number;
  /** Largest request body (413 past it); default 8 MiB. */
  maxBodyBytes?: number;
  /** Extra routes mounted beside the broker's own (an embedder's, a test's). */
  routes?: readonly Route[];
  /** The Confluent Schema Registry API at the listener's root, its state on `_schemas`; default true. */
  schemaRegistry?: boolean;
  /** Cluster mode: replicas of `_schemas` (schema.registry.topic.replication.factor); the controller creates it once this many brokers are registered. Default 3. */
  schemaRegistryTopicReplicationFactor?: number;
  /** The admin REST API under /v3 with its WebSocket streams and /openapi.json (`@mq/admin-api`); default true. */
  admin?: boolean;
  /**
   * The web console's build dir, served at /console/ (see console-routes.ts for the default lookup);
   * false: none.
   */
  consoleDir?: string | false;
}

/** `await using broker = await startBroker()` stops it when the scope exits. */
export interface RunningBroker extends AsyncDisposable {
  /** The first listener's bound host and port. */
  readonly host: string;
  readonly port: number;
  /** Every Kafka listener as bound (port 0 resolved to the real port), in `listeners` order. */
  readonly listeners: readonly BoundListener[];
  readonly dataDir: string;
  /** Where the HTTP listener is bound; undefined when it is off. */
  readonly http: { readonly host: string; readonly port: number } | undefined;
  /** Graceful: stop accepting, finish in-flight requests, flush and close every log. */
  stop(): Promise<void>;
}

/** `_schemas`' replication factor in a cluster (Confluent's kafkastore.topic.replication.factor default). */
export const DEFAULT_SCHEMAS_REPLICATION_FACTOR = 3;

export async function startBroker(opts: StartBrokerOptions = {}): Promise<RunningBroker> {
  // Startup waits on Clock timers (the lock holder's retry), which are unref'd like Node's
  // unref()ed timeouts: in a process doing nothing else (the mq-broker binary, a script) the event
  // loop would empty mid-start and exit 0 without a word. A ref'd handle holds it until we listen.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  try {
    return await start(opts);
  } finally {
    clearInterval(keepAlive);
  }
}

async function start(opts: StartBrokerOptions): Promise<RunningBroker> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  // The broker CRCs and (re)compresses every produced batch: it runs @mq/records on the native
  // CRC-32C and codecs, off the event loop, as it did before @mq/records became plain JS.
  registerNativeCodecs();
  logger.debug({ codecs: codecImplementations() }, 'record codecs');
  const ownClock = opts.clock === undefined ? new SystemClock({ logger }) : undefined;
  const clock: Clock = opts.clock ?? ownClock!;
  // Refused before any dir or socket is touched: a value that cannot work is a ConfigError.
  const config: BrokerConfig = validateBrokerConfig({ ...DEFAULT_BROKER_CONFIG, ...opts.config });
  validateGroupConfig(opts.groups ?? {});
  const delayConfig = resolveDelayStoreConfig(opts.delayed);
  // Before any dir or socket: a console dir without a build is a configuration mistake.
  const consoleDir = opts.http === undefined || opts.http.consoleDir === false ? undefined : findConsoleDir(opts.http.consoleDir);
  // HTTPS material is read (and http.* checked) before any dir or socket is touched.
  const httpTlsOptions = opts.http === undefined ? undefined : await httpTls(opts.http, opts.security);
  const sampling = tracePolicy(opts.trace);
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'mq-broker-')));
  // Only a dir we made is ours to delete; a caller's dir holds their data.
  const removeDataDir = async (): Promise<void> => {
    if (opts.dataDir === undefined && opts.keepDataDir !== true) await rm(dataDir, { recursive: true, force: true });
  };
  // TLS files are read and listener names checked before any dir or socket is touched.
  const listenerConfigs = await resolveListeners(opts.security, {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    advertisedHost: opts.advertisedHost,
    advertisedPort: opts.advertisedPort,
  }).catch(async (err: unknown) => {
    await removeDataDir();
    throw err;
  });
  const host = listenerConfigs[0]!.host;
  // Before anything in the dir is opened: a second broker on it would destroy acknowledged data.
  const lock = await DataDirLock.acquire(dataDir, { logger, clock }).catch(async (err: unknown) => {
    await removeDataDir();
    throw err;
  });
  let cluster: ClusterMember | undefined;
  // What startup has opened so far: closed newest first when a later step fails, then the cluster
  // membership, the data dir lock and a temp data dir. A closer that fails does not hide `err`.
  const opened: (() => unknown)[] = [];
  const unlockAndThrow = async (err: unknown): Promise<never> => {
    for (const close of opened.splice(0).reverse()) await Promise.resolve().then(close).catch(() => undefined);
    await cluster?.leave().catch(() => undefined);
    await cluster?.close().catch(() => undefined);
    await lock.release();
    await removeDataDir();
    throw err;
  };
  // Read before anything else writes into the dir: a used dir without the marker was not stopped cleanly.
  const lastShutdown = await takeCleanShutdownMarker(dataDir).catch(unlockAndThrow);
  const withRegistry = opts.http !== undefined && opts.http.schemaRegistry !== false;
  if (opts.cluster !== undefined) {
    const unclean = (config.topicDefaults['unclean.leader.election.enable'] ?? 'false') === 'true';
    const groupConfig = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...opts.groups };
    // The controller creates the replicated internal topics coordinators live on.
    const offsetsTopic = {
      name: CONSUMER_OFFSETS_TOPIC,
      numPartitions: groupConfig.offsetsTopicNumPartitions,
      replicationFactor: groupConfig.offsetsTopicReplicationFactor,
      configs: consumerOffsetsTopicConfigs(groupConfig.offsetsTopicSegmentBytes),
    };
    const shareConfig = { ...DEFAULT_SHARE_GROUP_CONFIG, ...opts.share };
    const shareStateTopic = {
      name: SHARE_GROUP_STATE_TOPIC,
      numPartitions: shareConfig.stateTopicNumPartitions,
      replicationFactor: shareConfig.stateTopicReplicationFactor,
      configs: shareGroupStateTopicConfigs(),
    };
    const txnConfig = { ...DEFAULT_TRANSACTION_COORDINATOR_CONFIG, ...opts.transactions };
    const transactionStateTopic = {
      name: TRANSACTION_STATE_TOPIC,
      numPartitions: txnConfig.transactionStateLogNumPartitions,
      replicationFactor: txnConfig.transactionStateLogReplicationFactor,
      configs: { ...transactionStateTopicConfigs(txnConfig.transactionStateLogSegmentBytes), 'min.insync.replicas': String(txnConfig.transactionStateLogMinIsr) },
    };
    // The registry's `_schemas` (one compacted partition, as Confluent's kafkastore.topic), replicated like the coordinators' topics.
    const schemasTopic = {
      name: SCHEMAS_TOPIC,
      numPartitions: 1,
      replicationFactor: opts.http?.schemaRegistryTopicReplicationFactor ?? DEFAULT_SCHEMAS_REPLICATION_FACTOR,
      configs: { 'cleanup.policy': 'compact' },
    };
    // Delayed messages wait on __mq_delayed (compacted), replicated like the coordinators' topics.
    const delayedTopic = {
      name: DELAYED_TOPIC,
      numPartitions: delayConfig.topicPartitions,
      replicationFactor: delayConfig.topicReplicationFactor,
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(delayConfig.topicSegmentBytes) },
    };
    const internalTopics = [offsetsTopic, shareStateTopic, transactionStateTopic, delayedTopic, ...(withRegistry ? [schemasTopic] : [])];
    cluster = await ClusterMember.open(opts.cluster, config.nodeId, logger, unclean, clock, internalTopics).catch(unlockAndThrow);
  }
  const clusterId = await (cluster !== undefined ? cluster.clusterId() : loadOrCreateClusterId(dataDir)).catch(unlockAndThrow);
  const maxOpenFiles = config.maxOpenFiles ?? defaultMaxOpenFiles();
  // Metrics exist only with the HTTP listener that serves them: without it nothing subscribes.
  let openedGroups: GroupCoordinator | undefined;
  // The share coordinator the Kafka handlers use, also behind the HTTP queue API (/v1/queues).
  let openedShare: ShareCoordinator | undefined;
  const metrics = opts.http === undefined ? undefined : wireMetrics(() => openedGroups, config.nodeId, dataDir);
  if (metrics !== undefined) opened.push(() => metrics.stop());
  const fs = metrics?.fileSystem(opts.fs) ?? opts.fs;
  const topics = await TopicManager.open({
    dataDir,
    defaults: config.topicDefaults,
    // Partition logs report recovery cuts and storage errors through this child (component=storage).
    logger: logger.child({ component: 'storage' }),
    maxPartitions: config.maxPartitions,
    maxOpenFiles,
    clock,
    nodeId: config.nodeId,
    ...(cluster !== undefined ? { store: cluster.store } : {}),
    ...(fs !== undefined ? { fs } : {}),
  }).catch(unlockAndThrow);
  opened.push(() => topics.close());
  metrics?.topicsOpened(topics);
  // The fetchers' TLS / SASL: refused here (before any fetch) when the inter-broker listener needs credentials it was not given.
  let replication: ReturnType<ClusterMember['startReplication']> | undefined;
  // The replication quotas (KIP-73): their rates are dynamic broker configs, applied by the server.
  const replicationWindow = { samples: config.replicationQuotaWindowNum, windowSeconds: config.replicationQuotaWindowSizeSeconds };
  const replicationQuotas = cluster === undefined ? undefined : { leader: new ReplicationQuotaManager(clock, replicationWindow), follower: new ReplicationQuotaManager(clock, replicationWindow) };
  try {
    replication = cluster?.startReplication(topics, clock, interBrokerSecurity(opts.security, listenerConfigs), replicationQuotas);
  } catch (err) {
    return unlockAndThrow(err);
  }
  if (replication !== undefined && replicationQuotas !== undefined) metrics?.attachReplication(replication, replicationQuotas);
  // Delayed messages (mq-delay-ms / mq-deliver-at) wait in __mq_delayed; what fell due while the
  // broker was down is appended as soon as it is loaded, before clients connect.
  // Deliveries are told to the queue observers once tracing is wired below (bound late: the store opens first).
  let deliveredTo: ((deliveries: readonly Delivery[]) => void) | undefined;
  const leadership = cluster?.coordinatorLeadership(topics, clock);
  const interBrokerFetchSecurity = replication === undefined ? undefined : interBrokerSecurity(opts.security, listenerConfigs);
  const peerSecurity = interBrokerFetchSecurity === undefined ? {} : { security: interBrokerFetchSecurity };
  // Blocks are taken from the same metadata store the topics live in (meta/producer-ids.json here).
  const producerIds = new ProducerIdManager(topics.store);
  // In a cluster due messages go to each target's leader and a schedule to its delay partition's leader.
  const delayLinks = replication === undefined ? undefined : clusterDelayLinks({ nodeId: config.nodeId, topics, replication, clock, ...peerSecurity });
  if (delayLinks !== undefined) opened.push(() => delayLinks.close());
  const delayLog = logger.child({ component: 'delay' });
  const delayed = await DelayStore.open({
    topicManager: topics,
    clock,
    logger: delayLog,
    producerIds,
    onDelivered: (d) => deliveredTo?.(d),
    ...(opts.delayed !== undefined ? { config: opts.delayed } : {}),
    ...(delayLinks !== undefined && leadership !== undefined
      ? {
          writer: delayLinks.writer,
          cluster: {
            leadership,
            forward: delayLinks.forward,
            onLoaded: (partition: number, leaderEpoch: number, elapsedMs: number, state: { pending: number; inDoubt: number }) =>
              delayLog.info({ partition, leaderEpoch, elapsedMs, ...state }, `loaded ${DELAYED_TOPIC}-${partition}: this broker holds and delivers its delayed messages`),
            onUnloaded: (partition: number) => delayLog.info({ partition }, `unloaded ${DELAYED_TOPIC}-${partition}: its leadership moved away`),
          },
        }
      : {}),
  }).catch(unlockAndThrow);
  opened.push(() => delayed.close());
  // Share-partitions live on their data partition's leader; their state on the share coordinator (persister API).
  const sharePersister = replication === undefined ? undefined : clusterSharePersister({ nodeId: config.nodeId, topics, clock, share: () => openedShare, ...peerSecurity });
  // The share-group offsets admin: the group's coordinator has each share-partition's leader apply the change.
  const shareLeaderOffsets = replication === undefined ? undefined : clusterShareLeaderOffsets({ nodeId: config.nodeId, topics, clock, share: () => openedShare, ...peerSecurity });
  // Dead letters: the DLQ topic created by the controller, each batch appended at its partition's leader (acks=all).
  const deadLetterSink = replication === undefined ? undefined : clusterDeadLetterSink({ nodeId: config.nodeId, topics, replication, clock, ...peerSecurity });
  // Markers go to each partition's leader (WriteTxnMarkers over the inter-broker listener) in a cluster.
  const txnMarkers =
    replication === undefined
      ? undefined
      : clusterTxnMarkerWriter({ nodeId: config.nodeId, topics, replication, clock, groups: () => openedGroups, ...(interBrokerFetchSecurity !== undefined ? { security: interBrokerFetchSecurity } : {}) });
  // A transactional batch whose coordinator is another broker is verified with it first (KIP-890).
  const txnVerifier = replication === undefined ? undefined : clusterTxnVerifier({ nodeId: config.nodeId, topics, clock, ...peerSecurity });
  // SCRAM credentials live in the same store (etcd in a cluster: every broker authenticates the same users).
  const security = await resolveSasl(opts.security, listenerConfigs, topics.store, clock, logger.child({ component: 'auth' }))
    .then((s) => {
      opened.push(s.close);
      if (cluster !== undefined) checkInterBrokerMechanism(opts.security, listenerConfigs, s.mechanisms);
      return s;
    })
    .catch(unlockAndThrow);
  // Tenants of the file, then those stored in the metadata store (`mq tenants set`), followed live.
  const window = { samples: config.quotaWindowNum, windowSeconds: config.quotaWindowSizeSeconds };
  const { tenants, stored: storedTenants } = await loadTenants(opts.security?.tenants, opts.security?.tenantsFile, window, topics.store, config.nodeId, logger.child({ component: 'tenants' })).catch(unlockAndThrow);
  opened.push(() => storedTenants.close());
  // Storage limits count the partitions here (one node) or the whole cluster's (each broker's leaders, through etcd).
  const tenantStorage = await openTenantStorage({ tenants, topics, clock, cluster, replication, intervalMs: opts.security?.tenantsUsagePublishIntervalMs, logger: logger.child({ component: 'tenants' }) }).catch(unlockAndThrow);
  opened.push(() => tenantStorage.close());
  if (metrics !== undefined) registerTenantMetrics(metrics.metrics.registry, () => tenantMetricsViews(tenants, topics, tenantStorage.meter, clock.monotonic()));
  const tracing = await wireTracing(sampling, opts.trace ?? {}, topics, replication !== undefined, logger.child({ component: 'trace' })).catch(unlockAndThrow);
  opened.push(() => tracing.stop());
  // Share-group steps and delayed deliveries, to metrics and tracing (whichever is on).
  const queueMetrics = metrics === undefined ? undefined : new QueueMetricsFeed(topics, metrics.metrics.queues);
  const observers = queueObservers([queueMetrics, tracing.queues], (err) => logger.warn({ err }, 'observing a queue step failed'));
  deliveredTo = observers.delivered;
  if (queueMetrics !== undefined) {
    metrics?.attachQueues({ inFlight: () => queueMetrics.inFlight(openedShare), deadLetterDepths: () => queueMetrics.deadLetterDepths(), delayedPending: () => delayed.size, priorityLaneDepths: () => queueMetrics.laneDepths(openedShare) });
  }
  let server: BrokerServer | undefined;
  let httpBound: { readonly host: string; readonly port: number } | undefined;
  const settings = opts.settings;
  const describeBrokerConfig = () => {
    const port = server?.address().port;
    const bound = server?.listeners();
    const listener = (h: string | undefined, p: number | undefined) => (h === undefined || p === undefined ? undefined : `PLAINTEXT://${h}:${p}`);
    const many = bound !== undefined && (bound.length > 1 || bound[0]!.securityProtocol !== 'PLAINTEXT');
    const logKey = (name: string, dflt: string | undefined) => (settings === undefined ? undefined : (settings[name]?.value ?? dflt));
    return describeBrokerKeys({
      config: { ...config, maxOpenFiles },
      groups: { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...opts.groups },
      settings: settings ?? {},
      app: {
        host,
        port,
        listeners: many ? bound.map((l) => `${l.name}://${l.host}:${l.port}`).join(',') : listener(host, port),
        advertisedHost: opts.advertisedHost ?? host,
        advertisedPort: opts.advertisedPort ?? port,
        advertisedListeners: many ? bound.map((l) => `${l.name}://${l.advertisedHost}:${l.advertisedPort}`).join(',') : listener(opts.advertisedHost ?? host, opts.advertisedPort ?? port),
        dataDir,
        logLevel: logKey('log.level', 'info'),
        logFormat: logKey('log.format', undefined),
        httpPort: httpBound?.port,
        httpHost: httpBound?.host,
        httpAuthenticationMethods: opts.http === undefined ? undefined : (opts.http.authentication ?? []).join(',') || 'none',
        httpSslEnabled: opts.http === undefined ? undefined : String(opts.http.ssl !== undefined),
        httpSslClientAuth: opts.http?.ssl === undefined ? undefined : (opts.http.ssl.clientAuth ?? 'none'),
        schemaRegistryTopicReplicationFactor: opts.http === undefined ? undefined : (opts.http.schemaRegistryTopicReplicationFactor ?? DEFAULT_SCHEMAS_REPLICATION_FACTOR),
      },
      trace: opts.trace,
      ...(opts.share === undefined ? {} : { share: opts.share }),
      ...(opts.delayed === undefined ? {} : { delayed: opts.delayed }),
      ...(opts.transactions === undefined ? {} : { transactions: opts.transactions }),
      security: securityValues(opts.security),
    });
  };
  // The schema registry (with the HTTP listener that serves it). On one node it is loaded from
  // `_schemas` before the Kafka listener reads its first request, so topics with broker-side
  // validation are checked from the start; a cluster member can create `_schemas` only once it has
  // joined, so there it loads after the join (validated topics refuse produces until then).
  const registryLogger = logger.child({ component: 'schema-registry' });
  let registry: SchemaRegistry | undefined;
  opened.push(() => registry?.close());
  const openRegistry = async (forwarder?: RegistryForwarder): Promise<SchemaValidator> => {
    registry =
      leadership === undefined
        ? await SchemaRegistry.open({ topics, clock, logger: registryLogger })
        : await SchemaRegistry.follow({
            topics,
            clock,
            logger: registryLogger,
            leadership,
            leaderOf: () => {
              const leader = topics.image.topics.get(SCHEMAS_TOPIC)?.partitions[0]?.leader;
              return leader === undefined || leader < 0 ? undefined : leader;
            },
          });
    const replicas = () => topics.image.topics.get(SCHEMAS_TOPIC)?.partitions[0]?.replicas ?? [];
    return new SchemaValidator(registry, forwarder === undefined ? {} : { forwarder, replicas });
  };
  try {
    server = await BrokerServer.start({
      listeners: security.listeners,
      ...(security.sasl !== undefined ? { sasl: security.sasl } : {}),
      scramCredentials: security.scram,
      tenants,
      tenantStorage: tenantStorage.meter,
      clusterId,
      config,
      topics,
      producerIds,
      logger,
      clock,
      describeBrokerConfig,
      middleware: [requestLogMiddleware(logger), ...(metrics === undefined ? [] : [metrics.middleware]), ...(tracing.middleware === undefined ? [] : [tracing.middleware])],
      ...(replication !== undefined ? { replication } : {}),
      ...(replicationQuotas !== undefined ? { replicationQuotas } : {}),
      ...(cluster !== undefined ? { clusterOperations: cluster.operations } : {}),
      ...(txnVerifier !== undefined ? { txnVerifier } : {}),
      delayed,
      // Groups live on the internal topic __consumer_offsets (offsets.topic.num.partitions partitions, created on
      // first use; when it exists, or a pre-runtime <dataDir>/__consumer_offsets-0 is imported, loaded before the listener opens).
      groups: async () => {
        const onError = (err: unknown, context: string) => logger.error({ err }, context);
        const groupLog = logger.child({ component: 'groups' });
        const coordinator = await GroupCoordinator.open({
          topicManager: topics,
          config: opts.groups,
          clock,
          onError,
          ...(leadership !== undefined
            ? {
                leadership,
                onLoaded: (partition, leaderEpoch, summary, elapsedMs) =>
                  groupLog.info({ partition, leaderEpoch, records: summary.records, skipped: summary.skipped, endOffset: String(summary.endOffset), elapsedMs }, `loaded ${CONSUMER_OFFSETS_TOPIC}-${partition}: this broker coordinates its groups`),
                onUnloaded: (partition) => groupLog.info({ partition }, `unloaded ${CONSUMER_OFFSETS_TOPIC}-${partition}: its leadership moved away`),
              }
            : {}),
        });
        // KIP-848 groups move their epoch when a subscribed topic is created, deleted or grows.
        topics.onTopicChange(() => coordinator.topicsChanged());
        openedGroups = coordinator;
        return coordinator;
      },
      ...(withRegistry && cluster === undefined ? { produceChecks: () => openRegistry() } : {}),
      // Share groups keep their state in __share_group_state (created on first use, loaded at start when it exists).
      share: async () => {
        const onError = (err: unknown, context: string) => logger.error({ err }, context);
        const shareLog = logger.child({ component: 'share' });
        const groups = openedGroups;
        openedShare = await ShareCoordinator.open({
          topicManager: topics,
          clock,
          onError,
          ...(observers.share === undefined ? {} : { observer: observers.share }),
          ...(opts.share === undefined ? {} : { config: opts.share }),
          ...(deadLetterSink === undefined ? {} : { deadLetterSink }),
          ...(leadership !== undefined && replication !== undefined && sharePersister !== undefined
            ? {
                cluster: {
                  leadership,
                  persister: sharePersister,
                  ...(shareLeaderOffsets === undefined ? {} : { leaderOffsets: shareLeaderOffsets }),
                  ledHere: (p) => replication.checkLeader(p.topic, p.index) === ErrorCode.NONE,
                  onLoaded: (partition, leaderEpoch, summary, elapsedMs) =>
                    shareLog.info({ partition, leaderEpoch, records: summary.records, skipped: summary.skipped, elapsedMs }, `loaded ${SHARE_GROUP_STATE_TOPIC}-${partition}: this broker is its share coordinator`),
                  onUnloaded: (partition) => shareLog.info({ partition }, `unloaded ${SHARE_GROUP_STATE_TOPIC}-${partition}: its leadership moved away`),
                },
              }
            : {}),
          isOtherGroup: (groupId) => {
            const [g] = groups?.describeGroups([groupId]) ?? [];
            return g !== undefined && g.groupState !== 'Dead';
          },
          // Each share group's existence is a ShareGroupMetadata record in its __consumer_offsets
          // partition: the broker coordinating it next (a move, a restart) lists it while it is empty.
          ...(groups === undefined
            ? {}
            : {
                groupStore: {
                  store: (groupId: string, groupEpoch: number) => groups.storeShareGroup(groupId, groupEpoch),
                  drop: (groupId: string) => groups.storeShareGroup(groupId, null),
                  ids: () => groups.shareGroupIds(),
                },
              }),
        });
        return openedShare;
      },
      // Transactions live on __transaction_state (transaction.state.log.num.partitions): on one node created on
      // first use, markers written in process (__consumer_offsets' through the group coordinator); in a cluster
      // created by the controller (replicated), each partition's shard where it is led, markers to each leader.
      transactions: () => {
        const txnLog = logger.child({ component: 'transactions' });
        return TransactionCoordinator.open({
          topicManager: topics,
          producerIds,
          clock,
          markers: txnMarkers ?? new LocalTxnMarkerWriter(topics, () => openedGroups),
          groupPartitionFor: (groupId) => openedGroups!.partitionFor(groupId),
          ...(opts.transactions !== undefined ? { config: opts.transactions } : {}),
          onError: (err: unknown, context: string) => logger.error({ err }, context),
          ...(leadership !== undefined
            ? {
                leadership,
                onLoaded: (partition: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) =>
                  txnLog.info({ partition, leaderEpoch, records: summary.records, skipped: summary.skipped, elapsedMs }, `loaded ${TRANSACTION_STATE_TOPIC}-${partition}: this broker coordinates its transactional ids`),
                onUnloaded: (partition: number) => txnLog.info({ partition }, `unloaded ${TRANSACTION_STATE_TOPIC}-${partition}: its leadership moved away`),
              }
            : {}),
        });
      },
    });
  } catch (err) {
    return unlockAndThrow(err);
  }
  const started = server;
  opened.push(() => started.stop());
  metrics?.attach(server);
  const { port } = server.address();
  const boundListeners = server.listeners();
  // Other brokers (and clients told by them) reach this one at inter.broker.listener.name's address, else the first listener's.
  const interBroker = interBrokerListener(opts.security, boundListeners);
  if (cluster !== undefined) {
    const member = cluster;
    // Registered only once the listener is bound: a registration is a promise that clients can connect.
    const advertised = Object.fromEntries(boundListeners.map((l) => [l.name, { host: l.advertisedHost, port: l.advertisedPort }]));
    await member.join(interBroker.advertisedHost, interBroker.advertisedPort, advertised).catch(unlockAndThrow);
  }
  // In a cluster the HTTP forwarding the registry uses (each broker's URL in etcd): writes go to
  // `_schemas`' leader, and so do the reads (validation's too) of a broker holding no replica of it.
  // It also reaches the delay partitions' leaders.
  const own = cluster === undefined ? undefined : ownAuthorization(opts.http?.authentication ?? [], opts.security, clock, logger);
  const peerHttp =
    cluster === undefined || !withRegistry
      ? undefined
      : registryForwarder({ nodeId: config.nodeId, store: cluster.store, clock, ...(httpTlsOptions !== undefined ? { tls: httpTlsOptions } : {}), ...(own !== undefined ? { own } : {}) });
  if (withRegistry && cluster !== undefined) {
    server.services.produceChecks = await openRegistry(peerHttp).catch(unlockAndThrow);
  }
  let http: HttpServer | undefined;
  let admin: AdminApi | undefined;
  opened.push(() => admin?.close(), () => http?.stop());
  if (opts.http !== undefined) {
    const delayedPeers = peerHttp === undefined ? undefined : delayedPeersOf(topics, config.nodeId, peerHttp);
    const router = new Router().add(...(metrics === undefined ? [] : [metrics.route]), ...(opts.http.routes ?? []));
    if (opts.http.admin !== false) {
      const clusterInfo = brokerClusterInfo({ clusterId, nodeId: config.nodeId, topics, host: opts.advertisedHost ?? host, port: opts.advertisedPort ?? port });
      if (consoleDir !== undefined) router.add(...consoleRoutes(consoleDir));
      admin = new AdminApi({ cluster: clusterInfo, topics, groups: () => openedGroups, share: () => openedShare, delayed, ...(delayedPeers !== undefined ? { delayedPeers } : {}), traces: { store: tracing.store, sink: tracing.sink }, tenants: storedTenants, clock }, { version: brokerVersion(), logger: logger.child({ component: 'admin-api' }) }).mount(router);
    }
    const forwarder = peerHttp;
    const registryRouteList = registry === undefined ? [] : registryRoutes(registry, { logger: registryLogger, ...(forwarder !== undefined ? { forwarder } : {}) });
    router.add(...registryRouteList);
    const httpOpts = opts.http;
    const httpLogger = logger.child({ component: 'http' });
    // Bearer tokens on HTTP are checked as OAUTHBEARER checks them: the Kafka listeners' validator, or one of HTTP's own.
    const bearer =
      security.oauthBearer ??
      (httpOpts.authentication?.includes('bearer') === true
        ? await oauthBearerSetup(opts.security?.oauthBearer, clock, logger.child({ component: 'auth' })).then((o) => {
            opened.push(o.close);
            return o.validator;
          })
        : undefined);
    http = await httpSecurity({
      http: httpOpts,
      tls: httpTlsOptions,
      host: httpOpts.host ?? host,
      security: opts.security,
      scram: security.scram,
      bearer,
      acls: server.services.acls,
      extraRules: new Map(registryRouteList.map((r) => [`${r.method} ${r.path}`, registryRule(r.method, r.path)])),
      failureDelayMs: config.connectionFailedAuthenticationDelayMs,
      clock,
      logger: httpLogger,
    })
      .then((guard) =>
        HttpServer.start({
          host: httpOpts.host ?? host,
          port: httpOpts.port,
          router,
          logger: httpLogger,
          ...(httpOpts.maxBodyBytes !== undefined ? { maxBodyBytes: httpOpts.maxBodyBytes } : {}),
          ...guard,
        }),
      )
      .catch(unlockAndThrow);
  }
  const httpAddress = http?.address();
  httpBound = httpAddress;
  if (cluster !== undefined && registry !== undefined && httpAddress !== undefined) {
    const url = registryUrl(httpAddress, opts.advertisedHost ?? host, httpTlsOptions !== undefined);
    await publishRegistryUrl(cluster.store, config.nodeId, url).catch(unlockAndThrow);
    registryLogger.info({ url }, 'schema registry URL published (other brokers forward writes here while this one leads _schemas)');
  }
  // An open WebSocket was authorized when it opened: a changed ACL set checks them all again.
  const listening = http;
  const unwatchHttpAcls = listening === undefined ? undefined : server.services.acls?.onChange(() => listening.reauthorizeWebSockets());
  const fdWatch = watchOpenFiles(logger, { clock });
  logStartup(logger, {
    host,
    port,
    advertised: hostPort(boundListeners[0]!.advertisedHost, boundListeners[0]!.advertisedPort),
    listeners: boundListeners,
    open: openListeners(security.listeners).map((l) => l.name),
    dataDir,
    nodeId: config.nodeId,
    clusterId,
    topicDefaults: config.topicDefaults,
    topics,
    lastShutdown,
    ...(httpAddress !== undefined ? { httpPort: httpAddress.port } : {}),
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('broker stopping');
      fdWatch.stop();
      try {
        unwatchHttpAcls?.();
        admin?.close(); // its streams' ticks, before their sockets close
        await http?.stop(); // first: no admin request may reach a closing log
        await registry?.close();
        // Leaves the cluster first: leadership moves away while this broker still answers.
        storedTenants.close();
        await tenantStorage.close(); // its report goes at once, not a lease TTL later
        await cluster?.leave();
        await server.stop();
        security.close(); // the JWKS refresh timer
        sharePersister?.close();
        shareLeaderOffsets?.close();
        deadLetterSink?.close();
        txnMarkers?.close();
        txnVerifier?.close();
        metrics?.stop();
        await delayed.close(); // after the listener: no produce is left waiting on it
        await tracing.stop();
        await topics.close();
        // Only once every log closed cleanly: the next start then has nothing to warn about.
        if (opts.dataDir !== undefined || opts.keepDataDir === true) await writeCleanShutdownMarker(dataDir);
        await cluster?.close();
      } finally {
        await lock.release(); // even when closing failed: this process no longer uses the dir
      }
      await removeDataDir();
      // Nothing of this broker may fire after stop; a caller's clock is the caller's to stop.
      ownClock?.cancelAll();
      logger.info('broker stopped');
    })();
    return stopping;
  };
  return { host, port, listeners: boundListeners, dataDir, http: httpAddress, stop, [Symbol.asyncDispose]: stop };
}
