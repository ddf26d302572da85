// ShareGroupDescribe (key 77): state, epochs and members (with their assignments) of share groups.
// Version 1 only (flexible), the first stable version (v0, Kafka 4.0's early access, is removed).
//
// Request  => [group_ids] include_authorized_operations
// Response => throttle_time_ms [groups => error_code error_message(nullable) group_id group_state
//               group_epoch assignment_epoch assignor_name
//               [members => member_id rack_id(nullable) member_epoch client_id client_host
//                 [subscribed_topic_names] assignment => [topic_partitions => topic_id topic_name [partitions]]]
//               authorized_operations]
import type { ApiSchema } from '../schema/types';

export const shareGroupDescribeSchema = {
  apiKey: 77,
  name: 'ShareGroupDescribe',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      { name: 'groupIds', type: '[]string', versions: '0+' },
      { name: 'includeAuthorizedOperations', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'groups',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          { name: 'groupId', type: 'string', versions: '0+' },
          { name: 'groupState', type: 'string', versions: '0+' },
          { name: 'groupEpoch', type: 'int32', versions: '0+' },
          { name: 'assignmentEpoch', type: 'int32', versions: '0+' },
          { name: 'assignorName', type: 'string', versions: '0+' },
          {
            name: 'members',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'memberId', type: 'string', versions: '0+' },
              { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
              { name: 'memberEpoch', type: 'int32', versions: '0+' },
              { name: 'clientId', type: 'string', versions: '0+' },
              { name: 'clientHost', type: 'string', versions: '0+' },
              { name: 'subscribedTopicNames', type: '[]string', versions: '0+' },
              {
                name: 'assignment',
                type: 'struct',
                versions: '0+',
                fields: [
                  {
                    name: 'topicPartitions',
                    type: '[]struct',
                    versions: '0+',
                    fields: [
                      { name: 'topicId', type: 'uuid', versions: '0+' },
                      { name: 'topicName', type: 'string', versions: '0+' },
                      { name: 'partitions', type: '[]int32', versions: '0+' },
                    ],
                  },
                ],
              },
            ],
          },
          { name: 'authorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
