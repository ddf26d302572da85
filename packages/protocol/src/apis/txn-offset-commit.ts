// TxnOffsetCommit (key 28), versions 0-4 (flexible 3+): a transactional producer commits a group's
// offsets inside its transaction; they become visible to the group only when it commits.
// v2 adds the committed leader epoch, v3 the member id / group instance id / generation (KIP-447).
//
// Request  => transactional_id group_id producer_id:INT64 producer_epoch:INT16 generation_id:INT32(3+)
//             member_id(3+) group_instance_id(3+, nullable)
//             [topics => name [partitions => partition_index committed_offset:INT64
//               committed_leader_epoch:INT32(2+) committed_metadata(nullable)]]
// Response => throttle_time_ms [topics => name [partitions => partition_index error_code]]
import type { ApiSchema } from '../schema/types';

export const txnOffsetCommitSchema = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '3+', default: -1 },
      { name: 'memberId', type: 'string', versions: '3+', default: '' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'committedOffset', type: 'int64', versions: '0+' },
              { name: 'committedLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
              { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
