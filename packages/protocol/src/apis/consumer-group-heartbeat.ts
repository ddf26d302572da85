// ConsumerGroupHeartbeat (key 68): the KIP-848 consumer protocol; one call joins, heartbeats, leaves
// and carries the server-side assignment. Every version 0-1 (flexible 0+); v1 adds a topic regex.
// Fields marked "null = unchanged" are only sent when they changed since the last heartbeat.
//
// Request  => group_id member_id member_epoch instance_id(nullable) rack_id(nullable) rebalance_timeout_ms
//             [subscribed_topic_names](nullable) subscribed_topic_regex(1+, nullable)
//             server_assignor(nullable) [topic_partitions => topic_id:uuid [partitions]](nullable)
// Response => throttle_time_ms error_code error_message(nullable) member_id(nullable) member_epoch
//             heartbeat_interval_ms assignment(nullable struct => [topic_partitions => topic_id [partitions]])
import type { ApiSchema } from '../schema/types';

export const consumerGroupHeartbeatSchema = {
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      // 0 joins, -1 leaves, -2 a static member leaving temporarily.
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'rebalanceTimeoutMs', type: 'int32', versions: '0+', default: -1 },
      { name: 'subscribedTopicNames', type: '[]string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'subscribedTopicRegex', type: 'string', versions: '1+', nullableVersions: '1+', default: null },
      { name: 'serverAssignor', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      {
        name: 'topicPartitions',
        type: '[]struct',
        versions: '0+',
        nullableVersions: '0+',
        default: null,
        fields: [
          { name: 'topicId', type: 'uuid', versions: '0+' },
          { name: 'partitions', type: '[]int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'memberId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'heartbeatIntervalMs', type: 'int32', versions: '0+' },
      {
        name: 'assignment',
        type: 'struct',
        versions: '0+',
        nullableVersions: '0+',
        default: null,
        fields: [
          {
            name: 'topicPartitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'topicId', type: 'uuid', versions: '0+' },
              { name: 'partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
