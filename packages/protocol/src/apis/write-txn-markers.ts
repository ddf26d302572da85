// WriteTxnMarkers (key 27), versions 0-1 (flexible 1+): the transaction coordinator asks a
// partition leader to write COMMIT / ABORT control batches ending a producer's transaction.
//
// Request  => [markers => producer_id:INT64 producer_epoch:INT16 transaction_result:BOOL
//              [topics => name [partition_indexes:INT32]] coordinator_epoch:INT32]
// Response => [markers => producer_id:INT64 [topics => name [partitions => partition_index error_code]]]
import type { ApiSchema } from '../schema/types';

export const writeTxnMarkersSchema = {
  apiKey: 27,
  name: 'WriteTxnMarkers',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      {
        name: 'markers',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'producerId', type: 'int64', versions: '0+' },
          { name: 'producerEpoch', type: 'int16', versions: '0+' },
          { name: 'transactionResult', type: 'bool', versions: '0+' },
          {
            name: 'topics',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'name', type: 'string', versions: '0+' },
              { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
            ],
          },
          { name: 'coordinatorEpoch', type: 'int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      {
        name: 'markers',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'producerId', type: 'int64', versions: '0+' },
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
    ],
  },
} as const satisfies ApiSchema;
