// The trace queries (/v1/traces) in the OpenAPI document: operations (merged into OPENAPI_PATHS)
// and their schemas (merged into the components). Times are epoch ms (fractional), ids lowercase hex.
import { arr, int, obj, ref, type Schema, str } from './schema-builders';

const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const path = (name: string, schema: Schema, description: string) => ({ name, in: 'path' as const, required: true, schema, description });
const query = (name: string, description: string) => ({ name, in: 'query' as const, required: false, schema: { type: 'integer', minimum: 0 }, description });
const bad = json('a malformed trace id, partition, offset or parameter', 'Error');
const unavailable = json('this broker keeps no traces', 'Error');
const ms: Schema = { type: 'number' };
const hex = (digits: number): Schema => ({ type: 'string', pattern: `^[0-9a-f]{${digits}}$` });

export const TRACE_PATHS = {
  '/v1/traces': {
    get: {
      operationId: 'listTraces',
      summary: 'The newest traces kept in the ring, or those with a span starting in [from, to]',
      parameters: [query('limit', 'at most this many (default 20, at most 1000)'), query('from', 'epoch ms'), query('to', 'epoch ms')],
      responses: { 200: json('trace summaries, newest first', 'TraceSummaryList'), 400: bad, 503: unavailable },
    },
  },
  '/v1/traces/{traceId}': {
    get: {
      operationId: 'getTrace',
      summary: "A trace's spans in time order (the ring first, then the JSONL files)",
      parameters: [path('traceId', { type: 'string' }, '32 lowercase hex digits')],
      responses: { 200: json('the trace', 'Trace'), 400: bad, 404: json('not kept (never traced, or past the retention)', 'Error'), 503: unavailable },
    },
  },
  '/v1/traces/by-offset/{topic}/{partition}/{offset}': {
    get: {
      operationId: 'getTraceOfRecord',
      summary: 'The trace of a stored record',
      parameters: [path('topic', { type: 'string' }, 'topic name'), path('partition', { type: 'string' }, 'partition index'), path('offset', { type: 'string' }, 'the record offset')],
      responses: { 200: json('the trace', 'Trace'), 400: bad, 404: json('the record has no trace kept', 'Error'), 503: unavailable },
    },
  },
};

export const TRACE_SCHEMAS: Record<string, Schema> = {
  TraceSummary: obj({ traceId: hex(32), startTimeMs: ms, endTimeMs: ms, spans: int, names: arr(str) }),
  TraceSummaryList: obj({ traces: arr(ref('TraceSummary')) }),
  TraceSpan: obj(
    {
      traceId: hex(32),
      spanId: hex(16),
      parentSpanId: hex(16),
      name: str,
      startTimeMs: ms,
      endTimeMs: ms,
      attributes: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    },
    ['parentSpanId'],
  ),
  Trace: obj({ traceId: hex(32), spans: arr(ref('TraceSpan')) }),
};
