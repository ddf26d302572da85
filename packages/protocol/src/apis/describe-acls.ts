// DescribeAcls (key 29): the ACL bindings matching one filter, grouped by resource pattern.
// Every version 0-3 (v1 adds pattern types, KIP-290; flexible 2+).
//
// Request  => resource_type_filter resource_name_filter [pattern_type_filter] principal_filter host_filter operation permission_type
// Response => throttle_time_ms error_code error_message [resources => resource_type resource_name [pattern_type] [acls => principal host operation permission_type]]
import type { ApiSchema } from '../schema/types';
import { aclBindingFilterFields, aclEntryFields, aclResourcePatternFields } from './acl-binding-fields';

export const describeAclsSchema = {
  apiKey: 29,
  name: 'DescribeAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: aclBindingFilterFields,
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'resources',
        type: '[]struct',
        versions: '0+',
        fields: [
          ...aclResourcePatternFields,
          {
            name: 'acls',
            type: '[]struct',
            versions: '0+',
            fields: aclEntryFields,
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
