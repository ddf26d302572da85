// The definitions of every BrokerConfig field that is a Kafka-style key: type, default, range, doc.
// One row per key; DEFAULT_BROKER_CONFIG, the broker app's parsing/validation, DescribeConfigs and
// the generated reference in apps/broker/README.md all read this table.
import { authorizerEnabled, parseSuperUsers } from '@mq/acl';
import { type ConfigDef, INT_MAX } from '@mq/config';
import { MAX_PARTITIONS_PER_TOPIC } from '@mq/partition';
import type { BrokerConfig } from './broker-config';

/** Node timers take at most 2^31-1 ms; a larger value silently becomes 1 ms. */

/** BrokerConfig fields set by a key (topicDefaults comes from the topic configs' broker synonyms). */
export type BrokerConfigKeyField = Exclude<keyof BrokerConfig, 'topicDefaults' | 'fetchMaxWaitMsCap' | 'listenerMaxConnections'>;

const broker = { dynamic: false, scope: 'broker' } as const;

/** Kafka's listener-prefixed max.connections: one key per listener, so outside the one-key-per-field table. */
export const LISTENER_MAX_CONNECTIONS_KEY = /^listener\.name\.([^.]+)\.max\.connections$/i;

export const LISTENER_MAX_CONNECTIONS_DEF: ConfigDef = {
  ...broker,
  name: 'listener.name.<listener>.max.connections',
  type: 'int',
  default: String(INT_MAX),
  range: { min: 0, max: INT_MAX },
  importance: 'medium',
  doc:
    'Connections one listener keeps open at once (the listener name in lower or upper case, e.g. `listener.name.client.max.connections`), ' +
    'beside the broker-wide max.connections and max.connections.per.ip; past it a new connection is closed on accept, logged at WARN and ' +
    'counted in mq_listener_connections_rejected (Kafka’s acceptor waits for a free slot instead). Config file or `--override` only (no env var).',
};

/** The problem with a value, from a parser that throws (undefined when it parses). */
function problemOf(parse: (v: string) => unknown): (v: string) => string | undefined {
  return (v) => {
    try {
      parse(v);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
}

/** The mapped type makes a new BrokerConfig field without a definition a compile error. */
export const BROKER_CONFIG_DEFS: { readonly [K in BrokerConfigKeyField]-?: ConfigDef } = {
  nodeId: {
    ...broker,
    name: 'node.id',
    type: 'int',
    default: '0',
    range: { min: 0, max: INT_MAX },
    synonyms: ['broker.id'],
    importance: 'high',
    doc: 'This broker’s id, reported in Metadata, FindCoordinator and DescribeCluster.',
  },
  autoCreateTopicsEnable: {
    ...broker,
    name: 'auto.create.topics.enable',
    type: 'boolean',
    default: 'true',
    importance: 'high',
    doc: 'Metadata requests that allow it create unknown topics (with num.partitions partitions).',
  },
  numPartitions: {
    ...broker,
    name: 'num.partitions',
    type: 'int',
    default: '1',
    range: { min: 1, max: MAX_PARTITIONS_PER_TOPIC },
    importance: 'medium',
    doc: 'Partitions of an auto-created topic and of a CreateTopics request that asks for -1.',
  },
  defaultReplicationFactor: {
    ...broker,
    name: 'default.replication.factor',
    type: 'int',
    default: '1',
    // Kafka's short; a factor above the live brokers fails the create (INVALID_REPLICATION_FACTOR).
    range: { min: 1, max: 32_767 },
    importance: 'medium',
    doc: 'Replication factor of auto-created topics and of CreateTopics with -1 (one node: only 1 can work).',
  },
  socketRequestMaxBytes: {
    ...broker,
    name: 'socket.request.max.bytes',
    type: 'int',
    default: '104857600',
    range: { min: 1, max: INT_MAX },
    importance: 'high',
    doc: 'A request frame larger than this closes the connection.',
  },
  connectionsMaxIdleMs: {
    ...broker,
    name: 'connections.max.idle.ms',
    type: 'long',
    default: '600000',
    // A socket timer; 0 or negative would silently mean "never" here but "at once" in Kafka.
    range: { min: 1, max: INT_MAX },
    importance: 'medium',
    doc: 'A connection with nothing in flight and no traffic for this long is closed.',
  },
  retentionCheckIntervalMs: {
    ...broker,
    name: 'log.retention.check.interval.ms',
    type: 'long',
    default: '300000',
    range: { min: 1, max: INT_MAX },
    importance: 'medium',
    doc: 'How often retention (retention.ms, retention.bytes) runs over every partition.',
  },
  logCleanerBackoffMs: {
    ...broker,
    name: 'log.cleaner.backoff.ms',
    type: 'long',
    default: '15000',
    range: { min: 1, max: INT_MAX },
    importance: 'medium',
    doc: 'How often the log cleaner looks for compacted partitions that need cleaning.',
  },
  fetchMaxBytes: {
    ...broker,
    name: 'fetch.max.bytes',
    type: 'int',
    default: '57671680',
    range: { min: 1024, max: INT_MAX },
    importance: 'medium',
    doc: 'The most record bytes one Fetch response carries beyond its first batch (KIP-74).',
  },
  maxIncrementalFetchSessionCacheSlots: {
    ...broker,
    name: 'max.incremental.fetch.session.cache.slots',
    type: 'int',
    default: '1000',
    range: { min: 0, max: INT_MAX },
    importance: 'medium',
    doc:
      'Fetch sessions (KIP-227) kept: a session lets a consumer send and receive only the partitions that ' +
      'changed. When full, an idle (2 min) or smaller session is evicted; 0 answers every fetch without one.',
  },
  queuedMaxRequestBytes: {
    ...broker,
    name: 'queued.max.request.bytes',
    type: 'long',
    default: '104857600',
    range: { min: 1, max: Number.MAX_SAFE_INTEGER, orElse: -1 },
    importance: 'medium',
    doc:
      'Request bytes in flight plus Fetch response bytes across all connections; sockets stop being read ' +
      'while it is spent. At least socket.request.max.bytes, or -1 for no budget.',
  },
  maxConnections: {
    ...broker,
    name: 'max.connections',
    type: 'int',
    default: String(INT_MAX),
    range: { min: 0, max: INT_MAX },
    importance: 'medium',
    doc: 'Connections past this are closed on accept and logged at WARN.',
  },
  maxConnectionsPerIp: {
    ...broker,
    name: 'max.connections.per.ip',
    type: 'int',
    default: String(INT_MAX),
    range: { min: 0, max: INT_MAX },
    importance: 'medium',
    doc: 'Likewise, per remote address.',
  },
  maxConnectionsPerIpOverrides: {
    ...broker,
    name: 'max.connections.per.ip.overrides',
    type: 'string',
    default: '',
    importance: 'medium',
    doc: 'Per-address limits overriding max.connections.per.ip: `address:limit` pairs, comma-separated (IP addresses only; IPv6 as [addr]:limit or addr:limit).',
  },
  maxConnectionCreationRate: {
    ...broker,
    name: 'max.connection.creation.rate',
    type: 'int',
    default: String(INT_MAX),
    range: { min: 0, max: INT_MAX },
    importance: 'medium',
    doc:
      'New connections per second the listener serves at once, measured over the quota window (KIP-612); a connection past it ' +
      'waits, unread, for its throttle time. Per address: the ip entities’ connection_creation_rate quota (AlterClientQuotas), past which a connection is closed after its throttle time.',
  },
  quotaWindowNum: {
    ...broker,
    name: 'quota.window.num',
    type: 'int',
    default: '11',
    range: { min: 1, max: 1000 },
    importance: 'low',
    doc: 'Samples a client quota’s rate is measured over (producer_byte_rate, consumer_byte_rate, request_percentage).',
  },
  quotaWindowSizeSeconds: {
    ...broker,
    name: 'quota.window.size.seconds',
    type: 'int',
    default: '1',
    range: { min: 1, max: 3600 },
    importance: 'low',
    doc: 'Length of each client quota sample; a fresh client may burst (quota.window.num − 1) samples’ worth before it is throttled, as in Kafka.',
  },
  replicationQuotaWindowNum: {
    ...broker,
    name: 'replication.quota.window.num',
    type: 'int',
    default: '11',
    range: { min: 1, max: 1000 },
    importance: 'low',
    doc: 'Samples the replication quota’s rate is kept over (leader/follower.replication.throttled.rate, dynamic broker configs).',
  },
  replicationQuotaWindowSizeSeconds: {
    ...broker,
    name: 'replication.quota.window.size.seconds',
    type: 'int',
    default: '1',
    range: { min: 1, max: 3600 },
    importance: 'low',
    doc: 'Length of each replication quota sample; as Kafka’s SimpleRate the rate is over the time the samples span, at least one sample.',
  },
  maxPartitions: {
    ...broker,
    name: 'max.partitions',
    type: 'int',
    default: '20000',
    range: { min: 1, max: INT_MAX },
    importance: 'medium',
    doc:
      'Partitions across all topics (KIP-578’s name); CreateTopics, CreatePartitions and auto-creation ' +
      'past it get POLICY_VIOLATION.',
  },
  maxOpenFiles: {
    ...broker,
    name: 'log.max.open.files',
    type: 'int',
    default: undefined,
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'mq’s own: segment files kept open across all partitions, idle ones closed first. Unset: half the soft `ulimit -n` (1024 where it cannot be read).',
  },
  connectionFailedAuthenticationDelayMs: {
    ...broker,
    name: 'connection.failed.authentication.delay.ms',
    type: 'int',
    default: '100',
    range: { min: 0, max: INT_MAX },
    importance: 'low',
    doc: 'A failed SASL authentication is answered (SASL_AUTHENTICATION_FAILED) this many ms later, then the connection closes: slows password guessing. A failed HTTP authentication (`http.authentication.methods`) is answered 401 this much later too.',
  },
  connectionsMaxReauthMs: {
    ...broker,
    name: 'connections.max.reauth.ms',
    type: 'long',
    default: '0',
    range: { min: 0, max: INT_MAX },
    importance: 'medium',
    doc:
      'KIP-368: a SASL session lasts this long (SaslAuthenticate v1+ tells the client); a request after that ' +
      'without re-authenticating closes the connection. 0: sessions never expire.',
  },
  saslServerMaxReceiveSize: {
    ...broker,
    name: 'sasl.server.max.receive.size',
    type: 'int',
    default: '524288',
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'The largest request (and SASL token) accepted on a SASL listener before authentication; larger ones fail it.',
  },
  authorizerClassName: {
    ...broker,
    name: 'authorizer.class.name',
    type: 'string',
    default: '',
    check: problemOf(authorizerEnabled),
    validText: 'empty, org.apache.kafka.metadata.authorizer.StandardAuthorizer, kafka.security.authorizer.AclAuthorizer or mq.acl.StandardAuthorizer',
    importance: 'high',
    doc:
      'Empty: no authorizer, every request is allowed. Any of the named authorizers (Kafka’s two, mq’s own: one and the same ' +
      'ACL authorizer) turns ACLs on: each request is checked against the ACLs created with CreateAcls (`mq acl create`), ' +
      'stored in the metadata store (etcd in a cluster), and denied requests get Kafka’s *_AUTHORIZATION_FAILED codes.',
  },
  superUsers: {
    ...broker,
    name: 'super.users',
    type: 'string',
    default: '',
    check: problemOf(parseSuperUsers),
    validText: 'User:<name>;User:<name>…',
    importance: 'high',
    doc:
      'Principals the authorizer allows everything, semicolon-separated as in Kafka (`User:admin;User:ops`). In a cluster ' +
      'the brokers’ own principal (User:ANONYMOUS over a PLAINTEXT inter-broker listener) needs CLUSTER_ACTION on the cluster ' +
      'for follower fetches, as in Kafka: list it here or grant it.',
  },
  allowEveryoneIfNoAclFound: {
    ...broker,
    name: 'allow.everyone.if.no.acl.found',
    type: 'boolean',
    default: 'false',
    importance: 'medium',
    doc: 'With the authorizer on: a resource no ACL names (literal, wildcard or prefixed) is allowed to everyone instead of denied.',
  },
};
