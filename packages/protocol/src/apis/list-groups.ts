// ListGroups (key 16): every group the broker coordinates, optionally filtered by state or type.
// Every version 0-5 (flexible 3+); v4 adds state filter/state, v5 type filter/type (KIP-848).
//
// Request  => [states_filter](4+) [types_filter](5+)
// Response => throttle_time_ms(1+) error_code
//             [groups => group_id protocol_type group_state(4+) group_type(5+)]
import type { ApiSchema } from '../schema/types';

export const listGroupsSchema = {
  apiKey: 16,
  name: 'ListGroups',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'statesFilter', type: '[]string', versions: '4+' },
      { name: 'typesFilter', type: '[]string', versions: '5+' },
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      {
        name: 'groups',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'protocolType', type: 'string', versions: '0+' },
          { name: 'groupState', type: 'string', versions: '4+' },
          { name: 'groupType', type: 'string', versions: '5+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
