// Share-group settings (KIP-932's broker and group configs, with Kafka's names and defaults) and
// the per-share-partition part a SharePartition needs.

export type AutoOffsetReset = 'earliest' | 'latest';

export interface SharePartitionConfig {
  /** group.share.record.lock.duration.ms (Kafka 30000): how long an acquired record stays locked to its member. */
  recordLockDurationMs: number;
  /** group.share.delivery.count.limit (Kafka 5): a record delivered this often is archived instead of made available again. */
  deliveryCountLimit: number;
  /** group.share.partition.max.record.locks (Kafka 200): acquired records per share-partition at once. */
  partitionMaxRecordLocks: number;
  /** mq: acquired records one member may hold per share-partition at once (0 = no cap beyond the partition's). */
  memberMaxRecordLocks: number;
}

export interface ShareGroupConfig extends SharePartitionConfig {
  /** share.auto.offset.reset (Kafka latest): where a share-partition without state starts. */
  autoOffsetReset: AutoOffsetReset;
  /** group.share.session.timeout.ms (Kafka 45000): a member without a heartbeat this long is removed. */
  sessionTimeoutMs: number;
  /** group.share.heartbeat.interval.ms (Kafka 5000). */
  heartbeatIntervalMs: number;
  /** group.share.max.size (Kafka 200): members per share group. */
  maxSize: number;
  /** share.coordinator.state.topic.num.partitions (Kafka 50): partitions of __share_group_state when created. */
  stateTopicNumPartitions: number;
  /** share.coordinator.state.topic.replication.factor (Kafka 3): replicas of each __share_group_state partition in a cluster. */
  stateTopicReplicationFactor: number;
  /** share.coordinator.snapshot.update.records.per.snapshot (Kafka 500): updates between two snapshots of a share-partition. */
  snapshotUpdateRecordsPerSnapshot: number;
  /** share.coordinator.state.topic.prune.interval.ms (Kafka 300000): how often records no share-partition needs are deleted from __share_group_state. */
  stateTopicPruneIntervalMs: number;
}

export const DEFAULT_SHARE_GROUP_CONFIG: Readonly<ShareGroupConfig> = Object.freeze({
  recordLockDurationMs: 30_000,
  deliveryCountLimit: 5,
  partitionMaxRecordLocks: 200,
  memberMaxRecordLocks: 0,
  autoOffsetReset: 'latest',
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 5_000,
  maxSize: 200,
  stateTopicNumPartitions: 50,
  stateTopicReplicationFactor: 3,
  snapshotUpdateRecordsPerSnapshot: 500,
  stateTopicPruneIntervalMs: 300_000,
});
