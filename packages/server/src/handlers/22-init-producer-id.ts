// InitProducerId (key 22), versions 0-5 (flexible 2+). Without a transactional_id: idempotent
// producers get a new producer id from the persisted counter with epoch 0; from v3 a producer that
// sends its current id and epoch gets the epoch bumped (KIP-360), or a fresh id when the epoch
// would overflow. With a transactional_id the transaction coordinator answers (@mq/transactions):
// the id's producer id with its epoch bumped (fencing older instances; an open transaction is aborted
// first), INVALID_TRANSACTION_TIMEOUT past transaction.max.timeout.ms, PRODUCER_FENCED (v4+;
// INVALID_PRODUCER_EPOCH before) for a stale producer id / epoch, CONCURRENT_TRANSACTIONS while the
// previous transaction is being completed (clients retry).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { fencedFor, transactionsOf } from './txn-coordinator-of';

type InitProducerIdRequest = RequestBodyFor<typeof ApiKey.InitProducerId>;

type InitProducerIdResponse = ResponseInputFor<typeof ApiKey.InitProducerId>;

const MAX_EPOCH = 32767;

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const id = req.producerId ?? -1n;
    const epoch = req.producerEpoch ?? -1;
    if (req.transactionalId !== null && req.transactionalId !== undefined) {
      const txns = transactionsOf(ctx);
      if (txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
      const r = await txns.initProducerId({ transactionalId: req.transactionalId, transactionTimeoutMs: req.transactionTimeoutMs, producerId: id, producerEpoch: epoch });
      if (r.errorCode !== ErrorCode.NONE) return this.errorResponse(req, fencedFor(r.errorCode, ctx, 4), ctx);
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: r.producerId, producerEpoch: r.producerEpoch };
    }
    if (id >= 0n && epoch >= 0 && epoch < MAX_EPOCH - 1) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: id, producerEpoch: epoch + 1 };
    }
    const producerId = await ctx.broker.producerIds.nextProducerId();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
  },
});
