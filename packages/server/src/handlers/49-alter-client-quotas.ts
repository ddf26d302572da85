// AlterClientQuotas (key 49, KIP-546), versions 0-1 (flexible 1+): sets or removes quota values of
// user / client-id / ip entities in the metadata store's `quota` entries (meta/entries.json on one
// node, etcd in a cluster, where every broker applies them). Each entry succeeds or fails on its
// own: an unknown key, a value ≤ 0 or fractional where Kafka wants a whole number, an empty, unknown
// or mixed entity get INVALID_REQUEST with a message; validate_only checks without storing.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';

type AlterClientQuotasRequest = RequestBodyFor<typeof ApiKey.AlterClientQuotas>;
type AlterClientQuotasResponse = ResponseInputFor<typeof ApiKey.AlterClientQuotas>;

export const alterClientQuotasHandler = defineHandler<AlterClientQuotasRequest, AlterClientQuotasResponse>({
  apiKey: ApiKey.AlterClientQuotas,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const results = await ctx.broker.quotas.alter(req.entries, req.validateOnly);
    ctx.logger.info({ entries: req.entries.length, validateOnly: req.validateOnly, failed: results.filter((r) => r.errorCode !== ErrorCode.NONE).length }, 'AlterClientQuotas');
    return {
      throttleTimeMs: 0,
      entries: req.entries.map((e, i) => ({ errorCode: results[i]!.errorCode, errorMessage: results[i]!.errorMessage, entity: e.entity })),
    };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, entries: req.entries.map((e) => ({ errorCode, errorMessage: null, entity: e.entity })) };
  },
});
