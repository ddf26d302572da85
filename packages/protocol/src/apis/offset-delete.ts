// OffsetDelete (key 47, KIP-496): an admin removes a group's committed offsets of topics the group
// no longer subscribes to. Version 0 only (not flexible).
//
// Request  => group_id [topics => name [partitions => partition_index]]
// Response => error_code throttle_time_ms [topics => name [partitions => partition_index error_code]]
import type { ApiSchema } from '../schema/types';

export const offsetDeleteSchema = {
  apiKey: 47,
  name: 'OffsetDelete',
  request: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'partitions', type: '[]struct', versions: '0+', fields: [{ name: 'partitionIndex', type: 'int32', versions: '0+' }] },
        ],
      },
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
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
