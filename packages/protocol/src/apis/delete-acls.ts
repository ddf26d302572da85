// DeleteAcls (key 31): removes the ACL bindings matching each filter and lists what each removed.
// Every version 0-3 (v1 adds pattern types, KIP-290; flexible 2+).
//
// Request  => [filters => resource_type_filter resource_name_filter [pattern_type_filter] principal_filter host_filter operation permission_type]
// Response => throttle_time_ms [filter_results => error_code error_message
//               [matching_acls => error_code error_message resource_type resource_name [pattern_type] principal host operation permission_type]]
import type { ApiSchema } from '../schema/types';
import { aclBindingFilterFields, aclEntryFields, aclResourcePatternFields } from './acl-binding-fields';

export const deleteAclsSchema = {
  apiKey: 31,
  name: 'DeleteAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      {
        name: 'filters',
        type: '[]struct',
        versions: '0+',
        fields: aclBindingFilterFields,
      },
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'filterResults',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          {
            name: 'matchingAcls',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
              ...aclResourcePatternFields,
              ...aclEntryFields,
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
