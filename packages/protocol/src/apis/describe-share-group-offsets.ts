// DescribeShareGroupOffsets (key 90): each share-partition's start offset (SPSO) for share groups
// (KIP-932 admin API). Version 0 (flexible); topics null = every topic the group has state for.
//
// Request  => [groups => group_id [topics => topic_name [partitions]](nullable)]
// Response => throttle_time_ms [groups => group_id [topics => topic_name topic_id
//               [partitions => partition_index start_offset leader_epoch error_code error_message(nullable)]]
//               error_code error_message(nullable)]
import type { ApiSchema } from '../schema/types';

export const describeShareGroupOffsetsSchema = {
  apiKey: 90,
  name: 'DescribeShareGroupOffsets',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'groups',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          {
            name: 'topics',
            type: '[]struct',
            versions: '0+',
            nullableVersions: '0+',
            default: null,
            fields: [
              { name: 'topicName', type: 'string', versions: '0+' },
              { name: 'partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'groups',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          {
            name: 'topics',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'topicName', type: 'string', versions: '0+' },
              { name: 'topicId', type: 'uuid', versions: '0+' },
              {
                name: 'partitions',
                type: '[]struct',
                versions: '0+',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '0+' },
                  // -1 when the group has no state for the partition yet.
                  { name: 'startOffset', type: 'int64', versions: '0+' },
                  { name: 'leaderEpoch', type: 'int32', versions: '0+' },
                  { name: 'errorCode', type: 'int16', versions: '0+' },
                  { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
                ],
              },
            ],
          },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
