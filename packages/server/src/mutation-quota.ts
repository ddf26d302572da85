// controller_mutation_rate for the handlers that create or delete partitions (CreateTopics,
// CreatePartitions, DeleteTopics), as Kafka's KIP-599: versions that know THROTTLING_QUOTA_EXCEEDED
// get it per topic once the client's bucket is empty (strict); older ones are only throttled.
// Only what was really created, grown or deleted counts: a refused or failed topic is given back.
import { ApiKey, ErrorCode } from '@mq/protocol';
import { type MutationQuota, quotaUserOf } from '@mq/quota';
import type { RequestContext } from './handler';
import { applyThrottle } from './quota-middleware';

/** The first version of each API whose clients handle THROTTLING_QUOTA_EXCEEDED. */
const STRICT_FROM = new Map<number, number>([
  [ApiKey.CreateTopics, 6],
  [ApiKey.CreatePartitions, 3],
  [ApiKey.DeleteTopics, 5],
]);

export const THROTTLED_TOPIC = { errorCode: ErrorCode.THROTTLING_QUOTA_EXCEEDED, errorMessage: 'The throttling quota has been exceeded.' } as const;

/** This request's controller mutation quota, or undefined when none applies to its client. */
export function mutationQuotaOf(ctx: RequestContext): MutationQuota | undefined {
  const strict = ctx.apiVersion >= (STRICT_FROM.get(ctx.apiKey) ?? Number.POSITIVE_INFINITY);
  return ctx.broker.quotas.mutationQuotaFor(quotaUserOf(ctx.session.principal), ctx.clientId ?? '', strict);
}

/** The response with the throttle time the request's mutations earned (and the connection muted for it). */
export function throttledForMutations<R extends { throttleTimeMs: number }>(res: R, quota: MutationQuota | undefined, ctx: RequestContext): R | Promise<R> {
  const ms = quota?.throttleTimeMs() ?? 0;
  return ms > 0 ? applyThrottle(res, ms, ctx) : res;
}
