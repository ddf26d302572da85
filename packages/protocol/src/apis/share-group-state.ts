// ReadShareGroupState (key 84) and WriteShareGroupState (key 85), version 0 (flexible): the
// inter-broker persister API of KIP-932. The leader of a data partition keeps the share-partition
// in memory and reads / writes its durable state through the share coordinator — the leader of the
// __share_group_state partition the key (group, topic id, partition) hashes to. LeaderEpoch is the
// data partition's leader epoch: the coordinator refuses a write from an older leader.
//
// Read request   => group_id [topics => topic_id [partitions => partition leader_epoch]]
// Read response  => [results => topic_id [partitions => partition error_code error_message(nullable)
//                     state_epoch start_offset [state_batches]]]
// Write request  => group_id [topics => topic_id [partitions => partition state_epoch leader_epoch
//                     start_offset [state_batches]]]
// Write response => [results => topic_id [partitions => partition error_code error_message(nullable)]]
// ReadShareGroupStateSummary (key 87), version 0 (flexible): the start offset only, for the
// offsets admin (DescribeShareGroupOffsets at the group's coordinator). Its LeaderEpoch claims nothing.
// Summary request  => group_id [topics => topic_id [partitions => partition leader_epoch]]
// Summary response => [results => topic_id [partitions => partition error_code error_message(nullable)
//                      state_epoch start_offset]]
// DeleteShareGroupState (key 86), version 0 (flexible): drops share-partitions' state at their
// share coordinator (DeleteShareGroupOffsets, applied by each share-partition's leader).
// Delete request  => group_id [topics => topic_id [partitions => partition]]
// Delete response => [results => topic_id [partitions => partition error_code error_message(nullable)]]
// state_batches  => first_offset last_offset delivery_state:int8 delivery_count:int16
import type { ApiSchema } from '../schema/types';

const stateBatchFields = [
  { name: 'firstOffset', type: 'int64', versions: '0+' },
  { name: 'lastOffset', type: 'int64', versions: '0+' },
  { name: 'deliveryState', type: 'int8', versions: '0+' },
  { name: 'deliveryCount', type: 'int16', versions: '0+' },
] as const;

const errorFields = [
  { name: 'partition', type: 'int32', versions: '0+' },
  { name: 'errorCode', type: 'int16', versions: '0+' },
  { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
] as const;

/** Per topic id, the partitions carrying `fields`: the shape of both requests' topics and both responses' results. */
function byTopicId<const N extends string, const F extends readonly object[]>(name: N, fields: F) {
  return {
    name,
    type: '[]struct',
    versions: '0+',
    fields: [
      { name: 'topicId', type: 'uuid', versions: '0+' },
      { name: 'partitions', type: '[]struct', versions: '0+', fields },
    ],
  } as const;
}

const groupId = { name: 'groupId', type: 'string', versions: '0+' } as const;

/** A read's partitions: the index and the leader epoch of the asking leader. */
const partitionLeaderEpoch = [
  { name: 'partition', type: 'int32', versions: '0+' },
  { name: 'leaderEpoch', type: 'int32', versions: '0+' },
] as const;

/** A share-partition's state answer without its batches (ReadShareGroupState adds them, the summary does not). */
const stateSummaryFields = [...errorFields, { name: 'stateEpoch', type: 'int32', versions: '0+' }, { name: 'startOffset', type: 'int64', versions: '0+' }] as const;

export const readShareGroupStateSchema = {
  apiKey: 84,
  name: 'ReadShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      groupId,
      byTopicId('topics', partitionLeaderEpoch),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      byTopicId('results', [...stateSummaryFields, { name: 'stateBatches', type: '[]struct', versions: '0+', fields: stateBatchFields }] as const),
    ],
  },
} as const satisfies ApiSchema;

export const readShareGroupStateSummarySchema = {
  apiKey: 87,
  name: 'ReadShareGroupStateSummary',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [groupId, byTopicId('topics', partitionLeaderEpoch)],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      byTopicId('results', stateSummaryFields),
    ],
  },
} as const satisfies ApiSchema;

export const writeShareGroupStateSchema = {
  apiKey: 85,
  name: 'WriteShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      groupId,
      byTopicId('topics', [
        { name: 'partition', type: 'int32', versions: '0+' },
        { name: 'stateEpoch', type: 'int32', versions: '0+' },
        { name: 'leaderEpoch', type: 'int32', versions: '0+' },
        { name: 'startOffset', type: 'int64', versions: '0+' },
        { name: 'stateBatches', type: '[]struct', versions: '0+', fields: stateBatchFields },
      ] as const),
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [byTopicId('results', errorFields)],
  },
} as const satisfies ApiSchema;

export const deleteShareGroupStateSchema = {
  apiKey: 86,
  name: 'DeleteShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [groupId, byTopicId('topics', [{ name: 'partition', type: 'int32', versions: '0+' }] as const)],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [byTopicId('results', errorFields)],
  },
} as const satisfies ApiSchema;
