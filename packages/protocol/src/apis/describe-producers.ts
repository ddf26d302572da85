// DescribeProducers (key 61), version 0 (flexible): the active (idempotent or transactional)
// producers of partitions led here, with each one's open transaction start offset (KIP-664).
//
// Request  => [topics => name [partition_indexes:INT32]] TAG_BUFFER
// Response => throttle_time_ms [topics => name [partitions => partition_index error_code
//             error_message(nullable) [active_producers => producer_id:INT64 producer_epoch:INT32
//             last_sequence:INT32 last_timestamp:INT64 coordinator_epoch:INT32 current_txn_start_offset:INT64]]]
import type { ApiSchema } from '../schema/types';

export const describeProducersSchema = {
  apiKey: 61,
  name: 'DescribeProducers',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
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
              { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
              {
                name: 'activeProducers',
                type: '[]struct',
                versions: '0+',
                fields: [
                  { name: 'producerId', type: 'int64', versions: '0+' },
                  { name: 'producerEpoch', type: 'int32', versions: '0+' },
                  { name: 'lastSequence', type: 'int32', versions: '0+', default: -1 },
                  { name: 'lastTimestamp', type: 'int64', versions: '0+', default: -1n },
                  { name: 'coordinatorEpoch', type: 'int32', versions: '0+' },
                  { name: 'currentTxnStartOffset', type: 'int64', versions: '0+', default: -1n },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
