// Metadata (key 3), versions 0-12: brokers, cluster id, controller, and per topic its partitions,
// leaders, replicas and (v10+) topic id. v0: empty topics = all topics; v1+: null topics = all.
//
// MetadataRequest v0-3  => topics:[name:STRING]            (v1+: topics NULLABLE)
// MetadataRequest v4-7  => topics:[name] allow_auto_topic_creation:BOOL
// MetadataRequest v8    => topics:[name] allow_auto_topic_creation include_cluster_authorized_operations:BOOL include_topic_authorized_operations:BOOL
// MetadataRequest v9    => same as v8, COMPACT + TAG_BUFFERs
// MetadataRequest v10   => topics:[topic_id:UUID name:COMPACT_NULLABLE_STRING TAG_BUFFER] allow_auto include_cluster include_topic TAG_BUFFER
// MetadataRequest v11-12 => topics:[topic_id name] allow_auto_topic_creation include_topic_authorized_operations TAG_BUFFER
// MetadataResponse v0 => brokers:[node_id:INT32 host:STRING port:INT32]
//                        topics:[error_code:INT16 name:STRING partitions:[error_code:INT16 partition_index:INT32 leader_id:INT32 replica_nodes:[INT32] isr_nodes:[INT32]]]
// v1: broker rack:NULLABLE_STRING, controller_id:INT32 (after brokers), topic is_internal:BOOL (after name)
// v2: cluster_id:NULLABLE_STRING (after brokers)      v3+: throttle_time_ms:INT32 first
// v5: partition offline_replicas:[INT32]               v7: partition leader_epoch:INT32 (after leader_id)
// v8: topic topic_authorized_operations:INT32, cluster_authorized_operations:INT32 (last; v8-10 only)
// v9: flexible (COMPACT + TAG_BUFFERs)                 v10: topic topic_id:UUID (after name)
// v12: topic name is nullable
import type { ApiSchema } from '../schema/types';

export const metadataSchema = {
  apiKey: 3,
  name: 'Metadata',
  request: {
    validVersions: '0-12',
    flexibleVersions: '9+',
    fields: [
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        nullableVersions: '1+',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '10+' },
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '10+' },
        ],
      },
      { name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true },
      { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '8-10' },
      { name: 'includeTopicAuthorizedOperations', type: 'bool', versions: '8+' },
    ],
  },
  response: {
    validVersions: '0-12',
    flexibleVersions: '9+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
      {
        name: 'brokers',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'nodeId', type: 'int32', versions: '0+' },
          { name: 'host', type: 'string', versions: '0+' },
          { name: 'port', type: 'int32', versions: '0+' },
          { name: 'rack', type: 'string', versions: '1+', nullableVersions: '1+', default: null },
        ],
      },
      { name: 'clusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
      { name: 'controllerId', type: 'int32', versions: '1+', default: -1 },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '12+' },
          { name: 'topicId', type: 'uuid', versions: '10+' },
          { name: 'isInternal', type: 'bool', versions: '1+', default: false },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'leaderId', type: 'int32', versions: '0+' },
              { name: 'leaderEpoch', type: 'int32', versions: '7+', default: -1 },
              { name: 'replicaNodes', type: '[]int32', versions: '0+' },
              { name: 'isrNodes', type: '[]int32', versions: '0+' },
              { name: 'offlineReplicas', type: '[]int32', versions: '5+' },
            ],
          },
          { name: 'topicAuthorizedOperations', type: 'int32', versions: '8+', default: -2147483648 },
        ],
      },
      { name: 'clusterAuthorizedOperations', type: 'int32', versions: '8-10', default: -2147483648 },
    ],
  },
} as const satisfies ApiSchema;

