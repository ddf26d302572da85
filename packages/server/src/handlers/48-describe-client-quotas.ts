// DescribeClientQuotas (key 48, KIP-546), versions 0-1 (flexible 1+): the stored user / client-id /
// ip quota entities matching the filter, from this broker's copy of the metadata store's `quota`
// entries. A filter Kafka refuses (unknown entity type, repeated type, bad match type) gets
// INVALID_REQUEST with a message and null entries.
import { ApiKey, ErrorCode, kafkaErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import type { QuotaEntry } from '@mq/quota';
import { defineHandler } from '../handler';

type DescribeClientQuotasRequest = RequestBodyFor<typeof ApiKey.DescribeClientQuotas>;
type DescribeClientQuotasResponse = ResponseInputFor<typeof ApiKey.DescribeClientQuotas>;

export const describeClientQuotasHandler = defineHandler<DescribeClientQuotasRequest, DescribeClientQuotasResponse>({
  apiKey: ApiKey.DescribeClientQuotas,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    let found: QuotaEntry[];
    try {
      found = ctx.broker.quotas.describe(req.components, req.strict);
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: kafkaErrorCode(err), errorMessage: (err as Error).message, entries: null };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      entries: found.map((e) => ({
        entity: e.entity.map((c) => ({ entityType: c.entityType, entityName: c.entityName })),
        values: [...e.values].map(([key, value]) => ({ key, value })),
      })),
    };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, entries: null };
  },
});
