// Fetched records decoded lazily: one walk over a batch's records finds where each starts and its
// offset/timestamp deltas (plain numbers); key, value and headers are views cut from the fetched (or
// decompressed) buffer only when a caller touches them, then kept.
import { TRACEPARENT_HEADER, type TraceContext, parseTraceparent } from '@mq/trace';
import { CorruptMessageError } from '@mq/protocol';
import { type Cursor, readVarint, readVarlong } from '@mq/records';
import type { ConsumerRecord } from './consumer-record';

/** What every record of one batch shares. */
export interface BatchView {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: bigint;
  readonly baseTimestamp: bigint;
  /** Set under LogAppendTime: every record reads as the batch's maxTimestamp. */
  readonly logAppendTime: bigint | null;
  /** The records section (decompressed when the batch was compressed). */
  readonly body: Buffer;
}

type Header = { readonly key: string; readonly value: Buffer | null };

// One cursor for the synchronous field reads (no object per read).
const cursor: Cursor = { buf: Buffer.alloc(0), pos: 0, end: 0 };

function at(buf: Buffer, pos: number, end: number): Cursor {
  cursor.buf = buf;
  cursor.pos = pos;
  cursor.end = end;
  return cursor;
}

function readBytes(c: Cursor, what: string): Buffer | null {
  const len = readVarint(c);
  if (len === -1) return null;
  if (len < 0 || c.pos + len > c.end) throw new CorruptMessageError(`record ${what} has invalid length ${len}`);
  const out = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return out;
}

function skipBytes(c: Cursor): void {
  const len = readVarint(c);
  if (len > 0) c.pos += len;
}

export class LazyRecord implements ConsumerRecord {
  private k: Buffer | null | undefined = undefined;
  private v: Buffer | null | undefined = undefined;
  private h: Header[] | undefined = undefined;

  constructor(
    private readonly batch: BatchView,
    /** Position of the key's length in batch.body. */
    private readonly fields: number,
    /** End of this record in batch.body. */
    private readonly end: number,
    private readonly offsetDelta: number,
    private readonly timestampDelta: number,
  ) {}

  get topic(): string {
    return this.batch.topic;
  }

  get partition(): number {
    return this.batch.partition;
  }

  get offset(): bigint {
    return this.batch.baseOffset + BigInt(this.offsetDelta);
  }

  get timestamp(): bigint {
    return this.batch.logAppendTime ?? this.batch.baseTimestamp + BigInt(this.timestampDelta);
  }

  get key(): Buffer | null {
    if (this.k === undefined) this.k = readBytes(at(this.batch.body, this.fields, this.end), 'key');
    return this.k;
  }

  get value(): Buffer | null {
    if (this.v === undefined) {
      const c = at(this.batch.body, this.fields, this.end);
      skipBytes(c);
      this.v = readBytes(c, 'value');
    }
    return this.v;
  }

  get headers(): ReadonlyArray<Header> {
    if (this.h === undefined) {
      const c = at(this.batch.body, this.fields, this.end);
      skipBytes(c);
      skipBytes(c);
      const n = readVarint(c);
      if (n < 0 || n > c.end - c.pos) throw new CorruptMessageError(`record has invalid header count ${n}`);
      const headers: Header[] = [];
      for (let i = 0; i < n; i++) {
        const key = readBytes(c, 'header key');
        if (key === null) throw new CorruptMessageError('record header key is null');
        headers.push({ key: key.toString('utf8'), value: readBytes(c, 'header value') });
      }
      this.h = headers;
    }
    return this.h;
  }

  /** The producer's context from a valid `traceparent` header (decoded on first read, like headers). */
  get traceContext(): TraceContext | undefined {
    const h = this.headers;
    return h.length === 0 ? undefined : parseTraceparent(h.find((x) => x.key === TRACEPARENT_HEADER)?.value);
  }

  /** console.log / util.inspect show the fields, not an empty object of getters. */
  [Symbol.for('nodejs.util.inspect.custom')](): object {
    const { topic, partition, offset, timestamp, key, value, headers } = this;
    return { topic, partition, offset, timestamp, key, value, headers };
  }
}

/**
 * Walks the records of one batch (recordsCount of them, filling `view.body` exactly), appending
 * those at or after `fetchOffset` to `out`. Reads only lengths and deltas; throws CorruptMessageError
 * on records that run past their bounds.
 */
export function collectRecords(view: BatchView, recordsCount: number, fetchOffset: bigint, out: ConsumerRecord[]): void {
  const body = view.body;
  const c: Cursor = { buf: body, pos: 0, end: body.length };
  // Below this delta a record precedes the fetch position (a compressed batch starting earlier).
  const skipBelow = fetchOffset > view.baseOffset ? Number(fetchOffset - view.baseOffset) : 0;
  if (recordsCount > body.length) throw new CorruptMessageError(`record count ${recordsCount} cannot fit in ${body.length} bytes`);
  for (let i = 0; i < recordsCount; i++) {
    const length = readVarint(c);
    const end = c.pos + length;
    if (length <= 0 || end > body.length) throw new CorruptMessageError(`record length ${length} runs past the end of the batch`);
    c.end = end;
    c.pos++; // attributes
    const tsDelta = readDelta(c);
    const offsetDelta = readVarint(c);
    if (offsetDelta >= skipBelow) out.push(new LazyRecord(view, c.pos, end, offsetDelta, tsDelta));
    c.pos = end;
    c.end = body.length;
  }
  if (c.pos !== body.length) throw new CorruptMessageError(`${body.length - c.pos} bytes left over after ${recordsCount} records`);
}

/**
 * A record's timestamp delta (a zigzag varlong) as a number, without the bigint readVarlong makes:
 * deltas are milliseconds within one batch, so up to 4 bytes (±2^27) is the only path taken in
 * practice; longer ones go through readVarlong.
 */
function readDelta(c: Cursor): number {
  const start = c.pos;
  let small = 0;
  for (let shift = 0; shift < 28 && c.pos < c.end; shift += 7) {
    const b = c.buf[c.pos++]!;
    small |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return (small >>> 1) ^ -(small & 1);
  }
  c.pos = start;
  return Number(readVarlong(c));
}
