// W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
// version-traceId-parentId-flags, lowercase hex. Parsing follows the spec's rules for unknown
// versions (the first four fields are read; version ff is invalid) and all-zero ids (invalid).

export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero: the span this context is a child of. */
  readonly spanId: string;
  /** The sampled flag (bit 0 of trace-flags). */
  readonly sampled: boolean;
}

export const TRACEPARENT_HEADER = 'traceparent';

const V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const FUTURE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The context a `traceparent` value carries, or undefined when it is not a valid one. */
export function parseTraceparent(value: string | Buffer | null | undefined): TraceContext | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.toString('latin1');
  if (text.length < 55 || text.length > 512) return undefined;
  let traceId: string;
  let spanId: string;
  let flags: string;
  const v0 = V00.exec(text);
  if (v0 !== null) {
    [, traceId, spanId, flags] = v0 as unknown as [string, string, string, string];
  } else {
    const f = FUTURE.exec(text);
    if (f === null || f[1] === '00' || f[1] === 'ff') return undefined;
    [, , traceId, spanId, flags] = f as unknown as [string, string, string, string, string];
  }
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}
