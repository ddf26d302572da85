// AddPartitionsToTxn (key 24), versions 0-5 (flexible 3+). v0-3 (clients): the partitions join the
// producer's transaction (beginning it). v4+ (brokers, KIP-890): a batch of transactions, each
// verify_only (answer whether the partitions are already in it) or an add. A partition that does not
// exist is (for an add) UNKNOWN_TOPIC_OR_PARTITION and the others of its transaction OPERATION_NOT_ATTEMPTED, as
// Kafka; otherwise every partition carries the coordinator's answer: INVALID_PRODUCER_ID_MAPPING
// (unknown id or producer id), PRODUCER_FENCED (v2+; INVALID_PRODUCER_EPOCH before),
// CONCURRENT_TRANSACTIONS (the previous transaction is completing), NOT_COORDINATOR.
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { TopicPartitionRef } from '@mq/transactions';
import { defineHandler, type RequestContext } from '../handler';
import { fencedFor, transactionsOf } from './txn-coordinator-of';

interface TopicRequest {
  name: string;
  partitions: number[];
}

interface TxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: TopicRequest[];
}

interface AddPartitionsToTxnRequest {
  transactions?: TxnRequest[];
  v3AndBelowTransactionalId?: string;
  v3AndBelowProducerId?: bigint;
  v3AndBelowProducerEpoch?: number;
  v3AndBelowTopics?: TopicRequest[];
}

interface TopicResult {
  name: string;
  resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[];
}

interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
  resultsByTransaction: { transactionalId: string; topicResults: TopicResult[] }[];
  resultsByTopicV3AndBelow: TopicResult[];
}

function transactionsIn(req: AddPartitionsToTxnRequest, version: number): TxnRequest[] {
  if (version >= 4) return req.transactions ?? [];
  return [
    {
      transactionalId: req.v3AndBelowTransactionalId ?? '',
      producerId: req.v3AndBelowProducerId ?? -1n,
      producerEpoch: req.v3AndBelowProducerEpoch ?? -1,
      verifyOnly: false,
      topics: req.v3AndBelowTopics ?? [],
    },
  ];
}

function resultsOf(topics: TopicRequest[], codeOf: (topic: string, partition: number) => number): TopicResult[] {
  return topics.map((t) => ({ name: t.name, resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: codeOf(t.name, p) })) }));
}

async function answer(txn: TxnRequest, ctx: RequestContext): Promise<TopicResult[]> {
  const coordinator = transactionsOf(ctx);
  if (coordinator === undefined) return resultsOf(txn.topics, () => ErrorCode.COORDINATOR_NOT_AVAILABLE);
  const refs: TopicPartitionRef[] = txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  const exists = (r: TopicPartitionRef) => {
    const topic = ctx.broker.topics.get(r.topic);
    return topic !== undefined && !topic.isInternal && r.partition >= 0 && r.partition < topic.partitions.length;
  };
  // verify_only (a broker asking) names partitions the transaction holds, __consumer_offsets' too
  // (a group coordinator's TxnOffsetCommit): answered from the transaction alone, as Kafka.
  if (!txn.verifyOnly && !refs.every(exists)) {
    return resultsOf(txn.topics, (topic, partition) => (exists({ topic, partition }) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  }
  const producer = { transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  const code = txn.verifyOnly ? coordinator.verify(producer, refs) : await coordinator.addPartitions(producer, refs);
  const wire = fencedFor(code, ctx, 2);
  return resultsOf(txn.topics, () => wire);
}

export const addPartitionsToTxnHandler = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const txns = transactionsIn(req, ctx.apiVersion);
    const results = await Promise.all(txns.map((t) => answer(t, ctx)));
    if (ctx.apiVersion >= 4) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        resultsByTransaction: txns.map((t, i) => ({ transactionalId: t.transactionalId, topicResults: results[i]! })),
        resultsByTopicV3AndBelow: [],
      };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: results[0] ?? [] };
  },
  errorResponse(req, errorCode, ctx) {
    const txns = transactionsIn(req, ctx.apiVersion);
    return {
      throttleTimeMs: 0,
      errorCode: ctx.apiVersion >= 4 ? errorCode : ErrorCode.NONE,
      resultsByTransaction: ctx.apiVersion >= 4 ? txns.map((t) => ({ transactionalId: t.transactionalId, topicResults: resultsOf(t.topics, () => errorCode) })) : [],
      resultsByTopicV3AndBelow: ctx.apiVersion >= 4 ? [] : resultsOf(txns[0]?.topics ?? [], () => errorCode),
    };
  },
});
