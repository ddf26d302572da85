// ListOffsets (key 2), versions 0-9: the offset for a timestamp per partition. Special timestamps:
// -1 latest, -2 earliest, -3 max timestamp (v7+), -4 earliest local (v8+), -5 latest tiered (v9+).
//
// ListOffsetsRequest v0   => replica_id:INT32 topics:[name:STRING partitions:[partition_index:INT32 timestamp:INT64 max_num_offsets:INT32]]
// ListOffsetsRequest v1   => replica_id:INT32 topics:[name partitions:[partition_index timestamp:INT64]]
// ListOffsetsRequest v2-3 => replica_id:INT32 isolation_level:INT8 topics:[name partitions:[partition_index timestamp]]
// ListOffsetsRequest v4-5 => replica_id isolation_level topics:[name partitions:[partition_index current_leader_epoch:INT32 timestamp]]
// ListOffsetsRequest v6-9 => same as v4 with COMPACT strings/arrays and TAG_BUFFERs
// ListOffsetsResponse v0   => topics:[name:STRING partitions:[partition_index:INT32 error_code:INT16 old_style_offsets:[INT64]]]
// ListOffsetsResponse v1   => topics:[name partitions:[partition_index error_code timestamp:INT64 offset:INT64]]
// ListOffsetsResponse v2-3 => throttle_time_ms:INT32 topics:[name partitions:[partition_index error_code timestamp offset]]
// ListOffsetsResponse v4-5 => throttle_time_ms topics:[name partitions:[partition_index error_code timestamp offset leader_epoch:INT32]]
// ListOffsetsResponse v6-9 => same as v4 with COMPACT strings/arrays and TAG_BUFFERs
import type { ApiSchema } from '../schema/types';

export const listOffsetsSchema = {
  apiKey: 2,
  name: 'ListOffsets',
  request: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'replicaId', type: 'int32', versions: '0+' },
      { name: 'isolationLevel', type: 'int8', versions: '2+' },
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
              { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1 },
              { name: 'timestamp', type: 'int64', versions: '0+' },
              { name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1 },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
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
              { name: 'oldStyleOffsets', type: '[]int64', versions: '0' },
              { name: 'timestamp', type: 'int64', versions: '1+', default: -1n },
              { name: 'offset', type: 'int64', versions: '1+', default: -1n },
              { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;

