// The keys and values of __consumer_offsets records, declared as data messages for @mq/protocol's
// codec, field for field after Kafka's group-coordinator/*.json (KIP-848 names, camelCase). A stored
// key is int16 key version + the key at that version; the key version names the record type
// (0/1 offset, 2 classic group, 3 consumer group, 4 partition metadata, 5 member metadata,
// 6 target assignment metadata, 7 target assignment member, 8 current member assignment). A stored
// value is int16 value version + the value at that version; a null value is a tombstone.
import type { DataMessageSpec } from '@mq/protocol';

export const OffsetCommitKey = {
  name: 'OffsetCommitKey',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    { name: 'group', type: 'string', versions: '0-1' },
    { name: 'topic', type: 'string', versions: '0-1' },
    { name: 'partition', type: 'int32', versions: '0-1' },
  ],
} as const satisfies DataMessageSpec;

export const OffsetCommitValue = {
  name: 'OffsetCommitValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'offset', type: 'int64', versions: '0+' },
    { name: 'leaderEpoch', type: 'int32', versions: '3+', default: -1 },
    { name: 'metadata', type: 'string', versions: '0+' },
    { name: 'commitTimestamp', type: 'int64', versions: '0+' },
    { name: 'expireTimestamp', type: 'int64', versions: '1', default: -1n },
  ],
} as const satisfies DataMessageSpec;

export const GroupMetadataKey = {
  name: 'GroupMetadataKey',
  validVersions: '2',
  flexibleVersions: 'none',
  fields: [{ name: 'group', type: 'string', versions: '2' }],
} as const satisfies DataMessageSpec;

export const GroupMetadataValue = {
  name: 'GroupMetadataValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'generation', type: 'int32', versions: '0+' },
    { name: 'protocol', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'leader', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'currentStateTimestamp', type: 'int64', versions: '2+', default: -1n },
    {
      name: 'members',
      type: '[]struct',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'rebalanceTimeout', type: 'int32', versions: '1+', default: -1 },
        { name: 'sessionTimeout', type: 'int32', versions: '0+' },
        { name: 'subscription', type: 'bytes', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ],
} as const satisfies DataMessageSpec;

export const ConsumerGroupMetadataKey = {
  name: 'ConsumerGroupMetadataKey',
  validVersions: '3',
  flexibleVersions: 'none',
  fields: [{ name: 'groupId', type: 'string', versions: '3' }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupMetadataValue = {
  name: 'ConsumerGroupMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'epoch', type: 'int32', versions: '0+' }],
} as const satisfies DataMessageSpec;

export const ShareGroupMetadataKey = {
  name: 'ShareGroupMetadataKey',
  validVersions: '11',
  flexibleVersions: 'none',
  fields: [{ name: 'groupId', type: 'string', versions: '11' }],
} as const satisfies DataMessageSpec;

export const ShareGroupMetadataValue = {
  name: 'ShareGroupMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'epoch', type: 'int32', versions: '0+' }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupPartitionMetadataKey = {
  name: 'ConsumerGroupPartitionMetadataKey',
  validVersions: '4',
  flexibleVersions: 'none',
  fields: [{ name: 'groupId', type: 'string', versions: '4' }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupPartitionMetadataValue = {
  name: 'ConsumerGroupPartitionMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    {
      name: 'topics',
      type: '[]struct',
      versions: '0+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '0+' },
        { name: 'topicName', type: 'string', versions: '0+' },
        { name: 'numPartitions', type: 'int32', versions: '0+' },
        {
          name: 'partitionMetadata',
          type: '[]struct',
          versions: '0+',
          fields: [
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'racks', type: '[]string', versions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies DataMessageSpec;

export const ConsumerGroupMemberMetadataKey = {
  name: 'ConsumerGroupMemberMetadataKey',
  validVersions: '5',
  flexibleVersions: 'none',
  fields: [
    { name: 'groupId', type: 'string', versions: '5' },
    { name: 'memberId', type: 'string', versions: '5' },
  ],
} as const satisfies DataMessageSpec;

export const ConsumerGroupMemberMetadataValue = {
  name: 'ConsumerGroupMemberMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'clientId', type: 'string', versions: '0+' },
    { name: 'clientHost', type: 'string', versions: '0+' },
    { name: 'subscribedTopicNames', type: '[]string', versions: '0+' },
    { name: 'subscribedTopicRegex', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '0+', default: -1 },
    { name: 'serverAssignor', type: 'string', versions: '0+', nullableVersions: '0+' },
    {
      name: 'classicMemberMetadata',
      type: 'struct',
      versions: '0+',
      nullableVersions: '0+',
      default: null,
      taggedVersions: '0+',
      tag: 0,
      fields: [
        { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
        {
          name: 'supportedProtocols',
          type: '[]struct',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'metadata', type: 'bytes', versions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies DataMessageSpec;

export const ConsumerGroupTargetAssignmentMetadataKey = {
  name: 'ConsumerGroupTargetAssignmentMetadataKey',
  validVersions: '6',
  flexibleVersions: 'none',
  fields: [{ name: 'groupId', type: 'string', versions: '6' }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupTargetAssignmentMetadataValue = {
  name: 'ConsumerGroupTargetAssignmentMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'assignmentEpoch', type: 'int32', versions: '0+' }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupTargetAssignmentMemberKey = {
  name: 'ConsumerGroupTargetAssignmentMemberKey',
  validVersions: '7',
  flexibleVersions: 'none',
  fields: [
    { name: 'groupId', type: 'string', versions: '7' },
    { name: 'memberId', type: 'string', versions: '7' },
  ],
} as const satisfies DataMessageSpec;

const TOPIC_PARTITIONS = [
  { name: 'topicId', type: 'uuid', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+' },
] as const;

export const ConsumerGroupTargetAssignmentMemberValue = {
  name: 'ConsumerGroupTargetAssignmentMemberValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'topicPartitions', type: '[]struct', versions: '0+', fields: TOPIC_PARTITIONS }],
} as const satisfies DataMessageSpec;

export const ConsumerGroupCurrentMemberAssignmentKey = {
  name: 'ConsumerGroupCurrentMemberAssignmentKey',
  validVersions: '8',
  flexibleVersions: 'none',
  fields: [
    { name: 'groupId', type: 'string', versions: '8' },
    { name: 'memberId', type: 'string', versions: '8' },
  ],
} as const satisfies DataMessageSpec;

export const ConsumerGroupCurrentMemberAssignmentValue = {
  name: 'ConsumerGroupCurrentMemberAssignmentValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'memberEpoch', type: 'int32', versions: '0+' },
    { name: 'previousMemberEpoch', type: 'int32', versions: '0+' },
    { name: 'state', type: 'int8', versions: '0+' },
    { name: 'assignedPartitions', type: '[]struct', versions: '0+', fields: TOPIC_PARTITIONS },
    { name: 'partitionsPendingRevocation', type: '[]struct', versions: '0+', fields: TOPIC_PARTITIONS },
  ],
} as const satisfies DataMessageSpec;

/** Every record schema, keyed by the key version that selects it, with its value schema. */
/**
 * mq's own record (no Kafka equivalent: Kafka stores a transaction's offsets as ordinary offset
 * records in a transactional batch and resolves them on the marker): an offset committed by
 * producer `producerId`'s open transaction (TxnOffsetCommit), tombstoned when the transaction ends;
 * on commit the same batch carries the ordinary offset records. Key version 1000, far from Kafka's.
 */
export const TXN_OFFSET_KEY_VERSION = 1000;
export const TxnOffsetCommitKey = {
  name: 'TxnOffsetCommitKey',
  validVersions: '1000',
  flexibleVersions: 'none',
  fields: [
    { name: 'group', type: 'string', versions: '1000' },
    { name: 'producerId', type: 'int64', versions: '1000' },
    { name: 'topic', type: 'string', versions: '1000' },
    { name: 'partition', type: 'int32', versions: '1000' },
  ],
} as const satisfies DataMessageSpec;

export const RECORD_SCHEMAS = {
  0: { key: OffsetCommitKey, value: OffsetCommitValue },
  1: { key: OffsetCommitKey, value: OffsetCommitValue },
  2: { key: GroupMetadataKey, value: GroupMetadataValue },
  3: { key: ConsumerGroupMetadataKey, value: ConsumerGroupMetadataValue },
  4: { key: ConsumerGroupPartitionMetadataKey, value: ConsumerGroupPartitionMetadataValue },
  5: { key: ConsumerGroupMemberMetadataKey, value: ConsumerGroupMemberMetadataValue },
  6: { key: ConsumerGroupTargetAssignmentMetadataKey, value: ConsumerGroupTargetAssignmentMetadataValue },
  7: { key: ConsumerGroupTargetAssignmentMemberKey, value: ConsumerGroupTargetAssignmentMemberValue },
  8: { key: ConsumerGroupCurrentMemberAssignmentKey, value: ConsumerGroupCurrentMemberAssignmentValue },
  11: { key: ShareGroupMetadataKey, value: ShareGroupMetadataValue },
} as const;

/** mq's own record types (no Kafka definition to compare with), read beside Kafka's. */
export const MQ_RECORD_SCHEMAS = {
  [TXN_OFFSET_KEY_VERSION]: { key: TxnOffsetCommitKey, value: OffsetCommitValue },
} as const;
