// The repo's one varint implementation. Two forms that must never be mixed: UNSIGNED (the protocol's
// compact lengths and tagged-field headers) and ZIGZAG (signed; every RecordBatch record field).
// Readers throw CorruptMessageError on truncated or over-long input; the protocol rethrows its own.
import { CorruptMessageError } from '@mq/errors';

/** A cursor over a buffer; `pos` advances as values are read, `end` is exclusive. */
export interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
}

const MASK64 = (1n << 64n) - 1n;

/** Zigzag-encode a signed 32-bit int into the unsigned value a record varint carries. */
export function zigzagEncode32(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

export function zigzagDecode32(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

export function zigzagEncode64(v: bigint): bigint {
  return ((v << 1n) ^ (v >> 63n)) & MASK64;
}

export function zigzagDecode64(u: bigint): bigint {
  return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
}

/** Bytes an unsigned 32-bit varint takes. */
export function unsignedVarintSize(u: number): number {
  let v = u >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Bytes a zigzag varint (record field) takes. */
export function varintSize(v: number): number {
  return unsignedVarintSize(zigzagEncode32(v));
}

/** Bytes an unsigned 64-bit varlong takes. */
export function unsignedVarlongSize(u: bigint): number {
  let v = u & MASK64;
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Bytes a zigzag varlong (record field) takes. */
export function varlongSize(v: bigint): number {
  if (v >= -0x40000000n && v < 0x40000000n) return varintSize(Number(v));
  return unsignedVarlongSize(zigzagEncode64(v));
}

/** Writes an unsigned 32-bit varint at `pos` (the caller sized `buf`); returns the next position. */
export function writeUnsignedVarint(buf: Buffer, pos: number, u: number): number {
  let v = u >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarint(buf: Buffer, pos: number, v: number): number {
  return writeUnsignedVarint(buf, pos, zigzagEncode32(v));
}

/** Writes an unsigned 64-bit varlong (taken mod 2^64); returns the next position. */
export function writeUnsignedVarlong(buf: Buffer, pos: number, u: bigint): number {
  let v = u & MASK64;
  // Below 2^32 the number loop is several times faster than bigint shifts.
  if (v <= 0xffffffffn) return writeUnsignedVarint(buf, pos, Number(v));
  while (v >= 0x80n) {
    buf[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[pos++] = Number(v);
  return pos;
}

export function writeVarlong(buf: Buffer, pos: number, v: bigint): number {
  // Most record fields (timestamp and offset deltas) fit an int32: zigzag them as numbers.
  if (v >= -0x40000000n && v < 0x40000000n) return writeVarint(buf, pos, Number(v));
  return writeUnsignedVarlong(buf, pos, zigzagEncode64(v));
}

/** Unsigned varint of at most 5 bytes and 32 bits. */
export function readUnsignedVarint(c: Cursor): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (c.pos >= c.end) throw new CorruptMessageError('truncated varint');
    const b = c.buf[c.pos++]!;
    if (shift === 28) {
      if (b > 0x0f) throw new CorruptMessageError('varint longer than 32 bits');
      result |= b << 28;
      break;
    }
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return result >>> 0;
}

export function readVarint(c: Cursor): number {
  return zigzagDecode32(readUnsignedVarint(c));
}

/** Unsigned varlong of at most 10 bytes, taken mod 2^64. */
export function readUnsignedVarlong(c: Cursor): bigint {
  // Fast path: values that fit in 4 bytes (28 bits) are decoded with numbers.
  let small = 0;
  const start = c.pos;
  for (let shift = 0; shift < 28; shift += 7) {
    if (c.pos >= c.end) throw new CorruptMessageError('truncated varlong');
    const b = c.buf[c.pos++]!;
    small |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return BigInt(small);
  }
  c.pos = start;
  let u = 0n;
  let s = 0n;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) throw new CorruptMessageError('truncated varlong');
    const b = c.buf[c.pos++]!;
    u |= BigInt(b & 0x7f) << s;
    if ((b & 0x80) === 0) return u & MASK64;
    s += 7n;
  }
  throw new CorruptMessageError('varlong longer than 64 bits');
}

export function readVarlong(c: Cursor): bigint {
  // Same fast path as readUnsignedVarlong, without a second bigint for the zigzag step.
  let small = 0;
  const start = c.pos;
  for (let shift = 0; shift < 28; shift += 7) {
    if (c.pos >= c.end) throw new CorruptMessageError('truncated varlong');
    const b = c.buf[c.pos++]!;
    small |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return BigInt((small >>> 1) ^ -(small & 1));
  }
  c.pos = start;
  return zigzagDecode64(readUnsignedVarlong(c));
}
