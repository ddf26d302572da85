// @mq/partition public API: topics and partitions on @mq/log — high watermark, idempotent
// producer state, append notifications, topic metadata persistence and producer id allocation.
export { TopicManager, MAX_PARTITIONS_PER_TOPIC, DEFAULT_MAX_PARTITIONS, DEFAULT_MAX_OPEN_FILES, newTopicId } from './topic-manager';
export type { TopicManagerOptions, AlterConfigOp, PartitionLogger } from './topic-manager';
export { Topic } from './topic';
export { Partition } from './partition';
export { toLogConfig } from './topic-log-config';
export type { AppendResult, BatchCheck, ReplicaHooks } from './partition';
export { LeaderEpochCache, LEADER_EPOCH_CHECKPOINT_FILE, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from './leader-epoch-cache';
export type { EpochEntry, EpochEndOffset } from './leader-epoch-cache';
export { ProducerStateManager } from './producer-state';
export type { BatchMetadata, SequenceCheck } from './producer-state';
export type { TxnMarker } from './txn-marker';
export { type AbortedTxn, TXN_INDEX_SUFFIX } from './transaction-index';
export { ProducerIdManager } from './producer-id-manager';
export { DataDirLock, DataDirLockedError, LOCK_FILE_NAME } from './data-dir-lock';
export type { DataDirLockHolder, DataDirLockOptions } from './data-dir-lock';
export { validateTopicName, isInternalTopic, MAX_TOPIC_NAME_LENGTH } from './topic-name';
export {
  TOPIC_CONFIG_DEFS,
  ConfigType,
  ConfigSource,
  validateTopicConfigs,
  resolveTopicConfig,
  describeTopicConfig,
  topicConfigForBrokerProperty,
  topicDefaultFromBrokerProperty,
} from './topic-config';
export { brokerTopicDefaultKeyDefs, topicConfigKeyDefs } from './topic-config-keys';
export { NO_THROTTLED_REPLICAS, isReplicaThrottled, parseThrottledReplicas, type ThrottledReplicas } from './throttled-replicas';
export type { TopicConfigName } from './topic-config';
export type { TopicConfig, TopicConfigInput, ConfigEntry, ConfigSynonym, ConfigStatus, BrokerTopicDefault, SchemaValidationConfig, TopicShareConfig } from './topic-config';
export * from '@mq/errors';
