// DescribeConfigs (key 32): configuration entries of topics (resource type 2) and brokers (4).
// Every version 0-4 (flexible 4+); v1 adds config source and synonyms, v3 type and documentation.
//
// Request  => [resources => resource_type:int8 resource_name [configuration_keys](nullable)]
//             include_synonyms(1+) include_documentation(3+)
// Response => throttle_time_ms [results => error_code error_message(nullable) resource_type resource_name
//               [configs => name value(nullable) read_only is_default(0) config_source:int8(1+) is_sensitive
//                 [synonyms => name value(nullable) source:int8](1+) config_type:int8(3+)
//                 documentation(3+, nullable)]]
import type { ApiSchema } from '../schema/types';

export const describeConfigsSchema = {
  apiKey: 32,
  name: 'DescribeConfigs',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      {
        name: 'resources',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          // null asks for every configuration key.
          { name: 'configurationKeys', type: '[]string', versions: '0+', nullableVersions: '0+' },
        ],
      },
      { name: 'includeSynonyms', type: 'bool', versions: '1+', default: false },
      { name: 'includeDocumentation', type: 'bool', versions: '3+', default: false },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          { name: 'resourceType', type: 'int8', versions: '0+' },
          { name: 'resourceName', type: 'string', versions: '0+' },
          {
            name: 'configs',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'name', type: 'string', versions: '0+' },
              { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
              { name: 'readOnly', type: 'bool', versions: '0+' },
              { name: 'isDefault', type: 'bool', versions: '0' },
              // In v0 the caller infers the source from isDefault; -1 is Kafka's placeholder.
              { name: 'configSource', type: 'int8', versions: '1+', default: -1 },
              { name: 'isSensitive', type: 'bool', versions: '0+' },
              {
                name: 'synonyms',
                type: '[]struct',
                versions: '1+',
                fields: [
                  { name: 'name', type: 'string', versions: '1+' },
                  { name: 'value', type: 'string', versions: '1+', nullableVersions: '0+' },
                  { name: 'source', type: 'int8', versions: '1+' },
                ],
              },
              { name: 'configType', type: 'int8', versions: '3+', default: 0 },
              { name: 'documentation', type: 'string', versions: '3+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
