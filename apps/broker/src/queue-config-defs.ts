// The broker's queue keys: share groups (@mq/share, KIP-932's group.share.* and share.* with Kafka's
// names and defaults, and mq's per-member lock cap) and the delay store (@mq/delay, mq.delayed.*).
// Declared here so neither package needs @mq/config; the config table composes them like every
// component's. The per-topic queue settings (mq.dlq.*, mq.message.ttl.ms, mq.priority.*) are topic
// configs of @mq/partition, with broker defaults of the same name.
import { type ConfigDef, INT_MAX } from '@mq/config';
import type { DelayStoreConfig } from '@mq/delay';
import type { ShareGroupConfig } from '@mq/share';

const q = { dynamic: false, scope: 'broker' } as const;

export const SHARE_CONFIG_DEFS: { readonly [K in keyof ShareGroupConfig]-?: ConfigDef } = {
  recordLockDurationMs: {
    ...q,
    name: 'group.share.record.lock.duration.ms',
    type: 'int',
    default: '30000',
    range: { min: 1000, max: 3_600_000 },
    importance: 'medium',
    doc: 'How long a record acquired by a share consumer stays locked to it; then it is available again (its delivery count stays raised).',
  },
  deliveryCountLimit: {
    ...q,
    name: 'group.share.delivery.count.limit',
    type: 'int',
    default: '5',
    range: { min: 2, max: 10 },
    importance: 'medium',
    doc: 'Deliveries of one record before a release or lock expiry archives it instead (and dead-letters it, with `mq.dlq.enable`).',
  },
  partitionMaxRecordLocks: {
    ...q,
    name: 'group.share.partition.max.record.locks',
    type: 'int',
    default: '200',
    range: { min: 1, max: 10_000 },
    importance: 'medium',
    doc: 'Records acquired at once per share-partition (all members together): backpressure — a share fetch past it gets nothing until records are acknowledged or their locks expire (Kafka: at least 100). While several members fetch, each may hold its fair share of it (divided by the members holding locks or fetching).',
  },
  memberMaxRecordLocks: {
    ...q,
    name: 'mq.share.member.max.record.locks',
    type: 'int',
    default: '0',
    range: { min: 0, max: 10_000 },
    importance: 'low',
    doc: 'mq only: records one member may hold acquired per share-partition at once, also when it fetches alone (the fair share of `group.share.partition.max.record.locks` applies anyway while others fetch); 0: no cap of its own.',
  },
  autoOffsetReset: {
    ...q,
    name: 'share.auto.offset.reset',
    type: 'string',
    default: 'latest',
    validValues: ['earliest', 'latest'],
    importance: 'medium',
    doc: 'Where a share-partition without state starts: the log start (`earliest`) or the high watermark (`latest`). Kafka sets it per group; here it is the broker-wide default.',
  },
  sessionTimeoutMs: {
    ...q,
    name: 'group.share.session.timeout.ms',
    type: 'int',
    default: '45000',
    range: { min: 1, max: INT_MAX },
    importance: 'medium',
    doc: 'A share group member without a heartbeat this long is removed; what it held becomes available again.',
  },
  heartbeatIntervalMs: {
    ...q,
    name: 'group.share.heartbeat.interval.ms',
    type: 'int',
    default: '5000',
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'The heartbeat interval told to share group members.',
  },
  maxSize: {
    ...q,
    name: 'group.share.max.size',
    type: 'int',
    default: '200',
    range: { min: 1, max: 1000 },
    importance: 'low',
    doc: 'Members per share group; a join past it gets GROUP_MAX_SIZE_REACHED.',
  },
  stateTopicNumPartitions: {
    ...q,
    name: 'share.coordinator.state.topic.num.partitions',
    type: 'int',
    default: '50',
    range: { min: 1, max: 10_000 },
    importance: 'low',
    doc: 'Partitions of the internal topic `__share_group_state` when it is created (on first use); fixed afterwards.',
  },
  stateTopicReplicationFactor: {
    ...q,
    name: 'share.coordinator.state.topic.replication.factor',
    type: 'int',
    default: '3',
    range: { min: 1, max: 32_767 },
    importance: 'low',
    doc: 'Replicas of each `__share_group_state` partition in a cluster. As in Kafka, the controller creates the topic only once this many brokers are registered (share fetches wait with COORDINATOR_NOT_AVAILABLE until then); a single node (no --etcd) ignores it.',
  },
  snapshotUpdateRecordsPerSnapshot: {
    ...q,
    name: 'share.coordinator.snapshot.update.records.per.snapshot',
    type: 'int',
    default: '500',
    range: { min: 0, max: 500 },
    importance: 'low',
    doc: 'ShareUpdate records written for a share-partition between two ShareSnapshot records of its whole state.',
  },
  stateTopicPruneIntervalMs: {
    ...q,
    name: 'share.coordinator.state.topic.prune.interval.ms',
    type: 'int',
    default: '300000',
    range: { min: 100, max: INT_MAX },
    importance: 'low',
    doc: 'How often each `__share_group_state` partition led here deletes its records no share-partition needs any more: its log start moves to the earliest latest snapshot of its share-partitions (Kafka: 300000).',
  },
};

export const DELAY_CONFIG_DEFS: { readonly [K in keyof DelayStoreConfig]-?: ConfigDef } = {
  topicPartitions: {
    ...q,
    name: 'mq.delayed.topic.num.partitions',
    type: 'int',
    default: '4',
    range: { min: 1, max: 1000 },
    importance: 'low',
    doc: 'mq only: partitions of the internal delay store topic `__mq_delayed` when it is created; fixed afterwards.',
  },
  topicReplicationFactor: {
    ...q,
    name: 'mq.delayed.topic.replication.factor',
    type: 'int',
    default: '3',
    range: { min: 1, max: 32767 },
    importance: 'medium',
    doc: 'mq only, cluster mode: replicas of `__mq_delayed`; the controller creates it once this many brokers are registered. A produce with a delay is acknowledged once its message is on every in-sync replica.',
  },
  topicSegmentBytes: {
    ...q,
    name: 'mq.delayed.topic.segment.bytes',
    type: 'int',
    default: String(64 * 1024 * 1024),
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'mq only: segment size of `__mq_delayed` (compacted: delivered and cancelled messages go with old segments).',
  },
  maxDelayMs: {
    ...q,
    name: 'mq.delayed.max.delay.ms',
    type: 'long',
    default: String(365 * 24 * 60 * 60 * 1000),
    range: { min: 1, max: Number.MAX_SAFE_INTEGER },
    importance: 'medium',
    doc: 'mq only: the longest delay (`mq-delay-ms`, or `mq-deliver-at` minus now) a produced record may ask for.',
  },
  retryBackoffMs: {
    ...q,
    name: 'mq.delayed.retry.backoff.ms',
    type: 'int',
    default: '1000',
    range: { min: 1, max: 3_600_000 },
    importance: 'low',
    doc: 'mq only: how long the delay store waits before appending a due message again after a retriable failure.',
  },
};

export type ShareConfigField = keyof ShareGroupConfig;
export type DelayConfigField = keyof DelayStoreConfig;
