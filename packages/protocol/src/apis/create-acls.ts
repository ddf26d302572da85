// CreateAcls (key 30): adds ACL bindings; one result per creation, in request order.
// Every version 0-3 (v1 adds the resource pattern type, KIP-290; flexible 2+).
//
// Request  => [creations => resource_type resource_name [resource_pattern_type] principal host operation permission_type]
// Response => throttle_time_ms [results => error_code error_message]
import type { ApiSchema } from '../schema/types';

export const createAclsSchema = {
  apiKey: 30,
  name: 'CreateAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      {
        name: 'creations',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          { name: 'resourcePatternType', type: 'int8', versions: '1+', default: 3 },
          { name: 'principal', type: 'string', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'operation', type: 'int8', versions: '0+' },
          { name: 'permissionType', type: 'int8', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
