// CreatePartitions (key 37): raise a topic's partition count (never lower it).
// Every version 0-3 (flexible 2+).
//
// Request  => [topics => name count [assignments => [broker_ids]](nullable)] timeout_ms validate_only
// Response => throttle_time_ms [results => name error_code error_message(nullable)]
import type { ApiSchema } from '../schema/types';

export const createPartitionsSchema = {
  apiKey: 37,
  name: 'CreatePartitions',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          // The new total number of partitions.
          { name: 'count', type: 'int32', versions: '0+' },
          {
            name: 'assignments',
            type: '[]struct',
            versions: '0+',
            nullableVersions: '0+',
            fields: [{ name: 'brokerIds', type: '[]int32', versions: '0+' }],
          },
        ],
      },
      { name: 'timeoutMs', type: 'int32', versions: '0+' },
      { name: 'validateOnly', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
