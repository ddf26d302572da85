// LeaveGroup (key 13): members leave a classic group so it rebalances at once, not after a timeout.
// Every version 0-5 (flexible 4+); v3 replaced the single member_id with a batch of members.
//
// Request  => group_id member_id(0-2)
//             [members => member_id group_instance_id(nullable) reason(5+, nullable)](3+)
// Response => throttle_time_ms(1+) error_code
//             [members => member_id group_instance_id(nullable) error_code](3+)
import type { ApiSchema } from '../schema/types';

export const leaveGroupSchema = {
  apiKey: 13,
  name: 'LeaveGroup',
  request: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0-2' },
      {
        name: 'members',
        type: '[]struct',
        versions: '3+',
        fields: [
          { name: 'memberId', type: 'string', versions: '3+' },
          { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
          { name: 'reason', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
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
      {
        name: 'members',
        type: '[]struct',
        versions: '3+',
        fields: [
          { name: 'memberId', type: 'string', versions: '3+' },
          { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+' },
          { name: 'errorCode', type: 'int16', versions: '3+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
