// ShareGroupHeartbeat (key 76): KIP-932 share-group membership; one call joins, heartbeats, leaves
// and carries the broker's assignment. Version 1 only (flexible): the first stable version (Kafka
// 4.1; librdkafka 2.15 and @kafkats/client 0.12 send it); v0 was Kafka 4.0's early access, removed.
//
// Request  => group_id member_id member_epoch rack_id(nullable) [subscribed_topic_names](nullable)
// Response => throttle_time_ms error_code error_message(nullable) member_id(nullable) member_epoch
//             heartbeat_interval_ms assignment(nullable struct => [topic_partitions => topic_id [partitions]])
import type { ApiSchema } from '../schema/types';

export const shareGroupHeartbeatSchema = {
  apiKey: 76,
  name: 'ShareGroupHeartbeat',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'memberId', type: 'string', versions: '0+' },
      // 0 joins, -1 leaves.
      { name: 'memberEpoch', type: 'int32', versions: '0+' },
      { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      // null = unchanged since the last heartbeat.
      { name: 'subscribedTopicNames', type: '[]string', versions: '0+', nullableVersions: '0+', default: null },
    ],
  },
  response: {
    validVersions: '1',
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
