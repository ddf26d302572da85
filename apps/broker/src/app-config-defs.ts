// The broker app's own keys: where it listens, what it advertises, its data dir and its logs.
// Every other key belongs to a component package (server, groups, partition); config-table.ts
// composes them all. These have command-line flags as well (FLAG_FOR).
import type { ConfigDef } from '@mq/config';

const app = { dynamic: false, scope: 'broker' } as const;

const nonEmpty = (v: string): string | undefined => (v.trim() === '' ? 'must not be empty' : undefined);
const port = (v: string): string | undefined => (/^\d+$/.test(v.trim()) && Number(v) <= 65_535 ? undefined : `not a port: ${v}`);

/** pino's levels; anything else would only fail later inside pino without naming the setting. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export const APP_CONFIG_DEFS = {
  host: { ...app, name: 'host', type: 'string', default: '127.0.0.1', check: nonEmpty, importance: 'high', doc: 'Interface to listen on (`listeners` sets it too).' },
  port: {
    ...app,
    name: 'port',
    type: 'int',
    default: '9092',
    range: { min: 0, max: 65_535 },
    check: port,
    importance: 'high',
    doc: 'Port to listen on; 0 picks a free one (`listeners` sets it too).',
  },
  listeners: {
    ...app,
    name: 'listeners',
    type: 'list',
    default: undefined,
    validText: 'NAME://host:port,...',
    importance: 'high',
    doc:
      'Kafka’s listeners: `NAME://host:port,...` (empty host: every interface; port 0: a free one). A name is its ' +
      'security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) unless `listener.security.protocol.map` maps it. ' +
      'The first sets `host`/`port`; one PLAINTEXT listener overrides `host`/`port` set at a lower precedence.',
  },
  advertisedHost: {
    ...app,
    name: 'advertised.host',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'Host written into Metadata and FindCoordinator answers; default: the bound host.',
  },
  advertisedPort: {
    ...app,
    name: 'advertised.port',
    type: 'int',
    default: undefined,
    range: { min: 0, max: 65_535 },
    check: port,
    importance: 'medium',
    doc: 'Port written into Metadata and FindCoordinator answers; default: the bound port.',
  },
  advertisedListeners: {
    ...app,
    name: 'advertised.listeners',
    type: 'list',
    default: undefined,
    validText: 'NAME://host:port,...',
    importance: 'high',
    doc: 'Per listener name, the host and port written into Metadata and FindCoordinator answers to clients of that listener; default each listener’s bound address.',
  },
  dataDir: {
    ...app,
    name: 'data.dir',
    type: 'string',
    default: './data',
    check: nonEmpty,
    synonyms: ['log.dirs', 'log.dir'],
    importance: 'high',
    doc: 'Where topics, committed offsets and the cluster id live; one directory (Kafka’s `log.dirs` with one entry).',
  },
  logLevel: {
    ...app,
    name: 'log.level',
    type: 'string',
    default: 'info',
    validValues: LOG_LEVELS,
    importance: 'medium',
    doc: 'pino level of the broker’s logs; `debug` logs every request by API and client id.',
  },
  logFormat: {
    ...app,
    name: 'log.format',
    type: 'string',
    default: undefined,
    validValues: LOG_FORMATS,
    importance: 'low',
    doc: '`json` (one object per line) or `pretty` (for people); default: pretty when stdout is a terminal, else json.',
  },
  httpPort: {
    ...app,
    name: 'http.port',
    type: 'int',
    default: undefined,
    range: { min: 0, max: 65_535 },
    check: port,
    importance: 'medium',
    doc: 'The HTTP listener (`@mq/http`: admin API, /metrics, schema registry); off unless set; 0 picks a free port.',
  },
  httpHost: {
    ...app,
    name: 'http.host',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'low',
    doc: 'Interface of the HTTP listener; default: `host`. Needs `http.port`.',
  },
  httpConsoleDir: {
    ...app,
    name: 'http.console.dir',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'low',
    doc: 'The web console build (apps/dashboard `dist/`) served at /console/; default: an installed @mq/dashboard, else the monorepo\'s apps/dashboard/dist, else none. Needs `http.port`.',
  },
  httpAuthenticationMethods: {
    ...app,
    name: 'http.authentication.methods',
    type: 'list',
    default: 'none',
    validValues: ['none', 'basic', 'bearer', 'mtls'],
    importance: 'high',
    doc:
      'mq’s own (as Redpanda’s `http_authentication`): how HTTP clients (admin API, WebSocket streams, schema registry, /metrics, the console) authenticate. ' +
      '`basic`: HTTP Basic against the SCRAM users of the metadata store (AlterUserScramCredentials, `mq users`) and the PLAIN users of `sasl.jaas.config`; ' +
      '`bearer`: `Authorization: Bearer <token>` (or the WebSocket subprotocol `mq.bearer.<token>`) checked as SASL OAUTHBEARER checks tokens (`sasl.oauthbearer.*`, `mq.sasl.oauthbearer.validator`), the principal from its sub claim; ' +
      '`mtls`: a trusted client certificate, its subject DN the principal (needs `http.ssl.enabled` and `http.ssl.client.auth`). `none`: everyone is User:ANONYMOUS. ' +
      'Failures are answered 401 after `connection.failed.authentication.delay.ms`. With `authorizer.class.name` set, every route is checked against the ACLs.',
  },
  httpSslEnabled: {
    ...app,
    name: 'http.ssl.enabled',
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'HTTPS on the HTTP listener, with the Kafka listeners’ TLS material (`ssl.keystore.location`, or `ssl.certificate.location` and `ssl.key.location`; `ssl.truststore.location` for client certificates).',
  },
  httpSslClientAuth: {
    ...app,
    name: 'http.ssl.client.auth',
    type: 'string',
    default: 'none',
    validValues: ['none', 'requested', 'required'],
    importance: 'low',
    doc: 'Client certificates on the HTTPS listener (as `ssl.client.auth`): `required` refuses a TLS handshake without a trusted one. Needs `http.ssl.enabled`.',
  },
  schemaRegistryTopicReplicationFactor: {
    ...app,
    name: 'schema.registry.topic.replication.factor',
    type: 'int',
    default: '3',
    range: { min: 1, max: 32_767 },
    importance: 'medium',
    doc:
      'Cluster mode, with the HTTP listener: replicas of the schema registry’s `_schemas` topic (Confluent’s `kafkastore.topic.replication.factor`). ' +
      'The controller creates it once this many brokers are registered; its leader writes the registry, the other brokers forward writes to it.',
  },
  etcdEndpoints: {
    ...app,
    name: 'etcd.endpoints',
    type: 'list',
    default: undefined,
    validText: 'http://host:port[,http://host:port...]',
    check: (v) => (v.split(',').every((e) => /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(e.trim())) ? undefined : `not etcd client URLs: ${v}`),
    importance: 'high',
    doc:
      'etcd client URLs: set, the broker joins a cluster (metadata, membership, controller election and ' +
      'partition states in etcd, replication between brokers); unset, it is a single node that needs no etcd.',
  },
  brokerRack: {
    ...app,
    name: 'broker.rack',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'This broker’s rack: replica placement puts a partition’s replicas on different racks first (cluster mode).',
  },
  brokerSessionTimeoutMs: {
    ...app,
    name: 'broker.session.timeout.ms',
    type: 'int',
    default: '1000',
    range: { min: 1000, max: 300_000 },
    importance: 'medium',
    doc:
      'Cluster mode: the TTL of this broker’s etcd lease (rounded up to whole seconds; kept alive every third ' +
      'of it). A broker silent this long is dead: its partitions get new leaders. Kafka’s default is 9000; ' +
      '1000 keeps failover under 2 s (apps/broker/README.md, "Timeouts").',
  },
  replicaLagTimeMaxMs: {
    ...app,
    name: 'replica.lag.time.max.ms',
    type: 'int',
    default: '30000',
    range: { min: 1, max: 2_147_483_647 },
    importance: 'medium',
    doc:
      'Cluster mode: a follower that has not caught up with its leader for this long leaves the ISR (the leader ' +
      'proposes the shrink to the controller’s etcd state); it rejoins once it has caught up again.',
  },
  autoLeaderRebalanceEnable: {
    ...app,
    name: 'auto.leader.rebalance.enable',
    type: 'boolean',
    default: 'true',
    importance: 'high',
    doc:
      'Cluster mode: the controller moves leadership back to each partition’s preferred replica (its first) ' +
      'when that replica is live and in the ISR and its broker is imbalanced (leader.imbalance.per.broker.percentage), ' +
      'checked every leader.imbalance.check.interval.seconds.',
  },
  leaderImbalanceCheckIntervalSeconds: {
    ...app,
    name: 'leader.imbalance.check.interval.seconds',
    type: 'long',
    default: '300',
    range: { min: 1, max: 2_147_483 },
    importance: 'medium',
    doc: 'Cluster mode: how often the controller checks the leader balance (auto.leader.rebalance.enable).',
  },
  leaderImbalancePerBrokerPercentage: {
    ...app,
    name: 'leader.imbalance.per.broker.percentage',
    type: 'int',
    default: '10',
    range: { min: 0, max: 100 },
    importance: 'medium',
    doc:
      'Cluster mode: a broker is imbalanced when more than this percentage of the partitions it is the preferred ' +
      'replica of are led by other brokers; the rebalance check then elects it for those it can lead.',
  },
} as const satisfies Record<string, ConfigDef>;

export type AppConfigField = keyof typeof APP_CONFIG_DEFS;

/** Command-line flags of the app keys (every key can also be given as `--override key=value`). */
export const FLAG_FOR: { readonly [K in AppConfigField]: string } = {
  host: 'host',
  port: 'port',
  listeners: 'listeners',
  advertisedHost: 'advertised-host',
  advertisedPort: 'advertised-port',
  advertisedListeners: 'advertised-listeners',
  dataDir: 'data-dir',
  logLevel: 'log-level',
  logFormat: 'log-format',
  httpPort: 'http-port',
  httpHost: 'http-host',
  httpConsoleDir: 'http-console-dir',
  httpAuthenticationMethods: 'http-authentication-methods',
  httpSslEnabled: 'http-ssl-enabled',
  httpSslClientAuth: 'http-ssl-client-auth',
  schemaRegistryTopicReplicationFactor: 'schema-registry-topic-replication-factor',
  etcdEndpoints: 'etcd',
  brokerRack: 'rack',
  brokerSessionTimeoutMs: 'broker-session-timeout-ms',
  replicaLagTimeMaxMs: 'replica-lag-time-max-ms',
  autoLeaderRebalanceEnable: 'auto-leader-rebalance-enable',
  leaderImbalanceCheckIntervalSeconds: 'leader-imbalance-check-interval-seconds',
  leaderImbalancePerBrokerPercentage: 'leader-imbalance-per-broker-percentage',
};

/** Flags of keys other components own (`--node-id 1` is `node.id`, @mq/server's key). */
export const COMPONENT_FLAGS: Readonly<Record<string, string>> = { 'node.id': 'node-id' };
