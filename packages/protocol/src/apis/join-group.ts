// JoinGroup (key 11): a member joins (or rejoins) a classic group; the coordinator answers once the
// rebalance completes. Every version 0-9 (flexible 6+). From v4 a member without id first gets
// MEMBER_ID_REQUIRED with its assigned memberId and must join again.
//
// Request  => group_id session_timeout_ms rebalance_timeout_ms(1+) member_id
//             group_instance_id(5+, nullable) protocol_type [protocols => name metadata:bytes]
//             reason(8+, nullable)
// Response => throttle_time_ms(2+) error_code generation_id protocol_type(7+, nullable)
//             protocol_name(nullable 7+) leader skip_assignment(9+) member_id
//             [members => member_id group_instance_id(5+, nullable) metadata:bytes]
import type { ApiSchema } from '../schema/types';

export const joinGroupSchema = {
  apiKey: 11,
  name: 'JoinGroup',
  request: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
      // Absent before v1: the coordinator then uses sessionTimeoutMs as the rebalance timeout.
      { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1 },
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      { name: 'protocolType', type: 'string', versions: '0+' },
      {
        name: 'protocols',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'metadata', type: 'bytes', versions: '0+' },
        ],
      },
      { name: 'reason', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
    ],
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'generationId', type: 'int32', versions: '0+', default: -1 },
      { name: 'protocolType', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
      { name: 'protocolName', type: 'string', versions: '0+', nullableVersions: '7+' },
      { name: 'leader', type: 'string', versions: '0+' },
      { name: 'skipAssignment', type: 'bool', versions: '9+', default: false },
      { name: 'memberId', type: 'string', versions: '0+' },
      {
        name: 'members',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'memberId', type: 'string', versions: '0+' },
          { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
          { name: 'metadata', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
