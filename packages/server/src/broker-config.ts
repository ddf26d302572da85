// Broker-wide settings (Kafka's server.properties names where one exists) and their defaults.
// apps/broker merges file / env / flags into this shape; handlers read it from ctx.broker.config.
// The keys' types, defaults and ranges are BROKER_CONFIG_DEFS (broker-config-defs.ts).
import { defaultsOf } from '@mq/config';
import type { TopicConfigInput } from '@mq/partition';
import { BROKER_CONFIG_DEFS } from './broker-config-defs';

export interface BrokerConfig {
  readonly nodeId: number;
  /** auto.create.topics.enable: Metadata may create unknown topics when the client asks. */
  readonly autoCreateTopicsEnable: boolean;
  /** num.partitions: partition count for auto-created topics and CreateTopics with -1. */
  readonly numPartitions: number;
  /** default.replication.factor: at most the live brokers (one node: 1), checked at create. */
  readonly defaultReplicationFactor: number;
  /** socket.request.max.bytes: larger frames close the connection. */
  readonly socketRequestMaxBytes: number;
  /** connections.max.idle.ms: a connection with nothing in flight and no traffic this long is closed. */
  readonly connectionsMaxIdleMs: number;
  /** fetch.max.bytes: a Fetch response holds at most this many record bytes (beyond its first batch, KIP-74). */
  readonly fetchMaxBytes: number;
  /** max.incremental.fetch.session.cache.slots: fetch sessions (KIP-227) the broker keeps; 0 turns them off. */
  readonly maxIncrementalFetchSessionCacheSlots: number;
  /**
   * queued.max.request.bytes: request bytes in flight (received, not yet answered and flushed)
   * plus the Fetch record bytes read for them, across all connections; sockets pause when spent.
   */
  readonly queuedMaxRequestBytes: number;
  /** max.connections: connections beyond it are closed as they arrive. */
  readonly maxConnections: number;
  /**
   * listener.name.<listener>.max.connections: per listener (name upper case, as Kafka normalises
   * it) the connections it keeps open at once; more are closed as they arrive. Absent: no limit.
   */
  readonly listenerMaxConnections?: Readonly<Record<string, number>>;
  /** max.connections.per.ip: likewise per remote address. */
  readonly maxConnectionsPerIp: number;
  /** quota.window.num: samples a client quota's rate is measured over (Kafka: 11). */
  readonly quotaWindowNum: number;
  /** quota.window.size.seconds: the length of each sample (Kafka: 1). */
  readonly quotaWindowSizeSeconds: number;
  /** replication.quota.window.num: samples the replication quota's rate is kept over (Kafka: 11). */
  readonly replicationQuotaWindowNum: number;
  /** replication.quota.window.size.seconds: the length of each (Kafka: 1). */
  readonly replicationQuotaWindowSizeSeconds: number;
  /** max.connections.per.ip.overrides: `address:limit,...`, each address's own max.connections.per.ip. */
  readonly maxConnectionsPerIpOverrides: string;
  /** max.connection.creation.rate: new connections per second the listener serves at once; more wait. */
  readonly maxConnectionCreationRate: number;
  /** Upper bound on a Fetch long poll, whatever the client asks (Kafka has no such cap; ours protects shutdown). */
  readonly fetchMaxWaitMsCap: number;
  /** Broker-level defaults for topic configs (log.retention.ms etc. mapped to topic names). */
  readonly topicDefaults: TopicConfigInput;
  /** log.retention.check.interval.ms: one timer per broker runs retention on every partition. */
  readonly retentionCheckIntervalMs: number;
  /** log.cleaner.backoff.ms: how often the log cleaner looks for compacted partitions that need cleaning. */
  readonly logCleanerBackoffMs: number;
  /** max.partitions (KIP-578's name): partitions across all topics; more is refused with POLICY_VIOLATION. */
  readonly maxPartitions: number;
  /**
   * log.max.open.files (mq's own): segment files kept open across all partitions, idle ones closed
   * first. Unset: half the process's soft open-file limit, so sockets keep the other half.
   */
  readonly maxOpenFiles?: number;
  /** connection.failed.authentication.delay.ms: a failed SASL authentication is answered (and closed) this much later. */
  readonly connectionFailedAuthenticationDelayMs: number;
  /** connections.max.reauth.ms (KIP-368): SASL sessions last this long, then must re-authenticate; 0 = forever. */
  readonly connectionsMaxReauthMs: number;
  /** sasl.server.max.receive.size: the largest SASL token accepted before authentication. */
  readonly saslServerMaxReceiveSize: number;
  /**
   * authorizer.class.name: empty, no authorizer (every request allowed, as before); Kafka's
   * StandardAuthorizer / AclAuthorizer names (or mq.acl.StandardAuthorizer) turn ACLs on (@mq/acl).
   */
  readonly authorizerClassName: string;
  /** super.users: semicolon-separated principals (User:admin) allowed everything. */
  readonly superUsers: string;
  /** allow.everyone.if.no.acl.found: with the authorizer on, a resource no ACL names is allowed to all. */
  readonly allowEveryoneIfNoAclFound: boolean;
}

/** Every key's default from BROKER_CONFIG_DEFS, plus the two fields no key sets. */
export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  ...(defaultsOf(BROKER_CONFIG_DEFS) as Omit<BrokerConfig, 'topicDefaults' | 'fetchMaxWaitMsCap'>),
  fetchMaxWaitMsCap: 30_000,
  topicDefaults: {},
};
