// ShareFetch (key 78): a share-group member fetches records it acquires (KIP-932), piggybacking
// acknowledgements of earlier ones. Versions 1-2 (flexible): v1 is the first stable version
// (librdkafka 2.15); v2 adds the acquire mode and renew acknowledgements (KIP-1222,
// @kafkats/client 0.12). v0 (Kafka 4.0's early access, with PartitionMaxBytes) is removed.
//
// Request  => group_id(nullable) member_id(nullable) share_session_epoch max_wait_ms min_bytes max_bytes
//             max_records batch_size share_acquire_mode:int8(2+) is_renew_ack(2+)
//             [topics => topic_id [partitions => partition_index
//               [acknowledgement_batches => first_offset last_offset [acknowledge_types:int8]]]]
//             [forgotten_topics_data => topic_id [partitions]]
// Response => throttle_time_ms error_code error_message(nullable) acquisition_lock_timeout_ms
//             [responses => topic_id [partitions => partition_index error_code error_message(nullable)
//               acknowledge_error_code acknowledge_error_message(nullable)
//               current_leader => leader_id leader_epoch  records(nullable)
//               [acquired_records => first_offset last_offset delivery_count:int16]]]
//             [node_endpoints => node_id host port rack(nullable)]
import type { ApiSchema, FieldSpec } from '../schema/types';

/** Acknowledge types: 0 gap, 1 accept, 2 release, 3 reject (4 renew, from v2). */
export const acknowledgementBatchFields = [
  { name: 'firstOffset', type: 'int64', versions: '0+' },
  { name: 'lastOffset', type: 'int64', versions: '0+' },
  { name: 'acknowledgeTypes', type: '[]int8', versions: '0+' },
] as const satisfies readonly FieldSpec[];

export const leaderIdAndEpochFields = [
  { name: 'leaderId', type: 'int32', versions: '0+' },
  { name: 'leaderEpoch', type: 'int32', versions: '0+' },
] as const satisfies readonly FieldSpec[];

export const nodeEndpointFields = [
  { name: 'nodeId', type: 'int32', versions: '0+' },
  { name: 'host', type: 'string', versions: '0+' },
  { name: 'port', type: 'int32', versions: '0+' },
  { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
] as const satisfies readonly FieldSpec[];

export const shareFetchSchema = {
  apiKey: 78,
  name: 'ShareFetch',
  request: {
    validVersions: '1-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'memberId', type: 'string', versions: '0+', nullableVersions: '0+' },
      // 0 opens a share session, -1 closes it, otherwise one more than the previous request's.
      { name: 'shareSessionEpoch', type: 'int32', versions: '0+' },
      { name: 'maxWaitMs', type: 'int32', versions: '0+' },
      { name: 'minBytes', type: 'int32', versions: '0+' },
      { name: 'maxBytes', type: 'int32', versions: '0+', default: 0x7fffffff },
      { name: 'maxRecords', type: 'int32', versions: '1+' },
      { name: 'batchSize', type: 'int32', versions: '1+' },
      // 0 batch-optimized, 1 record-limit (maxRecords is a hard cap).
      { name: 'shareAcquireMode', type: 'int8', versions: '2+', default: 0 },
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
      {
        name: 'forgottenTopicsData',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          { name: 'partitions', type: '[]int32', versions: '0+' },
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
      { name: 'acquisitionLockTimeoutMs', type: 'int32', versions: '1+' },
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
              { name: 'acknowledgeErrorCode', type: 'int16', versions: '0+' },
              { name: 'acknowledgeErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
              { name: 'currentLeader', type: 'struct', versions: '0+', fields: leaderIdAndEpochFields },
              { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
              {
                name: 'acquiredRecords',
                type: '[]struct',
                versions: '0+',
                fields: [
                  { name: 'firstOffset', type: 'int64', versions: '0+' },
                  { name: 'lastOffset', type: 'int64', versions: '0+' },
                  { name: 'deliveryCount', type: 'int16', versions: '0+' },
                ],
              },
            ],
          },
        ],
      },
      { name: 'nodeEndpoints', type: '[]struct', versions: '0+', fields: nodeEndpointFields },
    ],
  },
} as const satisfies ApiSchema;
