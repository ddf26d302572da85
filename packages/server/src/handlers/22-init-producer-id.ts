// InitProducerId (key 22), versions 0-5 (flexible 2+). Idempotent producers only: a new producer
// id from the persisted counter with epoch 0; from v3 a producer that sends its current id and
// epoch gets the epoch bumped (KIP-360), or a fresh id when the epoch would overflow.
// Not implemented: transactions. Until the transactions issue lands, a non-null transactional_id
// is answered UNSUPPORTED_VERSION (logged). kafkajs and the Java client treat it as fatal, so
// producer.transaction() / initTransactions() fail at once. librdkafka retries every error here but
// the authorization, timeout and fencing ones (none of which is true), so init_transactions() still
// runs to its timeout — and then reports "Broker: API version not supported", not a bare timeout.
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
      ctx.logger.warn({ transactionalId: req.transactionalId, clientId: ctx.clientId }, 'transactions are not supported yet: refusing transactional.id');
      return this.errorResponse(req, ErrorCode.UNSUPPORTED_VERSION, ctx);
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
