// EndTxn (key 26), versions 0-4 (flexible 3+): commits or aborts the producer's transaction. The
// answer comes once the markers are in every partition of it (and its offsets are committed or
// dropped): a read_committed consumer sees a committed transaction when the producer returns.
// INVALID_TXN_STATE without an open transaction (or ending it the other way than it is ending),
// INVALID_PRODUCER_ID_MAPPING for an unknown id, PRODUCER_FENCED (v2+; INVALID_PRODUCER_EPOCH
// before) for a stale epoch. Not implemented: v5 (KIP-890 part 2, an epoch bump per transaction).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { fencedFor, transactionsOf } from './txn-coordinator-of';

type EndTxnRequest = RequestBodyFor<typeof ApiKey.EndTxn>;
type EndTxnResponse = ResponseInputFor<typeof ApiKey.EndTxn>;

export const endTxnHandler = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const txns = transactionsOf(ctx);
    if (txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const code = await txns.endTxn({ transactionalId: req.transactionalId, producerId: req.producerId, producerEpoch: req.producerEpoch }, req.committed);
    return { throttleTimeMs: 0, errorCode: fencedFor(code, ctx, 2), producerId: -1n, producerEpoch: -1 };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
  },
});
