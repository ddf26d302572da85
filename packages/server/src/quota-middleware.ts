// Client quota enforcement as Kafka does it, as a request middleware: Produce request bytes against
// producer_byte_rate, Fetch response bytes against consumer_byte_rate (a Fetch is sized down to what
// the quota window allows; one that goes over answers without records, which are not counted), and
// the dispatch phase's event-loop time against request_percentage. A request that takes its client
// over gets throttle_time_ms in its response and (KIP-219) the connection stops reading for that long
// once the response is written; versions older than KIP-219 get the response delayed instead.
// No quota stored: one boolean test per request.
import { ApiKey } from '@mq/protocol';
import { type ClientQuotas, type ResolvedQuota, quotaUserOf } from '@mq/quota';
import { performance } from 'node:perf_hooks';
import { NO_RESPONSE, type NoResponse } from './completion';
import { clientThrottles } from './client-throttle-versions';
import type { RequestContext } from './handler';
import type { RequestCall, RequestMiddleware } from './request-middleware';

/** Not measured against request_percentage (Kafka exempts them too): handshakes and broker-to-broker calls. */
const REQUEST_QUOTA_EXEMPT = new Set<number>([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate, ApiKey.WriteTxnMarkers]);

interface FetchLimits {
  replicaId?: number;
  replicaState?: { replicaId: number };
  minBytes: number;
  maxBytes?: number;
}

interface FetchAnswer {
  responses: { partitions: { records: Buffer | null }[] }[];
}

export function quotaMiddleware(quotas: ClientQuotas): RequestMiddleware {
  return (call, next) => {
    if (!quotas.enabled) return next();
    const { ctx } = call;
    const user = quotaUserOf(ctx.session.principal);
    const clientId = ctx.clientId ?? '';
    const requestQuota = REQUEST_QUOTA_EXEMPT.has(ctx.apiKey) ? null : quotas.quotaFor('request_percentage', user, clientId);
    let produceQuota: ResolvedQuota | null = null;
    let fetchQuota: ResolvedQuota | null = null;
    if (ctx.apiKey === ApiKey.Produce) produceQuota = quotas.quotaFor('producer_byte_rate', user, clientId);
    else if (ctx.apiKey === ApiKey.Fetch && !isFollowerFetch(call.request as unknown as FetchLimits, ctx.apiVersion)) {
      fetchQuota = quotas.quotaFor('consumer_byte_rate', user, clientId);
      if (fetchQuota !== null) sizeFetchToQuota(call, quotas.fetch.maxValueInQuotaWindow(fetchQuota));
    }
    if (requestQuota === null && produceQuota === null && fetchQuota === null) return next();
    const started = requestQuota === null ? 0 : performance.now();
    const completion = next();
    // Request time is the dispatch phase's: the event-loop time this request took synchronously
    // (mq's counterpart of Kafka's request-handler thread time; 100 % = the whole loop).
    const dispatchMs = requestQuota === null ? 0 : performance.now() - started;
    return completion.map(async (pending) => {
      const res = await pending;
      const now = quotas.nowMs();
      let throttleMs = 0;
      if (requestQuota !== null) {
        throttleMs = quotas.request.recordAndGetThrottleTimeMs(requestQuota, (dispatchMs * 100) / 1000, now);
      }
      if (produceQuota !== null) {
        throttleMs = Math.max(throttleMs, quotas.produce.recordAndGetThrottleTimeMs(produceQuota, ctx.requestBytes, now));
      }
      if (fetchQuota !== null && res !== NO_RESPONSE) {
        const answer = res as unknown as FetchAnswer;
        const bytes = fetchRecordBytes(answer);
        const fetchThrottle = quotas.fetch.recordAndGetThrottleTimeMs(fetchQuota, bytes, now);
        if (fetchThrottle > 0 || throttleMs > 0) {
          // Kafka: a throttled Fetch answers without records; they were not sent, so not counted.
          quotas.fetch.unrecord(fetchQuota, bytes, now);
          answer.responses = [];
        }
        throttleMs = Math.max(throttleMs, fetchThrottle);
      }
      if (throttleMs <= 0) return res;
      return applyThrottle(res, throttleMs, ctx);
    });
  };
}

/**
 * Writes throttle_time_ms (the longest of what the handler and the quotas asked for) and mutes the
 * connection after the response (KIP-219), or delays the response for older clients.
 */
export async function applyThrottle<R extends object | NoResponse>(res: R, throttleMs: number, ctx: RequestContext): Promise<R> {
  if (res !== NO_RESPONSE && 'throttleTimeMs' in (res as object)) {
    const r = res as unknown as { throttleTimeMs: number };
    r.throttleTimeMs = Math.max(r.throttleTimeMs, throttleMs);
  }
  if (res === NO_RESPONSE || clientThrottles(ctx.apiKey, ctx.apiVersion)) {
    ctx.throttleConnection(throttleMs);
    return res;
  }
  await new Promise<void>((resolve) => ctx.broker.clock.schedule(throttleMs, resolve));
  return res;
}

function isFollowerFetch(req: FetchLimits, version: number): boolean {
  const replicaId = version >= 15 ? (req.replicaState?.replicaId ?? -1) : (req.replicaId ?? -1);
  return replicaId >= 0;
}

/** Kafka: max_bytes at most what the quota window allows, min_bytes at most max_bytes. */
function sizeFetchToQuota(call: RequestCall, windowBytes: number): void {
  const req = call.request as unknown as FetchLimits;
  const allowed = Math.max(1, Math.floor(Math.min(windowBytes, 0x7fffffff)));
  if (req.maxBytes === undefined || req.maxBytes <= 0 || req.maxBytes > allowed) req.maxBytes = allowed;
  if (req.minBytes > req.maxBytes) req.minBytes = req.maxBytes;
}

function fetchRecordBytes(res: FetchAnswer): number {
  let n = 0;
  for (const t of res.responses) for (const p of t.partitions) n += p.records?.length ?? 0;
  return n;
}
