// InitProducerId (key 22), versions 0-5 (flexible 2+). Idempotent producers only: a new producer
// id from the persisted counter with epoch 0; from v3 a producer that sends its current id and
// epoch gets the epoch bumped (KIP-360), or a fresh id when the epoch would overflow.
// Not implemented: transactions — a non-null transactional_id is answered INVALID_REQUEST (logged).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';

type InitProducerIdRequest = RequestBodyFor<typeof ApiKey.InitProducerId>;

type InitProducerIdResponse = ResponseInputFor<typeof ApiKey.InitProducerId>;

const MAX_EPOCH = 32767;

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    if (req.transactionalId !== null && req.transactionalId !== undefined) {
      ctx.logger.info({ transactionalId: req.transactionalId }, 'transactions are not supported');
      return this.errorResponse(req, ErrorCode.INVALID_REQUEST, ctx);
    }
    const id = req.producerId ?? -1n;
    const epoch = req.producerEpoch ?? -1;
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
