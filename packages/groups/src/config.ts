// Coordinator settings, named after Kafka's broker configs (group.*, offsets.*), and their key
// definitions (GROUP_CONFIG_DEFS: type, default, range, doc), which the broker app reads them by.
// Defaults are Kafka's except the initial rebalance delay and minimum session timeout, lowered for fast tests.
import { type ConfigDef, INT_MAX } from '@mq/config';

export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms (Kafka 6000). */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms (Kafka 1800000). */
  maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms (Kafka 3000): wait for more members when an empty group first rebalances. */
  initialRebalanceDelayMs: number;
  /** group.max.size (Kafka: unbounded). */
  maxGroupSize: number;
  /** offset.metadata.max.bytes (Kafka 4096). */
  offsetMetadataMaxBytes: number;
  /** offsets.retention.minutes in ms (Kafka 7 days): offsets of an empty group expire after this. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms (Kafka 600000). */
  offsetsRetentionCheckIntervalMs: number;
  /** group.consumer.session.timeout.ms (Kafka 45000): KIP-848 members. */
  consumerSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms (Kafka 5000): told to KIP-848 members. */
  consumerHeartbeatIntervalMs: number;
  /** offsets.topic.num.partitions (Kafka 50): partitions of __consumer_offsets when it is created (fixed afterwards). */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.segment.bytes (Kafka 104857600): segment size of __consumer_offsets' partitions. */
  offsetsTopicSegmentBytes: number;
  /**
   * offsets.topic.replication.factor (Kafka 3): replicas of each __consumer_offsets partition in a
   * cluster. As in Kafka, the topic is not created until that many brokers are registered
   * (FindCoordinator answers COORDINATOR_NOT_AVAILABLE meanwhile); a single node ignores it.
   */
  offsetsTopicReplicationFactor: number;
}

/** A coordinator key: its definition, and what one unit of it is in the config field (minutes → ms). */
export interface GroupConfigKey {
  readonly def: ConfigDef;
  readonly toField: number;
}


function key(name: string, type: 'int' | 'long', dflt: number, min: number, doc: string, max = INT_MAX, toField = 1): GroupConfigKey {
  return {
    def: { name, type, default: String(dflt), range: { min, max }, doc, dynamic: false, importance: 'medium', scope: 'broker' },
    toField,
  };
}

/** One row per GroupCoordinatorConfig field (the mapped type makes a field without a key a compile error). */
export const GROUP_CONFIG_DEFS: { readonly [K in keyof GroupCoordinatorConfig]-?: GroupConfigKey } = {
  minSessionTimeoutMs: key('group.min.session.timeout.ms', 'int', 1000, 0, 'The shortest session timeout a classic member may ask for (Kafka: 6000).'),
  maxSessionTimeoutMs: key('group.max.session.timeout.ms', 'int', 1_800_000, 1, 'The longest session timeout a classic member may ask for.'),
  initialRebalanceDelayMs: key(
    'group.initial.rebalance.delay.ms',
    'int',
    300,
    0,
    'How long an empty classic group waits for more members before its first rebalance (Kafka: 3000).',
  ),
  maxGroupSize: key('group.max.size', 'long', Number.MAX_SAFE_INTEGER, 1, 'Members one group may have; a join past it gets GROUP_MAX_SIZE_REACHED.', Number.MAX_SAFE_INTEGER),
  offsetMetadataMaxBytes: key('offset.metadata.max.bytes', 'int', 4096, 0, 'The longest metadata string an offset commit may carry.'),
  offsetsRetentionMs: key(
    'offsets.retention.minutes',
    'int',
    10_080,
    1,
    'Committed offsets of an empty group expire this long after it became empty (or after the commit).',
    INT_MAX,
    60_000,
  ),
  offsetsRetentionCheckIntervalMs: key('offsets.retention.check.interval.ms', 'long', 600_000, 1, 'How often expired offsets are looked for.'),
  consumerSessionTimeoutMs: key('group.consumer.session.timeout.ms', 'int', 45_000, 1, 'Session timeout of KIP-848 (consumer protocol) members.'),
  consumerHeartbeatIntervalMs: key(
    'group.consumer.heartbeat.interval.ms',
    'int',
    5_000,
    1,
    'The heartbeat interval told to KIP-848 members; less than group.consumer.session.timeout.ms.',
  ),
  offsetsTopicNumPartitions: key(
    'offsets.topic.num.partitions',
    'int',
    50,
    1,
    'Partitions of the internal topic __consumer_offsets when it is created (on first use); fixed afterwards.',
    10_000,
  ),
  offsetsTopicSegmentBytes: key('offsets.topic.segment.bytes', 'int', 104_857_600, 128, 'Segment size of the __consumer_offsets partitions (Kafka: minimum 1).'),
  offsetsTopicReplicationFactor: key(
    'offsets.topic.replication.factor',
    'int',
    3,
    1,
    'Replicas of each __consumer_offsets partition in a cluster. As in Kafka, the controller creates the topic only once this many brokers are registered (FindCoordinator answers COORDINATOR_NOT_AVAILABLE until then); a single node (no --etcd) ignores it.',
    32_767,
  ),
};

export const DEFAULT_GROUP_COORDINATOR_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze(
  Object.fromEntries(
    Object.entries(GROUP_CONFIG_DEFS).map(([field, k]: [string, GroupConfigKey]) => [field, Number(k.def.default) * k.toField]),
  ) as unknown as GroupCoordinatorConfig,
);
