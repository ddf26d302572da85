// InitProducerId (key 22), versions 0-5: allocates (or bumps the epoch of) a producer id for
// idempotent and transactional producers.
//
// InitProducerIdRequest v0-1 => transactional_id:NULLABLE_STRING transaction_timeout_ms:INT32
// InitProducerIdRequest v2   => transactional_id:COMPACT_NULLABLE_STRING transaction_timeout_ms:INT32 TAG_BUFFER
// InitProducerIdRequest v3-5 => transactional_id:COMPACT_NULLABLE_STRING transaction_timeout_ms:INT32
//                               producer_id:INT64 producer_epoch:INT16 TAG_BUFFER
// InitProducerIdResponse v0-1 => throttle_time_ms:INT32 error_code:INT16 producer_id:INT64 producer_epoch:INT16
// InitProducerIdResponse v2-5 => (same) TAG_BUFFER
import type { ApiSchema } from '../schema/types';

export const initProducerIdSchema = {
  apiKey: 22,
  name: 'InitProducerId',
  request: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '3+', default: -1n },
      { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+', default: -1n },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSchema;

