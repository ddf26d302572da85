// Coordinator settings, named after Kafka's broker configs (group.*, offsets.*). Defaults are
// Kafka's except the initial rebalance delay and minimum session timeout, lowered for fast tests.
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
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  minSessionTimeoutMs: 1000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 300,
  maxGroupSize: Number.MAX_SAFE_INTEGER,
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  consumerSessionTimeoutMs: 45_000,
  consumerHeartbeatIntervalMs: 5_000,
});
