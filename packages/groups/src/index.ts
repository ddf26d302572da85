// Public API of @mq/groups: the classic group coordinator, committed offsets on __consumer_offsets,
// lag (the consumer-protocol codec is @mq/protocol's, the partition assignors @mq/assignors').
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export { DEFAULT_GROUP_COORDINATOR_CONFIG, GROUP_CONFIG_DEFS, type GroupConfigKey, type GroupCoordinatorConfig } from './config';
export { type Clock, type TimerHandle, systemClock } from './clock';
export type { GroupState } from './group-state';
export { GROUP_STATES } from './group-state';
export { GroupsError, CoordinatorError, type GroupsErrorCode } from './errors';
export type {
  CommittedOffset,
  DescribedGroup,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListedGroup,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchGroupRequest,
  OffsetFetchGroupResponse,
  OffsetFetchPartition,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types';
export { type GroupRecordLog, MemoryRecordLog } from './record-log';
export { type GroupRecord, type RawRecord, type StoredGroup, type StoredMember, decodeGroupRecord, encodeGroupRecord } from './group-records';
export { type PartitionLag, computeLag, totalLag } from './lag';
export {
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  type TopicResolver,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  SERVER_ASSIGNORS,
} from './consumer-group-protocol';
export { Re2Pattern } from './re2/re2-matcher';
export { CONSUMER_OFFSETS_TOPIC, LogRecordStore, type LogRecordStoreOptions } from './log-record-store';
