// Produce (key 0), versions 0-11: record batches per topic-partition. acks=0 gets no response.
// Records are passed through as the raw RecordBatch bytes (a slice of the request frame).
//
// ProduceRequest v0-2  => acks:INT16 timeout_ms:INT32 topic_data:[name:STRING partition_data:[index:INT32 records:RECORDS]]
// ProduceRequest v3-8  => transactional_id:NULLABLE_STRING acks timeout_ms topic_data:[...]
// ProduceRequest v9-11 => transactional_id:COMPACT_NULLABLE_STRING acks timeout_ms
//                         topic_data:COMPACT_ARRAY[name:COMPACT_STRING partition_data:COMPACT_ARRAY[index records:COMPACT_RECORDS TAG_BUFFER] TAG_BUFFER] TAG_BUFFER
// ProduceResponse v0 => responses:[name:STRING partition_responses:[index:INT32 error_code:INT16 base_offset:INT64]]
// v1+: throttle_time_ms:INT32 (last)        v2+: partition log_append_time_ms:INT64
// v5+: partition log_start_offset:INT64     v8+: partition record_errors:[batch_index:INT32 batch_index_error_message:NULLABLE_STRING] error_message:NULLABLE_STRING
// v9+: flexible                             v10+: tagged partition current_leader (tag 0) {leader_id:INT32 leader_epoch:INT32},
//                                                 tagged top-level node_endpoints (tag 0) [node_id:INT32 host port:INT32 rack:NULLABLE]
import type { ApiSchema } from '../schema/types';

export const produceSchema = {
  apiKey: 0,
  name: 'Produce',
  request: {
    validVersions: '0-11',
    flexibleVersions: '9+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
      { name: 'acks', type: 'int16', versions: '0+' },
      { name: 'timeoutMs', type: 'int32', versions: '0+' },
      {
        name: 'topicData',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitionData',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'index', type: 'int32', versions: '0+' },
              { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-11',
    flexibleVersions: '9+',
    fields: [
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          {
            name: 'partitionResponses',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'index', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'baseOffset', type: 'int64', versions: '0+' },
              { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1n },
              { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
              {
                name: 'recordErrors',
                type: '[]struct',
                versions: '8+',
                fields: [
                  { name: 'batchIndex', type: 'int32', versions: '8+' },
                  { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
                ],
              },
              { name: 'errorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
              {
                name: 'currentLeader',
                type: 'struct',
                versions: '10+',
                taggedVersions: '10+',
                tag: 0,
                fields: [
                  { name: 'leaderId', type: 'int32', versions: '10+', default: -1 },
                  { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
                ],
              },
            ],
          },
        ],
      },
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'nodeEndpoints',
        type: '[]struct',
        versions: '10+',
        taggedVersions: '10+',
        tag: 0,
        fields: [
          { name: 'nodeId', type: 'int32', versions: '10+' },
          { name: 'host', type: 'string', versions: '10+' },
          { name: 'port', type: 'int32', versions: '10+' },
          { name: 'rack', type: 'string', versions: '10+', nullableVersions: '10+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;

