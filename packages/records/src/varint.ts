// Zigzag varint/varlong encoding used inside RecordBatch v2 records (never the protocol's unsigned
// compact lengths). Readers throw CorruptRecordError on truncated or over-long input.
import { CorruptRecordError } from './errors';

/** A cursor over a buffer; `pos` advances as values are read. */
export interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
}

export function zigzag32(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

export function varintSize(v: number): number {
  let u = zigzag32(v);
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

export function writeVarint(buf: Buffer, pos: number, v: number): number {
  let u = zigzag32(v);
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

const MASK64 = (1n << 64n) - 1n;

function zigzag64(v: bigint): bigint {
  return ((v << 1n) ^ (v >> 63n)) & MASK64;
}

export function varlongSize(v: bigint): number {
  let u = zigzag64(v);
  let n = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    n++;
  }
  return n;
}

export function writeVarlong(buf: Buffer, pos: number, v: bigint): number {
  if (v >= -0x40000000n && v < 0x40000000n) return writeVarint(buf, pos, Number(v));
  let u = zigzag64(v);
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

export function readVarint(c: Cursor): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (c.pos >= c.end) throw new CorruptRecordError('truncated varint in record');
    const b = c.buf[c.pos++]!;
    if (shift === 28) {
      if (b > 0x0f) throw new CorruptRecordError('varint longer than 32 bits in record');
      result |= b << 28;
      break;
    }
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  result >>>= 0;
  return (result >>> 1) ^ -(result & 1);
}

export function readVarlong(c: Cursor): bigint {
  // Fast path: values that fit in 4 bytes (28 bits) are decoded with numbers.
  let small = 0;
  let shift = 0;
  const start = c.pos;
  for (; shift < 28; shift += 7) {
    if (c.pos >= c.end) throw new CorruptRecordError('truncated varlong in record');
    const b = c.buf[c.pos++]!;
    small |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return BigInt((small >>> 1) ^ -(small & 1));
  }
  c.pos = start;
  let u = 0n;
  let s = 0n;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) throw new CorruptRecordError('truncated varlong in record');
    const b = c.buf[c.pos++]!;
    u |= BigInt(b & 0x7f) << s;
    if ((b & 0x80) === 0) {
      u &= MASK64;
      return (u >> 1n) ^ -(u & 1n);
    }
    s += 7n;
  }
  throw new CorruptRecordError('varlong longer than 64 bits in record');
}
