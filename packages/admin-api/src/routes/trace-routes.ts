// The trace queries over HTTP: one trace by id, the trace of a stored record (topic, partition,
// offset), and the recent traces or those in a time range. The ring answers first; a trace it no
// longer holds is looked for in the JSONL files. A broker that gave no trace store answers 503.
import { HttpError, type Route } from '@mq/http';
import type { TraceSpan, TraceStore } from '@mq/trace';
import type { AdminServices } from '../admin-services';

const TRACE_ID = /^[0-9a-f]{32}$/;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

export function traceRoutes(s: AdminServices): Route[] {
  const storeOf = (): TraceStore => {
    if (s.traces === undefined) throw new HttpError(503, 'this broker keeps no traces');
    return s.traces.store;
  };
  const spansOf = async (traceId: string): Promise<TraceSpan[]> => {
    const kept = storeOf().trace(traceId);
    const sink = s.traces?.sink;
    if (kept.length > 0 || sink === undefined) return kept;
    return (await sink.readAll()).filter((s) => s.traceId === traceId).sort((a, b) => a.startTimeMs - b.startTimeMs);
  };
  return [
    {
      method: 'GET',
      path: '/v1/traces/:traceId',
      handler: async (_req, params) => {
        const traceId = params.traceId!;
        if (!TRACE_ID.test(traceId)) throw HttpError.badRequest(`not a trace id (32 lowercase hex digits): ${traceId}`);
        const spans = await spansOf(traceId);
        if (spans.length === 0) throw HttpError.notFound(`trace ${traceId} is not kept (never traced, or past the ring and the trace files' retention)`);
        return { status: 200, body: { traceId, spans } };
      },
    },
    {
      method: 'GET',
      path: '/v1/traces/by-offset/:topic/:partition/:offset',
      handler: async (_req, params) => {
        const partition = integer('partition', params.partition!, 0, 2 ** 31 - 1);
        const offset = BigInt(integer('offset', params.offset!, 0, Number.MAX_SAFE_INTEGER));
        const traceId = storeOf().traceOf(params.topic!, partition, offset);
        if (traceId === undefined) throw HttpError.notFound(`${params.topic}-${partition} offset ${offset} has no trace kept`);
        return { status: 200, body: { traceId, spans: await spansOf(traceId) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/traces',
      handler: (req) => {
        const q = req.query;
        const limit = q.has('limit') ? integer('limit', q.get('limit')!, 1, MAX_LIMIT) : DEFAULT_LIMIT;
        const from = q.has('from') ? integer('from', q.get('from')!, 0, Number.MAX_SAFE_INTEGER) : undefined;
        const to = q.has('to') ? integer('to', q.get('to')!, 0, Number.MAX_SAFE_INTEGER) : undefined;
        if (from !== undefined && to !== undefined && from > to) throw HttpError.badRequest(`from (${from}) is after to (${to})`);
        const store = storeOf();
        const traces =
          from === undefined && to === undefined
            ? store.recent(limit)
            : store.range(from ?? Number.NEGATIVE_INFINITY, to ?? Number.POSITIVE_INFINITY, limit);
        return { status: 200, body: { traces } };
      },
    },
  ];
}

/** A decimal integer in [min, max], else 400 naming the parameter. */
function integer(name: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw HttpError.badRequest(`${name}: not an integer in [${min}, ${max}]: ${text}`);
  return n;
}
