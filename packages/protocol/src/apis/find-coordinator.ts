// FindCoordinator (key 10): which broker coordinates a group (key type 0) or transactional id (1).
// Schema for every version 0-6 (flexible 3+); v4 batches several keys in one request.
//
// Request  => key(0-3) key_type:int8(1+) [coordinator_keys](4+)
// Response => throttle_time_ms(1+) error_code(0-3) error_message(1-3, nullable)
//             node_id(0-3) host(0-3) port(0-3)
//             [coordinators => key node_id host port error_code error_message(nullable)](4+)
import type { ApiSchema } from '../schema/types';

export const findCoordinatorSchema = {
  apiKey: 10,
  name: 'FindCoordinator',
  request: {
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: [
      { name: 'key', type: 'string', versions: '0-3' },
      { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
      { name: 'coordinatorKeys', type: '[]string', versions: '4+' },
    ],
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '0-3' },
      { name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3' },
      { name: 'nodeId', type: 'int32', versions: '0-3' },
      { name: 'host', type: 'string', versions: '0-3' },
      { name: 'port', type: 'int32', versions: '0-3' },
      {
        name: 'coordinators',
        type: '[]struct',
        versions: '4+',
        fields: [
          { name: 'key', type: 'string', versions: '4+' },
          { name: 'nodeId', type: 'int32', versions: '4+' },
          { name: 'host', type: 'string', versions: '4+' },
          { name: 'port', type: 'int32', versions: '4+' },
          { name: 'errorCode', type: 'int16', versions: '4+' },
          { name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
