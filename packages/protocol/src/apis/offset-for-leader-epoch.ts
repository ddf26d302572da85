// OffsetForLeaderEpoch (key 23): the end offset of a leader epoch, used by followers and consumers to
// detect log truncation. Every version 0-4 (flexible 4+).
//
// Request  => replica_id(3+) [topics => topic [partitions => partition current_leader_epoch(2+) leader_epoch]]
// Response => throttle_time_ms(2+)
//             [topics => topic [partitions => error_code partition leader_epoch(1+) end_offset:int64]]
import type { ApiSchema } from '../schema/types';

export const offsetForLeaderEpochSchema = {
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      // -1 for a consumer, -2 (the default) for a debugging client, >= 0 for a follower broker.
      { name: 'replicaId', type: 'int32', versions: '3+', default: -2 },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partition', type: 'int32', versions: '0+' },
              { name: 'currentLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
              { name: 'leaderEpoch', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'partition', type: 'int32', versions: '0+' },
              { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1 },
              { name: 'endOffset', type: 'int64', versions: '0+', default: -1n },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
