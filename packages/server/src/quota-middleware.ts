// Client quota enforcement as Kafka does it, as a request middleware: Produce request bytes against
// producer_byte_rate, Fetch response bytes against consumer_byte_rate (a Fetch is sized down to what
// the quota window allows; one that goes over answers without records, which are not counted), and
// the dispatch phase's event-loop time against request_percentage. A request that takes its client
// over gets throttle_time_ms in its response and (KIP-219) the connection stops reading for that long
// once the response is written; versions older than KIP-219 get the response delayed instead.
// Tenant quotas (@mq/quota Tenants) are measured the same way on one sensor per tenant, beside the
// user / client-id ones: the longest throttle wins. No quota stored and no tenant: one test per request.
import { ApiKey } from '@mq/protocol';
import { type ClientQuotaManager, type ClientQuotas, type ResolvedQuota, type Tenants, quotaUserOf } from '@mq/quota';
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

/** One quota a request is measured against, on the manager whose sensors it uses. */
interface Measured {
  readonly manager: ClientQuotaManager;
  readonly quota: ResolvedQuota;
  /** Told the throttle time this quota earned (a tenant's count). */
  readonly throttled?: (ms: number) => void;
}

export function quotaMiddleware(quotas: ClientQuotas, tenants?: Tenants): RequestMiddleware {
  return (call, next) => {
    const active = tenants?.enabled === true ? tenants : undefined;
    if (!quotas.enabled && active === undefined) return next();
    const { ctx } = call;
    const user = quotaUserOf(ctx.session.principal);
    const clientId = ctx.clientId ?? '';
    const isProduce = ctx.apiKey === ApiKey.Produce;
    const isFetch = ctx.apiKey === ApiKey.Fetch && !isFollowerFetch(call.request as unknown as FetchLimits, ctx.apiVersion);
    const measured = (key: 'producer_byte_rate' | 'consumer_byte_rate' | 'request_percentage', manager: ClientQuotaManager): Measured[] => {
      const out: Measured[] = [];
      const client = quotas.enabled ? quotas.quotaFor(key, user, clientId) : null;
      if (client !== null) out.push({ manager, quota: client });
      const tenant = active === undefined ? null : active.quotaFor(key, ctx.session.principal);
      if (active !== undefined && tenant !== null) out.push({ manager: active.managers[key], quota: tenant, throttled: (ms) => active.throttled(key, tenant, ms) });
      return out;
    };
    const requestQuotas = REQUEST_QUOTA_EXEMPT.has(ctx.apiKey) ? [] : measured('request_percentage', quotas.request);
    const produceQuotas = isProduce ? measured('producer_byte_rate', quotas.produce) : [];
    const fetchQuotas = isFetch ? measured('consumer_byte_rate', quotas.fetch) : [];
    if (fetchQuotas.length > 0) sizeFetchToQuota(call, Math.min(...fetchQuotas.map((m) => m.manager.maxValueInQuotaWindow(m.quota))));
    const usage = active !== undefined && (isProduce || isFetch) ? active.usageOf(active.of(ctx.session.principal)?.name ?? '') : undefined;
    if (requestQuotas.length === 0 && produceQuotas.length === 0 && fetchQuotas.length === 0 && usage === undefined) return next();
    const started = requestQuotas.length === 0 ? 0 : performance.now();
    const completion = next();
    // Request time is the dispatch phase's: the event-loop time this request took synchronously
    // (mq's counterpart of Kafka's request-handler thread time; 100 % = the whole loop).
    const dispatchMs = requestQuotas.length === 0 ? 0 : performance.now() - started;
    return completion.map(async (pending) => {
      const res = await pending;
      const now = quotas.nowMs();
      let throttleMs = 0;
      for (const m of requestQuotas) throttleMs = Math.max(throttleMs, record(m, (dispatchMs * 100) / 1000, now));
      for (const m of produceQuotas) throttleMs = Math.max(throttleMs, record(m, ctx.requestBytes, now));
      if (usage !== undefined && isProduce) usage.producedBytes += ctx.requestBytes;
      if (isFetch && res !== NO_RESPONSE) {
        const answer = res as unknown as FetchAnswer;
        const bytes = fetchRecordBytes(answer);
        let fetchThrottle = 0;
        for (const m of fetchQuotas) fetchThrottle = Math.max(fetchThrottle, record(m, bytes, now));
        if (fetchQuotas.length > 0 && (fetchThrottle > 0 || throttleMs > 0)) {
          // Kafka: a throttled Fetch answers without records; they were not sent, so not counted.
          for (const m of fetchQuotas) m.manager.unrecord(m.quota, bytes, now);
          answer.responses = [];
        } else if (usage !== undefined) usage.fetchedBytes += bytes;
        throttleMs = Math.max(throttleMs, fetchThrottle);
      }
      if (throttleMs <= 0) return res;
      return applyThrottle(res, throttleMs, ctx);
    });
  };
}

function record(m: Measured, value: number, nowMs: number): number {
  const ms = m.manager.recordAndGetThrottleTimeMs(m.quota, value, nowMs);
  m.throttled?.(ms);
  return ms;
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
