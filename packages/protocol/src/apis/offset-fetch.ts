// OffsetFetch (key 9): a consumer reads its group's committed offsets.
// Every version 0-10 (flexible 6+). v0-7 ask for one group (topics null = all, from v2); v8 batches
// groups; v9 adds the KIP-848 member id/epoch; v10 names topics by topicId.
//
// Request  => group_id(0-7) [topics => name [partition_indexes]](0-7, nullable 2-7)
//             [groups => group_id member_id(9+, nullable) member_epoch(9+)
//               [topics => name(8-9) topic_id(10+) [partition_indexes]](nullable)](8+)
//             require_stable(7+)
// Response => throttle_time_ms(3+)
//             [topics => name [partitions => partition_index committed_offset:int64
//               committed_leader_epoch(5+) metadata(nullable) error_code]](0-7)
//             error_code(2-7)
//             [groups => group_id [topics => name(8-9) topic_id(10+) [partitions => partition_index
//               committed_offset committed_leader_epoch metadata(nullable) error_code]] error_code](8+)
import type { ApiSchema } from '../schema/types';

export const offsetFetchSchema = {
  apiKey: 9,
  name: 'OffsetFetch',
  request: {
    validVersions: '0-10',
    flexibleVersions: '6+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0-7' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0-7',
        nullableVersions: '2-7',
        fields: [
          { name: 'name', type: 'string', versions: '0-7' },
          { name: 'partitionIndexes', type: '[]int32', versions: '0-7' },
        ],
      },
      {
        name: 'groups',
        type: '[]struct',
        versions: '8+',
        fields: [
          { name: 'groupId', type: 'string', versions: '8+' },
          { name: 'memberId', type: 'string', versions: '9+', nullableVersions: '9+', default: null },
          { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1 },
          {
            name: 'topics',
            type: '[]struct',
            versions: '8+',
            nullableVersions: '8+',
            fields: [
              { name: 'name', type: 'string', versions: '8-9' },
              { name: 'topicId', type: 'uuid', versions: '10+' },
              { name: 'partitionIndexes', type: '[]int32', versions: '8+' },
            ],
          },
        ],
      },
      { name: 'requireStable', type: 'bool', versions: '7+', default: false },
    ],
  },
  response: {
    validVersions: '0-10',
    flexibleVersions: '6+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0-7',
        fields: [
          { name: 'name', type: 'string', versions: '0-7' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0-7',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0-7' },
              { name: 'committedOffset', type: 'int64', versions: '0-7' },
              { name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1 },
              { name: 'metadata', type: 'string', versions: '0-7', nullableVersions: '0-7' },
              { name: 'errorCode', type: 'int16', versions: '0-7' },
            ],
          },
        ],
      },
      { name: 'errorCode', type: 'int16', versions: '2-7', default: 0 },
      {
        name: 'groups',
        type: '[]struct',
        versions: '8+',
        fields: [
          { name: 'groupId', type: 'string', versions: '8+' },
          {
            name: 'topics',
            type: '[]struct',
            versions: '8+',
            fields: [
              { name: 'name', type: 'string', versions: '8-9' },
              { name: 'topicId', type: 'uuid', versions: '10+' },
              {
                name: 'partitions',
                type: '[]struct',
                versions: '8+',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '8+' },
                  { name: 'committedOffset', type: 'int64', versions: '8+' },
                  { name: 'committedLeaderEpoch', type: 'int32', versions: '8+', default: -1 },
                  { name: 'metadata', type: 'string', versions: '8+', nullableVersions: '8+' },
                  { name: 'errorCode', type: 'int16', versions: '8+' },
                ],
              },
            ],
          },
          { name: 'errorCode', type: 'int16', versions: '8+', default: 0 },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
