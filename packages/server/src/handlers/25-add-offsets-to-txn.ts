// AddOffsetsToTxn (key 25), versions 0-4 (flexible 3+): the group's __consumer_offsets partition
// joins the producer's transaction, so its TxnOffsetCommit is committed or aborted with it.
// Errors as AddPartitionsToTxn (PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { fencedFor, transactionsOf } from './txn-coordinator-of';

type AddOffsetsToTxnRequest = RequestBodyFor<typeof ApiKey.AddOffsetsToTxn>;
type AddOffsetsToTxnResponse = ResponseInputFor<typeof ApiKey.AddOffsetsToTxn>;

export const addOffsetsToTxnHandler = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const txns = transactionsOf(ctx);
    if (txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    if (req.groupId === '') return this.errorResponse(req, ErrorCode.INVALID_GROUP_ID, ctx);
    const code = await txns.addOffsets({ transactionalId: req.transactionalId, producerId: req.producerId, producerEpoch: req.producerEpoch }, req.groupId);
    return { throttleTimeMs: 0, errorCode: fencedFor(code, ctx, 2) };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode };
  },
});
