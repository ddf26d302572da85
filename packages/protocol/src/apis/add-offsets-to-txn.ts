// AddOffsetsToTxn (key 25), versions 0-4 (flexible 3+): a transactional producer is about to commit
// a group's offsets in its transaction (sendOffsetsToTransaction); the coordinator adds the group's
// __consumer_offsets partition to the transaction.
//
// Request  => transactional_id producer_id:INT64 producer_epoch:INT16 group_id
// Response => throttle_time_ms:INT32 error_code:INT16
import type { ApiSchema } from '../schema/types';

export const addOffsetsToTxnSchema = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSchema;
