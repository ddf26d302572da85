// DeleteShareGroupOffsets (key 92): drops an empty share group's state for whole topics (KIP-932
// admin API). Version 0 (flexible).
//
// Request  => group_id [topics => topic_name]
//             (mq tag 0x6d71: forwarded_by_coordinator int32, see share-forwarding.ts)
// Response => throttle_time_ms error_code error_message(nullable)
//             [responses => topic_name topic_id error_code error_message(nullable)]
import type { ApiSchema } from '../schema/types';
import { FORWARDED_BY_COORDINATOR_TAG } from './share-forwarding';

export const deleteShareGroupOffsetsSchema = {
  apiKey: 92,
  name: 'DeleteShareGroupOffsets',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      // mq only (a tag Kafka does not use; Kafka brokers and clients skip unknown tags): the node id of the
      // group coordinator that checked the group is empty and forwards this to a share-partition's leader.
      { name: 'forwardedByCoordinator', type: 'int32', versions: '0+', taggedVersions: '0+', tag: FORWARDED_BY_COORDINATOR_TAG, default: -1 },
      { name: 'topics', type: '[]struct', versions: '0+', fields: [{ name: 'topicName', type: 'string', versions: '0+' }] },
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topicName', type: 'string', versions: '0+' },
          { name: 'topicId', type: 'uuid', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
