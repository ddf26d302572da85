// Broker-wide settings (Kafka's server.properties names where one exists) and their defaults.
// apps/broker merges file / env / flags into this shape; handlers read it from ctx.broker.config.
import type { TopicConfigInput } from '@mq/partition';

export interface BrokerConfig {
  readonly nodeId: number;
  /** auto.create.topics.enable: Metadata may create unknown topics when the client asks. */
  readonly autoCreateTopicsEnable: boolean;
  /** num.partitions: partition count for auto-created topics and CreateTopics with -1. */
  readonly numPartitions: number;
  /** default.replication.factor: single node, so only 1 (or -1 meaning default) is accepted. */
  readonly defaultReplicationFactor: number;
  /** socket.request.max.bytes: larger frames close the connection. */
  readonly socketRequestMaxBytes: number;
  /** connections.max.idle.ms: a connection with nothing in flight and no traffic this long is closed. */
  readonly connectionsMaxIdleMs: number;
  /** Upper bound on a Fetch long poll, whatever the client asks (Kafka has no such cap; ours protects shutdown). */
  readonly fetchMaxWaitMsCap: number;
  /** Broker-level defaults for topic configs (log.retention.ms etc. mapped to topic names). */
  readonly topicDefaults: TopicConfigInput;
  /** log.retention.check.interval.ms: one timer per broker runs retention on every partition. */
  readonly retentionCheckIntervalMs: number;
}

export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  nodeId: 0,
  autoCreateTopicsEnable: true,
  numPartitions: 1,
  defaultReplicationFactor: 1,
  socketRequestMaxBytes: 104_857_600,
  connectionsMaxIdleMs: 600_000,
  fetchMaxWaitMsCap: 30_000,
  topicDefaults: {},
  retentionCheckIntervalMs: 300_000,
};
