// ListTransactions (key 66), versions 0-1 (flexible): the transactional ids this coordinator
// holds, filtered by state, producer id and (v1, KIP-994) minimum running duration.
//
// Request  => [state_filters:STRING] [producer_id_filters:INT64] duration_filter:INT64(1+) TAG_BUFFER
// Response => throttle_time_ms error_code [unknown_state_filters:STRING]
//             [transaction_states => transactional_id producer_id:INT64 transaction_state]
import type { ApiSchema } from '../schema/types';

export const listTransactionsSchema = {
  apiKey: 66,
  name: 'ListTransactions',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'stateFilters', type: '[]string', versions: '0+' },
      { name: 'producerIdFilters', type: '[]int64', versions: '0+' },
      { name: 'durationFilter', type: 'int64', versions: '1+', default: -1n },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'unknownStateFilters', type: '[]string', versions: '0+' },
      {
        name: 'transactionStates',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'transactionalId', type: 'string', versions: '0+' },
          { name: 'producerId', type: 'int64', versions: '0+' },
          { name: 'transactionState', type: 'string', versions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
