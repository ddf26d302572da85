// DescribeTransactions (key 65), version 0 (flexible): each transactional id's state on this
// coordinator: state name, timeout, start time, producer id / epoch, partitions.
// TRANSACTIONAL_ID_NOT_FOUND for an id it does not know, NOT_COORDINATOR for one coordinated elsewhere.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { transactionsOf } from './txn-coordinator-of';

type DescribeTransactionsRequest = RequestBodyFor<typeof ApiKey.DescribeTransactions>;
type DescribeTransactionsResponse = ResponseInputFor<typeof ApiKey.DescribeTransactions>;

export const describeTransactionsHandler = defineHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>({
  apiKey: ApiKey.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const txns = transactionsOf(ctx);
    if (txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    return { throttleTimeMs: 0, transactionStates: txns.describe(req.transactionalIds) };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      transactionStates: (req.transactionalIds ?? []).map((transactionalId) => ({
        errorCode,
        transactionalId,
        transactionState: '',
        transactionTimeoutMs: 0,
        transactionStartTimeMs: -1n,
        producerId: -1n,
        producerEpoch: -1,
        topics: [],
      })),
    };
  },
});
