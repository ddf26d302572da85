// Public API of @mq/groups: the group coordinator on @mq/coordinator's runtime over the internal
// topic __consumer_offsets (classic and KIP-848 groups, committed offsets), its record schemas, lag
// (the consumer-protocol codec is @mq/protocol's, the partition assignors @mq/assignors').
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export { DEFAULT_GROUP_COORDINATOR_CONFIG, GROUP_CONFIG_DEFS, type GroupConfigKey, type GroupCoordinatorConfig } from './config';
export type { GroupState } from './group-state';
export { GROUP_STATES } from './group-state';
export { GroupsError, CoordinatorError, type GroupsErrorCode } from './errors';
export type {
  DescribedGroup,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListedGroup,
  OffsetCommitRequest,
  TxnOffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchGroupRequest,
  OffsetFetchGroupResponse,
  OffsetFetchPartition,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
} from './group-api';
export { GroupCoordinatorShard } from './group-coordinator-shard';
export type { Group, GroupType } from './group';
export type { ClassicGroup } from './classic-group';
export type { ConsumerGroup, ConsumerGroupState } from './consumer-group';
export type { OffsetDeleteResult } from './offset-manager';
export type {
  CommittedOffset,
  GroupRecord,
  StoredConsumerMember,
  StoredGroup,
  StoredMember,
  StoredMemberAssignment,
  TopicIdPartitions,
} from './records/group-record';
export { MemberState } from './records/group-record';
export { deserializeGroupRecord, groupRecordSerde, serializeGroupRecord } from './records/group-record-serde';
export { RECORD_SCHEMAS as GROUP_RECORD_SCHEMAS } from './records/record-schemas';
export {
  CONSUMER_OFFSETS_TOPIC,
  consumerOffsetsTopicConfigs,
  DEFAULT_OFFSETS_TOPIC_PARTITIONS,
  javaStringHashCode,
  partitionFor,
} from './consumer-offsets-topic';
export { type PartitionLag, computeLag, totalLag } from './lag';
export {
  type TopicResolver,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  SERVER_ASSIGNORS,
} from './consumer-group-protocol';
export { Re2Pattern } from './re2/re2-matcher';
