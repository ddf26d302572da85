// ApiVersions (key 18), versions 0-4: which APIs and version ranges the broker implements.
// The response ALWAYS travels with response header v0, even in flexible versions (KIP-511).
//
// ApiVersionsRequest v0-2 => (empty body)
// ApiVersionsRequest v3-4 => client_software_name:COMPACT_STRING client_software_version:COMPACT_STRING TAG_BUFFER
// ApiVersionsResponse v0  => error_code:INT16 api_keys:[api_key:INT16 min_version:INT16 max_version:INT16]
// ApiVersionsResponse v1-2 => error_code:INT16 api_keys:[...] throttle_time_ms:INT32
// ApiVersionsResponse v3-4 => error_code:INT16 api_keys:COMPACT_ARRAY[api_key min_version max_version TAG_BUFFER]
//                             throttle_time_ms:INT32 TAG_BUFFER
//   tagged: 0 supported_features:[name:COMPACT_STRING min_version:INT16 max_version:INT16 TAG_BUFFER]
//           1 finalized_features_epoch:INT64 (default -1)
//           2 finalized_features:[name:COMPACT_STRING max_version_level:INT16 min_version_level:INT16 TAG_BUFFER]
//           3 zk_migration_ready:BOOL
import type { ApiSchema } from '../schema/types';

export const apiVersionsSchema = {
  apiKey: 18,
  name: 'ApiVersions',
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'clientSoftwareName', type: 'string', versions: '3+' },
      { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      {
        name: 'apiKeys',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'apiKey', type: 'int16', versions: '0+' },
          { name: 'minVersion', type: 'int16', versions: '0+' },
          { name: 'maxVersion', type: 'int16', versions: '0+' },
        ],
      },
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      {
        name: 'supportedFeatures',
        type: '[]struct',
        versions: '3+',
        taggedVersions: '3+',
        tag: 0,
        fields: [
          { name: 'name', type: 'string', versions: '3+' },
          { name: 'minVersion', type: 'int16', versions: '3+' },
          { name: 'maxVersion', type: 'int16', versions: '3+' },
        ],
      },
      { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 1, default: -1n },
      {
        name: 'finalizedFeatures',
        type: '[]struct',
        versions: '3+',
        taggedVersions: '3+',
        tag: 2,
        fields: [
          { name: 'name', type: 'string', versions: '3+' },
          { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
          { name: 'minVersionLevel', type: 'int16', versions: '3+' },
        ],
      },
      { name: 'zkMigrationReady', type: 'bool', versions: '3+', taggedVersions: '3+', tag: 3, default: false },
    ],
  },
} as const satisfies ApiSchema;

