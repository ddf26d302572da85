// ElectLeaders (key 43): elect the preferred replica (type 0) or, where no ISR member is live, the
// first live replica (type 1, unclean) of the named partitions — null topic_partitions: all of them.
// Every version 0-2 (flexible 2+); v0 has no election_type (preferred) and no top-level error_code.
//
// Request  => election_type(v1+) [topic_partitions => topic [partitions]](nullable) timeout_ms
// Response => throttle_time_ms error_code(v1+) [replica_election_results => topic
//               [partition_result => partition_id error_code error_message(nullable)]]
import type { ApiSchema } from '../schema/types';

export const electLeadersSchema = {
  apiKey: 43,
  name: 'ElectLeaders',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      // 0 PREFERRED, 1 UNCLEAN.
      { name: 'electionType', type: 'int8', versions: '1+' },
      {
        name: 'topicPartitions',
        type: '[]struct',
        versions: '0+',
        nullableVersions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0+' },
          { name: 'partitions', type: '[]int32', versions: '0+' },
        ],
      },
      { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '1+' },
      {
        name: 'replicaElectionResults',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0+' },
          {
            name: 'partitionResult',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionId', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
