// The producer's input shape and the checks that turn its fields into what a batch writes, with
// the W3C `traceparent` header injected from the message's (or the active) trace context.
import { TRACEPARENT_HEADER, type TraceContext, formatTraceparent } from '@mq/trace';
import { InvalidArgumentError } from '../errors';
import type { FieldBytes, HeaderField } from './producer-batch';

export type Bytes = Buffer | Uint8Array | string;

export interface Message {
  key?: Bytes | null;
  value: Bytes | null;
  /** Header values may repeat a key when given as a list. */
  headers?: Record<string, Bytes | null> | ReadonlyArray<{ key: string; value: Bytes | null }>;
  /** Explicit partition; otherwise the partitioner picks one. */
  partition?: number;
  /** ms since epoch; default now. */
  timestamp?: bigint | number | Date;
  /**
   * Sent as the record's `traceparent` header (W3C Trace Context), unless the headers already
   * carry one. Default: the OpenTelemetry span active at send(), if any (ProducerOptions.propagateTrace).
   */
  traceContext?: TraceContext;
}

/** A key or value as the batch writes it: strings and byte arrays as given, no copy. */
export function fieldOf(b: Bytes | null | undefined): FieldBytes {
  if (b === null || b === undefined) return null;
  if (typeof b === 'string' || b instanceof Uint8Array) return b;
  throw new InvalidArgumentError(`key, value and header values must be a string, Buffer or Uint8Array (got ${typeof b})`);
}

/** The key bytes a partitioner hashes (murmur2 works on bytes, so a string key is encoded once). */
export function partitionKey(key: FieldBytes): Buffer | null {
  if (key === null) return null;
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/** ms since epoch as an integer number (exact for every real timestamp). */
export function timestampOf(t: bigint | number | Date): number {
  const ms = typeof t === 'bigint' ? Number(t) : t instanceof Date ? t.getTime() : t;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`bad timestamp ${String(t)}`);
  return Math.trunc(ms);
}

export function headersOf(h: NonNullable<Message['headers']>): HeaderField[] {
  const out: HeaderField[] = [];
  if (Array.isArray(h)) {
    for (const x of h as ReadonlyArray<{ key: string; value: Bytes | null }>) out.push({ key: x.key, value: fieldOf(x.value) });
  } else {
    for (const [key, value] of Object.entries(h as Record<string, Bytes | null>)) out.push({ key, value: fieldOf(value) });
  }
  return out;
}

/** The headers a record is written with: the message's, plus `traceparent` from its (or the caller's) context unless it has one. */
export function recordHeaders(m: Message, active: TraceContext | undefined): HeaderField[] | null {
  const headers = m.headers === undefined ? null : headersOf(m.headers);
  const trace = m.traceContext ?? active;
  // A traceparent the application wrote itself wins: it knows its own trace.
  if (trace === undefined || headers?.some((h) => h.key === TRACEPARENT_HEADER) === true) return headers;
  const traceparent: HeaderField = { key: TRACEPARENT_HEADER, value: formatTraceparent(trace) };
  if (headers === null) return [traceparent];
  headers.push(traceparent);
  return headers;
}
