// Fetch (key 1), versions 0-17: read record batches per topic-partition. v13+ addresses topics by
// topic id (UUID) instead of name. Response records are passed by reference (Buffer or Buffer[]).
//
// FetchRequest v0-2 => replica_id:INT32 max_wait_ms:INT32 min_bytes:INT32
//                      topics:[topic:STRING partitions:[partition:INT32 fetch_offset:INT64 partition_max_bytes:INT32]]
// v3: max_bytes:INT32 (after min_bytes)          v4: isolation_level:INT8 (after max_bytes)
// v5: partition log_start_offset:INT64 (after fetch_offset)
// v7: session_id:INT32 session_epoch:INT32 (after isolation_level), forgotten_topics_data:[topic:STRING partitions:[INT32]] (after topics)
// v9: partition current_leader_epoch:INT32 (after partition)      v11: rack_id:STRING (last)
// v12: flexible; partition last_fetched_epoch:INT32 (after fetch_offset); tagged cluster_id (tag 0) COMPACT_NULLABLE_STRING
// v13: topic_id:UUID replaces topic:STRING (topics and forgotten_topics_data)
// v15: replica_id removed; tagged replica_state (tag 1) {replica_id:INT32 replica_epoch:INT64}
// v17: tagged partition replica_directory_id (tag 0) UUID
// FetchResponse v0 => topics:[topic:STRING partitions:[partition_index:INT32 error_code:INT16 high_watermark:INT64 records:RECORDS]]
// v1: throttle_time_ms:INT32 first
// v4: partition last_stable_offset:INT64, aborted_transactions:NULLABLE[producer_id:INT64 first_offset:INT64] (before records)
// v5: partition log_start_offset:INT64 (after last_stable_offset)
// v7: error_code:INT16 session_id:INT32 (after throttle_time_ms)  v11: partition preferred_read_replica:INT32 (before records)
// v12: flexible; tagged partition diverging_epoch (0) {epoch:INT32 end_offset:INT64}, current_leader (1) {leader_id leader_epoch},
//      snapshot_id (2) {end_offset:INT64 epoch:INT32}
// v13: topic_id:UUID replaces topic          v16: tagged top-level node_endpoints (0) [node_id host port rack]
import type { ApiSchema } from '../schema/types';

export const fetchSchema = {
  apiKey: 1,
  name: 'Fetch',
  request: {
    validVersions: '0-17',
    flexibleVersions: '12+',
    fields: [
      { name: 'clusterId', type: 'string', versions: '12+', nullableVersions: '12+', default: null, taggedVersions: '12+', tag: 0 },
      { name: 'replicaId', type: 'int32', versions: '0-14', default: -1 },
      {
        name: 'replicaState',
        type: 'struct',
        versions: '15+',
        taggedVersions: '15+',
        tag: 1,
        fields: [
          { name: 'replicaId', type: 'int32', versions: '15+', default: -1 },
          { name: 'replicaEpoch', type: 'int64', versions: '15+', default: -1n },
        ],
      },
      { name: 'maxWaitMs', type: 'int32', versions: '0+' },
      { name: 'minBytes', type: 'int32', versions: '0+' },
      { name: 'maxBytes', type: 'int32', versions: '3+', default: 0x7fffffff },
      { name: 'isolationLevel', type: 'int8', versions: '4+', default: 0 },
      { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
      { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1 },
      {
        name: 'topics',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0-12' },
          { name: 'topicId', type: 'uuid', versions: '13+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partition', type: 'int32', versions: '0+' },
              { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1 },
              { name: 'fetchOffset', type: 'int64', versions: '0+' },
              { name: 'lastFetchedEpoch', type: 'int32', versions: '12+', default: -1 },
              { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
              { name: 'partitionMaxBytes', type: 'int32', versions: '0+' },
              { name: 'replicaDirectoryId', type: 'uuid', versions: '17+', taggedVersions: '17+', tag: 0 },
            ],
          },
        ],
      },
      {
        name: 'forgottenTopicsData',
        type: '[]struct',
        versions: '7+',
        fields: [
          { name: 'topic', type: 'string', versions: '7-12' },
          { name: 'topicId', type: 'uuid', versions: '13+' },
          { name: 'partitions', type: '[]int32', versions: '7+' },
        ],
      },
      { name: 'rackId', type: 'string', versions: '11+', default: '' },
    ],
  },
  response: {
    validVersions: '0-17',
    flexibleVersions: '12+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
      { name: 'errorCode', type: 'int16', versions: '7+' },
      { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
      {
        name: 'responses',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'topic', type: 'string', versions: '0-12' },
          { name: 'topicId', type: 'uuid', versions: '13+' },
          {
            name: 'partitions',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+' },
              { name: 'errorCode', type: 'int16', versions: '0+' },
              { name: 'highWatermark', type: 'int64', versions: '0+' },
              { name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1n },
              { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
              {
                name: 'divergingEpoch',
                type: 'struct',
                versions: '12+',
                taggedVersions: '12+',
                tag: 0,
                fields: [
                  { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
                  { name: 'endOffset', type: 'int64', versions: '12+', default: -1n },
                ],
              },
              {
                name: 'currentLeader',
                type: 'struct',
                versions: '12+',
                taggedVersions: '12+',
                tag: 1,
                fields: [
                  { name: 'leaderId', type: 'int32', versions: '12+', default: -1 },
                  { name: 'leaderEpoch', type: 'int32', versions: '12+', default: -1 },
                ],
              },
              {
                name: 'snapshotId',
                type: 'struct',
                versions: '12+',
                taggedVersions: '12+',
                tag: 2,
                fields: [
                  { name: 'endOffset', type: 'int64', versions: '0+', default: -1n },
                  { name: 'epoch', type: 'int32', versions: '0+', default: -1 },
                ],
              },
              {
                name: 'abortedTransactions',
                type: '[]struct',
                versions: '4+',
                nullableVersions: '4+',
                fields: [
                  { name: 'producerId', type: 'int64', versions: '4+' },
                  { name: 'firstOffset', type: 'int64', versions: '4+' },
                ],
              },
              { name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1 },
              { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
      {
        name: 'nodeEndpoints',
        type: '[]struct',
        versions: '16+',
        taggedVersions: '16+',
        tag: 0,
        fields: [
          { name: 'nodeId', type: 'int32', versions: '16+' },
          { name: 'host', type: 'string', versions: '16+' },
          { name: 'port', type: 'int32', versions: '16+' },
          { name: 'rack', type: 'string', versions: '16+', nullableVersions: '16+', default: null },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;

