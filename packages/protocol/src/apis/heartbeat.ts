// Heartbeat (key 12): a classic-group member proves it is alive; the error code tells it to rejoin.
// Every version 0-4 (flexible 4+).
//
// Request  => group_id generation_id member_id group_instance_id(3+, nullable)
// Response => throttle_time_ms(1+) error_code
import type { ApiSchema } from '../schema/types';

export const heartbeatSchema = {
  apiKey: 12,
  name: 'Heartbeat',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ],
  },
} as const satisfies ApiSchema;
