// Reader: bounds-checked cursor over a Buffer for every Kafka primitive. Every read checks the
// remaining length first, so malformed input surfaces only as ProtocolDecodeError.
import { ProtocolDecodeError } from '../protocol-decode-error';
import { type Cursor, readUnsignedVarint, readUnsignedVarlong, readVarint, readVarlong } from '@mq/records';

export class Reader {
  buf: Buffer;
  offset: number;
  /** Exclusive end of the readable region (narrowed while reading a tagged field). */
  end: number;
  private readonly cursor: Cursor;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
    this.cursor = { buf, pos: offset, end };
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  need(n: number): void {
    if (n > this.end - this.offset) {
      throw new ProtocolDecodeError(`truncated: need ${n} bytes at offset ${this.offset}, have ${this.end - this.offset}`);
    }
  }

  skip(n: number): void {
    this.need(n);
    this.offset += n;
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.offset++] !== 0;
  }

  int8(): number {
    this.need(1);
    const v = this.buf[this.offset++]!;
    return (v << 24) >> 24;
  }

  int16(): number {
    this.need(2);
    const b = this.buf;
    const o = this.offset;
    this.offset = o + 2;
    return ((b[o]! << 24) | (b[o + 1]! << 16)) >> 16;
  }

  uint16(): number {
    this.need(2);
    const b = this.buf;
    const o = this.offset;
    this.offset = o + 2;
    return (b[o]! << 8) | b[o + 1]!;
  }

  int32(): number {
    this.need(4);
    const b = this.buf;
    const o = this.offset;
    this.offset = o + 4;
    return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  }

  uint32(): number {
    return this.int32() >>> 0;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  /** Unsigned varint (compact lengths, tags), at most 5 bytes and 32 bits. */
  uvarint(): number {
    const c = this.cursorAt();
    try {
      const v = readUnsignedVarint(c);
      this.offset = c.pos;
      return v;
    } catch (err) {
      throw this.varintError(err);
    }
  }

  /** Unsigned varlong, at most 10 bytes. */
  uvarlong(): bigint {
    const c = this.cursorAt();
    try {
      const v = readUnsignedVarlong(c);
      this.offset = c.pos;
      return v;
    } catch (err) {
      throw this.varintError(err);
    }
  }

  /** Zigzag varint (record fields). */
  varint(): number {
    const c = this.cursorAt();
    try {
      const v = readVarint(c);
      this.offset = c.pos;
      return v;
    } catch (err) {
      throw this.varintError(err);
    }
  }

  /** Zigzag varlong (record fields). */
  varlong(): bigint {
    const c = this.cursorAt();
    try {
      const v = readVarlong(c);
      this.offset = c.pos;
      return v;
    } catch (err) {
      throw this.varintError(err);
    }
  }

  /** The one reused cursor @mq/records' varint readers advance (no object per read). */
  private cursorAt(): Cursor {
    const c = this.cursor;
    c.buf = this.buf;
    c.pos = this.offset;
    c.end = this.end;
    return c;
  }

  /** Malformed input surfaces only as ProtocolDecodeError, whoever parsed it. */
  private varintError(err: unknown): ProtocolDecodeError {
    const what = err instanceof Error ? err.message : String(err);
    return new ProtocolDecodeError(`${what} at offset ${this.offset}`, { cause: err });
  }

  private utf8(len: number): string {
    this.need(len);
    const o = this.offset;
    this.offset = o + len;
    return this.buf.toString('utf8', o, o + len);
  }

  string(): string {
    const len = this.int16();
    if (len < 0) throw new ProtocolDecodeError(`null string in a non-nullable field at offset ${this.offset - 2}`);
    return this.utf8(len);
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) {
      if (len === -1) return null;
      throw new ProtocolDecodeError(`invalid string length ${len}`);
    }
    return this.utf8(len);
  }

  compactString(): string {
    const n = this.uvarint();
    if (n === 0) throw new ProtocolDecodeError(`null compact string in a non-nullable field at offset ${this.offset - 1}`);
    return this.utf8(n - 1);
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }

  private slice(len: number): Buffer {
    this.need(len);
    const o = this.offset;
    this.offset = o + len;
    return this.buf.subarray(o, o + len);
  }

  /** Bytes as a slice of the input (no copy). */
  bytes(): Buffer {
    const len = this.int32();
    if (len < 0) throw new ProtocolDecodeError(`null bytes in a non-nullable field`);
    return this.slice(len);
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) {
      if (len === -1) return null;
      throw new ProtocolDecodeError(`invalid bytes length ${len}`);
    }
    return this.slice(len);
  }

  compactBytes(): Buffer {
    const n = this.uvarint();
    if (n === 0) throw new ProtocolDecodeError(`null compact bytes in a non-nullable field`);
    return this.slice(n - 1);
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.slice(n - 1);
  }

  /** A Kafka Uuid as its canonical string: 22 chars of url-safe base64, no padding. */
  uuid(): string {
    this.need(16);
    const o = this.offset;
    this.offset = o + 16;
    return this.buf.toString('base64url', o, o + 16);
  }

  /** Array length: -1 for null, else a count that is checked against the bytes left. */
  arrayLength(): number {
    const n = this.int32();
    if (n < -1) throw new ProtocolDecodeError(`invalid array length ${n}`);
    if (n > this.end - this.offset) throw new ProtocolDecodeError(`array length ${n} exceeds remaining ${this.end - this.offset} bytes`);
    return n;
  }

  compactArrayLength(): number {
    const n = this.uvarint() - 1;
    if (n > this.end - this.offset) throw new ProtocolDecodeError(`array length ${n} exceeds remaining ${this.end - this.offset} bytes`);
    return n;
  }
}
