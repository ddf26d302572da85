// DescribeGroups (key 15): state, protocol and members of classic groups (admin tools, kcat -L -G).
// Every version 0-6 (flexible 5+); v6 adds a per-group error message (KIP-1043).
//
// Request  => [groups] include_authorized_operations(3+)
// Response => throttle_time_ms(1+) [groups => error_code error_message(6+, nullable) group_id
//               group_state protocol_type protocol_data
//               [members => member_id group_instance_id(4+, nullable) client_id client_host
//                 member_metadata:bytes member_assignment:bytes]
//               authorized_operations(3+)]
import type { ApiSchema } from '../schema/types';

export const describeGroupsSchema = {
  apiKey: 15,
  name: 'DescribeGroups',
  request: {
    validVersions: '0-6',
    flexibleVersions: '5+',
    fields: [
      { name: 'groups', type: '[]string', versions: '0+' },
      { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
    ],
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '5+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'groups',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'groupState', type: 'string', versions: '0+' },
          { name: 'protocolType', type: 'string', versions: '0+' },
          // Filled in only while the group is Stable.
          { name: 'protocolData', type: 'string', versions: '0+' },
          {
            name: 'members',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'memberId', type: 'string', versions: '0+' },
              { name: 'groupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: null },
              { name: 'clientId', type: 'string', versions: '0+' },
              { name: 'clientHost', type: 'string', versions: '0+' },
              { name: 'memberMetadata', type: 'bytes', versions: '0+' },
              { name: 'memberAssignment', type: 'bytes', versions: '0+' },
            ],
          },
          { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
