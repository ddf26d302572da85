// AddPartitionsToTxn (key 24), versions 0-5 (flexible 3+): a transactional producer names the
// partitions it is about to write in its transaction. v0-3 are the client's (one transaction);
// v4+ are broker to broker (KIP-890): a batch of transactions, each optionally verify_only (is the
// partition already in it?) — what a partition leader asks the coordinator before a transactional write.
//
// Request v0-3 => transactional_id producer_id:INT64 producer_epoch:INT16 [topics => name [partitions:INT32]]
// Request v4+  => [transactions => transactional_id producer_id producer_epoch verify_only:BOOL
//                  [topics => name [partitions:INT32]]] TAG_BUFFER
// Response v0-3 => throttle_time_ms [results_by_topic => name [results_by_partition => partition_index partition_error_code]]
// Response v4+  => throttle_time_ms error_code [results_by_transaction => transactional_id
//                  [topic_results => name [results_by_partition => partition_index partition_error_code]]] TAG_BUFFER
import type { ApiSchema } from '../schema/types';

const topicFields = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+' },
] as const;

const topicResultFields = [
  { name: 'name', type: 'string', versions: '0+' },
  {
    name: 'resultsByPartition',
    type: '[]struct',
    versions: '0+',
    fields: [
      { name: 'partitionIndex', type: 'int32', versions: '0+' },
      { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
    ],
  },
] as const;

export const addPartitionsToTxnSchema = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      {
        name: 'transactions',
        type: '[]struct',
        versions: '4+',
        fields: [
          { name: 'transactionalId', type: 'string', versions: '4+' },
          { name: 'producerId', type: 'int64', versions: '4+' },
          { name: 'producerEpoch', type: 'int16', versions: '4+' },
          { name: 'verifyOnly', type: 'bool', versions: '4+', default: false },
          { name: 'topics', type: '[]struct', versions: '4+', fields: topicFields },
        ],
      },
      { name: 'v3AndBelowTransactionalId', type: 'string', versions: '0-3' },
      { name: 'v3AndBelowProducerId', type: 'int64', versions: '0-3' },
      { name: 'v3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
      { name: 'v3AndBelowTopics', type: '[]struct', versions: '0-3', fields: topicFields },
    ],
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '4+' },
      {
        name: 'resultsByTransaction',
        type: '[]struct',
        versions: '4+',
        fields: [
          { name: 'transactionalId', type: 'string', versions: '4+' },
          { name: 'topicResults', type: '[]struct', versions: '4+', fields: topicResultFields },
        ],
      },
      { name: 'resultsByTopicV3AndBelow', type: '[]struct', versions: '0-3', fields: topicResultFields },
    ],
  },
} as const satisfies ApiSchema;
