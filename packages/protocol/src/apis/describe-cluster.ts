// DescribeCluster (key 60): cluster id, controller and brokers (the admin client's view of the cluster).
// Every version 0-2 (flexible 0+); v1 adds the endpoint type, v2 fenced brokers.
//
// Request  => include_cluster_authorized_operations endpoint_type:int8(1+) include_fenced_brokers(2+)
// Response => throttle_time_ms error_code error_message(nullable) endpoint_type(1+) cluster_id controller_id
//             [brokers => broker_id host port rack(nullable) is_fenced(2+)] cluster_authorized_operations
import type { ApiSchema } from '../schema/types';

export const describeClusterSchema = {
  apiKey: 60,
  name: 'DescribeCluster',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
      // 1 = brokers, 2 = controllers.
      { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
      { name: 'includeFencedBrokers', type: 'bool', versions: '2+', default: false },
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
      { name: 'clusterId', type: 'string', versions: '0+' },
      { name: 'controllerId', type: 'int32', versions: '0+', default: -1 },
      {
        name: 'brokers',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'brokerId', type: 'int32', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'port', type: 'int32', versions: '0+' },
          { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          { name: 'isFenced', type: 'bool', versions: '2+', default: false },
        ],
      },
      { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
    ],
  },
} as const satisfies ApiSchema;
