// ListTransactions (key 66), versions 0-1 (flexible): the transactional ids this coordinator holds,
// filtered by state names (unknown names come back in unknown_state_filters), producer ids and (v1,
// KIP-994) a minimum running time in ms.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { transactionsOf } from './txn-coordinator-of';

type ListTransactionsRequest = RequestBodyFor<typeof ApiKey.ListTransactions>;
type ListTransactionsResponse = ResponseInputFor<typeof ApiKey.ListTransactions>;

export const listTransactionsHandler = defineHandler<ListTransactionsRequest, ListTransactionsResponse>({
  apiKey: ApiKey.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const txns = transactionsOf(ctx);
    if (txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const r = txns.list({ states: req.stateFilters, producerIds: req.producerIdFilters, minDurationMs: req.durationFilter ?? -1n });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters: r.unknownStateFilters, transactionStates: r.transactions };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, unknownStateFilters: [], transactionStates: [] };
  },
});
