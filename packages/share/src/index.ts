// Public API of @mq/share: share groups (KIP-932) — the ShareCoordinator (membership, sessions,
// fetch/acknowledge, durable state in __share_group_state), the SharePartition state machine it
// is built on, the offsets admin, and the __share_group_state record codec.
export { ShareCoordinator, type ShareClusterOptions, type ShareCoordinatorOptions, type ShareGroupStore, type WaitForRecords } from './share-coordinator';
export type { PrunedPartition } from './share-state-store';
export { shareStatePartitionFor, type ShareLeaderOffsets, type ShareOffsetOutcome, type SharePartitionRef, type SharePersister, type ShareStateSummary } from './share-persister';
export { ShareOffsetsAdmin, type ShareOffsetsChange, type ShareOffsetsQuery } from './share-offsets-admin';
export {
  SharePartition,
  type AcknowledgementBatch,
  type AcquireOptions,
  type AcquiredRecords,
  type ArchiveReason,
  type ArchivedRecord,
  type LogRange,
  type OffsetRange,
  type SharePartitionEvents,
  type ShareState,
} from './share-partition';
export { AcknowledgeType, RecordState, type AcknowledgeTypeCode, type RecordStateCode, type StateBatch } from './record-state';
export { DEFAULT_SHARE_GROUP_CONFIG, type AutoOffsetReset, type ShareGroupConfig, type SharePartitionConfig } from './share-config';
export type { ShareGroupState } from './share-group';
export { assignShares, type AssignorTopic } from './share-assignor';
export type { AcquiredFromLog } from './log-acquirer';
export type {
  DescribedShareGroup,
  DescribedShareMember,
  ListedShareGroup,
  PartitionAcknowledgements,
  RequestMeta,
  ShareAcknowledgePartition,
  ShareAcknowledgeRequest,
  ShareAcknowledgeResponse,
  ShareFetchPartition,
  ShareFetchRequest,
  ShareFetchResponse,
  ShareHeartbeatRequest,
  ShareHeartbeatResponse,
  ShareOffsetPartition,
  ShareOffsetTopic,
  TopicAcknowledgements,
  TopicIdPartitions,
} from './share-protocol';
export { SHARE_GROUP_STATE_TOPIC, shareGroupStateTopicConfigs } from './share-state-store';
export type { SharePartitionKey, ShareSnapshot, ShareStateRecord, ShareUpdate } from './records/share-state-record';
export { deserializeShareStateRecord, serializeShareStateRecord, shareStateRecordSerde } from './records/share-state-serde';
export { SHARE_STATE_SCHEMAS } from './records/share-state-schemas';
export { ShareError, type ShareErrorCode } from './share-error';
export { DeadLetterQueue, DLQ_HEADERS, deadLetterTopicName, type DeadLetter, type DeadLetterPlacement } from './dead-letter-queue';
export { localDeadLetterSink, type DeadLetterSink } from './dead-letter-sink';
export type { DeadLetteredRecord, ShareObserver, ShareStep } from './share-step';
export { PriorityLanes, DEFAULT_LANE, LANE_COUNT, type PriorityPolicy } from './priority-lanes';
export { PRIORITY_HEADER, TTL_HEADER, queueRecordMeta, type QueueRecordMeta } from './queue-record-meta';
export type { AcquireContext } from './log-acquirer';
