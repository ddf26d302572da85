// EndTxn (key 26), versions 0-4 (flexible 3+): the producer commits or aborts its transaction.
// v5 (KIP-890 part 2: an epoch bump per transaction, producer id/epoch in the response) is
// unstable in Kafka and not implemented; the schema carries it so the definitions compare whole.
//
// Request  => transactional_id producer_id:INT64 producer_epoch:INT16 committed:BOOL
// Response => throttle_time_ms:INT32 error_code:INT16 producer_id:INT64(5+) producer_epoch:INT16(5+)
import type { ApiSchema } from '../schema/types';

export const endTxnSchema = {
  apiKey: 26,
  name: 'EndTxn',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'committed', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '5+', default: -1n },
      { name: 'producerEpoch', type: 'int16', versions: '5+', default: -1 },
    ],
  },
} as const satisfies ApiSchema;
