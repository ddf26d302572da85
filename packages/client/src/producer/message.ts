// The producer's input shape and its normalisation into the record the accumulator batches.
import { InvalidArgumentError } from '../errors';
import type { ProducerRecord, RecordHeader } from './record-accumulator';

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
}

export function toBuffer(b: Bytes | null | undefined): Buffer | null {
  if (b === null || b === undefined) return null;
  if (typeof b === 'string') return Buffer.from(b, 'utf8');
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export function toTimestamp(t: Message['timestamp'], now: () => number): bigint {
  if (t === undefined) return BigInt(Math.trunc(now()));
  if (typeof t === 'bigint') return t;
  if (t instanceof Date) return BigInt(t.getTime());
  if (!Number.isFinite(t)) throw new InvalidArgumentError(`bad timestamp ${t}`);
  return BigInt(Math.trunc(t));
}

export function normaliseMessage(m: Message, now: () => number): ProducerRecord {
  const headers: RecordHeader[] = [];
  if (Array.isArray(m.headers)) {
    for (const h of m.headers as ReadonlyArray<{ key: string; value: Bytes | null }>) headers.push({ key: h.key, value: toBuffer(h.value) });
  } else if (m.headers) {
    for (const [key, value] of Object.entries(m.headers as Record<string, Bytes | null>)) headers.push({ key, value: toBuffer(value) });
  }
  return { key: toBuffer(m.key), value: toBuffer(m.value), headers, timestamp: toTimestamp(m.timestamp, now) };
}
