// DeleteGroups (key 42): removes empty groups and their committed offsets.
// Every version 0-2 (flexible 2+).
//
// Request  => [groups_names]
// Response => throttle_time_ms [results => group_id error_code]
import type { ApiSchema } from '../schema/types';

export const deleteGroupsSchema = {
  apiKey: 42,
  name: 'DeleteGroups',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'groupsNames', type: '[]string', versions: '0+' }],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
