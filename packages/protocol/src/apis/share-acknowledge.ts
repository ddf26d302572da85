// ShareAcknowledge (key 79): a share-group member acknowledges records it acquired (KIP-932) —
// 0 gap, 1 accept, 2 release, 3 reject, 4 renew (v2). Versions 1-2 (flexible): v1 is the first
// stable version (librdkafka 2.15); v2 adds renew acknowledgements and the lock timeout in the
// response (KIP-1222, @kafkats/client 0.12). v0 (Kafka 4.0's early access) is removed.
//
// Request  => group_id(nullable) member_id(nullable) share_session_epoch is_renew_ack(2+)
//             [topics => topic_id [partitions => partition_index
//               [acknowledgement_batches => first_offset last_offset [acknowledge_types:int8]]]]
// Response => throttle_time_ms error_code error_message(nullable) acquisition_lock_timeout_ms(2+)
//             [responses => topic_id [partitions => partition_index error_code error_message(nullable)
//               current_leader => leader_id leader_epoch]]
//             [node_endpoints => node_id host port rack(nullable)]
import type { ApiSchema } from '../schema/types';
import { acknowledgementBatchFields, leaderIdAndEpochFields, nodeEndpointFields } from './share-fetch';

export const shareAcknowledgeSchema = {
  apiKey: 79,
  name: 'ShareAcknowledge',
  request: {
    validVersions: '1-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'memberId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'shareSessionEpoch', type: 'int32', versions: '0+' },
      { name: 'isRenewAck', type: 'bool', versions: '2+', default: false },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'acknowledgementBatches', type: '[]struct', versions: '0+', fields: acknowledgementBatchFields },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '1-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'acquisitionLockTimeoutMs', type: 'int32', versions: '2+' },
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
              { name: 'currentLeader', type: 'struct', versions: '0+', fields: leaderIdAndEpochFields },
            ],
          },
        ],
      },
      { name: 'nodeEndpoints', type: '[]struct', versions: '0+', fields: nodeEndpointFields },
    ],
  },
} as const satisfies ApiSchema;
