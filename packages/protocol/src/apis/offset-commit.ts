// OffsetCommit (key 8): a consumer stores its committed offsets in the group coordinator.
// Every version 0-10 (flexible 8+). v1 adds generation/member and a per-partition commit timestamp,
// v2-4 a retention time instead, v6 the leader epoch, v7 the static member id, v9 the KIP-848
// member epoch (same field), v10 addresses topics by topicId instead of name.
//
// Request  => group_id generation_id_or_member_epoch(1+) member_id(1+) group_instance_id(7+, nullable)
//             retention_time_ms:int64(2-4)
//             [topics => name(0-9) topic_id:uuid(10+) [partitions => partition_index committed_offset:int64
//               committed_leader_epoch(6+) commit_timestamp:int64(1) committed_metadata(nullable)]]
// Response => throttle_time_ms(3+) [topics => name(0-9) topic_id(10+) [partitions => partition_index error_code]]
import type { ApiSchema } from '../schema/types';

export const offsetCommitSchema = {
  apiKey: 8,
  name: 'OffsetCommit',
  request: {
    validVersions: '0-10',
    flexibleVersions: '8+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      // The generation for classic groups, the member epoch for KIP-848 consumer groups.
      { name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1 },
      { name: 'memberId', type: 'string', versions: '1+' },
      { name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
      { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1n },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0-9' },
          { name: 'topicId', type: 'uuid', versions: '10+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'committedOffset', type: 'int64', versions: '0+' },
              { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1 },
              { name: 'commitTimestamp', type: 'int64', versions: '1', default: -1n },
              { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-10',
    flexibleVersions: '8+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0-9' },
          { name: 'topicId', type: 'uuid', versions: '10+' },
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
