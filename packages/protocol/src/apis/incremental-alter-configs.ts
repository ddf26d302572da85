// IncrementalAlterConfigs (key 44): set, delete, append to or subtract from single config entries.
// Every version 0-1 (flexible 1+). config_operation: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT.
//
// Request  => [resources => resource_type:int8 resource_name
//               [configs => name config_operation:int8 value(nullable)]] validate_only
// Response => throttle_time_ms [responses => error_code error_message(nullable) resource_type resource_name]
import type { ApiSchema } from '../schema/types';

export const incrementalAlterConfigsSchema = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      {
        name: 'resources',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          {
            name: 'configs',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'name', type: 'string', versions: '0+' },
              { name: 'configOperation', type: 'int8', versions: '0+' },
              { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
      { name: 'validateOnly', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
