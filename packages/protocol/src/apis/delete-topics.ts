// DeleteTopics (key 20): delete topics by name, or from v6 by name or topicId.
// Every version 0-6 (flexible 4+).
//
// Request  => [topics => name(nullable) topic_id:uuid](6+) [topic_names](0-5) timeout_ms
// Response => throttle_time_ms(1+)
//             [responses => name(nullable 6+) topic_id(6+) error_code error_message(5+, nullable)]
import type { ApiSchema } from '../schema/types';

export const deleteTopicsSchema = {
  apiKey: 20,
  name: 'DeleteTopics',
  request: {
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      {
        name: 'topics',
        type: '[]struct',
        versions: '6+',
        fields: [
          { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
          { name: 'topicId', type: 'uuid', versions: '6+' },
        ],
      },
      { name: 'topicNames', type: '[]string', versions: '0-5' },
      { name: 'timeoutMs', type: 'int32', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+' },
          { name: 'topicId', type: 'uuid', versions: '6+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
