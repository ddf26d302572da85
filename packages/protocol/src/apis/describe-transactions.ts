// DescribeTransactions (key 65), version 0 (flexible): the coordinator's state of each named
// transactional id (KIP-664): state, timeout, start time, producer id/epoch, partitions.
//
// Request  => [transactional_ids:STRING] TAG_BUFFER
// Response => throttle_time_ms [transaction_states => error_code transactional_id transaction_state
//             transaction_timeout_ms:INT32 transaction_start_time_ms:INT64 producer_id:INT64
//             producer_epoch:INT16 [topics => topic [partitions:INT32]]]
import type { ApiSchema } from '../schema/types';

export const describeTransactionsSchema = {
  apiKey: 65,
  name: 'DescribeTransactions',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [{ name: 'transactionalIds', type: '[]string', versions: '0+' }],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'transactionStates',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'transactionalId', type: 'string', versions: '0+' },
          { name: 'transactionState', type: 'string', versions: '0+' },
          { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
          { name: 'transactionStartTimeMs', type: 'int64', versions: '0+' },
          { name: 'producerId', type: 'int64', versions: '0+' },
          { name: 'producerEpoch', type: 'int16', versions: '0+' },
          {
            name: 'topics',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'topic', type: 'string', versions: '0+' },
              { name: 'partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
