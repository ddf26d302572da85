// SyncGroup (key 14): after JoinGroup the leader sends the assignment, every member receives its own.
// Every version 0-5 (flexible 4+); v5 echoes protocol type/name so clients can check them.
//
// Request  => group_id generation_id member_id group_instance_id(3+, nullable)
//             protocol_type(5+, nullable) protocol_name(5+, nullable)
//             [assignments => member_id assignment:bytes]
// Response => throttle_time_ms(1+) error_code protocol_type(5+, nullable)
//             protocol_name(5+, nullable) assignment:bytes
import type { ApiSchema } from '../schema/types';

export const syncGroupSchema = {
  apiKey: 14,
  name: 'SyncGroup',
  request: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
      { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      {
        name: 'assignments',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'memberId', type: 'string', versions: '0+' },
          { name: 'assignment', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      { name: 'assignment', type: 'bytes', versions: '0+' },
    ],
  },
} as const satisfies ApiSchema;
