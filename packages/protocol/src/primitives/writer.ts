// Writer: appends Kafka primitives into pooled Buffers and returns the message as a list of chunks.
// Large byte blobs (record batches) are appended BY REFERENCE, so a Fetch response carrying
// megabytes of records is never copied on its way to the socket.
import { ProtocolEncodeError } from '../protocol-encode-error';
import { writeUnsignedVarint, writeUnsignedVarlong, writeVarint, writeVarlong } from '@mq/records';

/** Blobs at least this long are referenced, not copied (below it a copy is cheaper than a chunk). */
const ZERO_COPY_MIN = 1024;

export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  /** Start of the region of `buf` not yet pushed to `chunks`. */
  private start = 0;
  private flushed = 0;

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + (this.pos - this.start);
  }

  private flushRegion(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.flushed += this.pos - this.start;
      this.start = this.pos;
    }
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      this.flushRegion();
      this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2, 256));
      this.pos = 0;
      this.start = 0;
    }
  }

  /** Reserve 4 bytes for an int32 patched later (the frame size prefix). */
  reserveInt32(): { buf: Buffer; offset: number } {
    this.ensure(4);
    const at = { buf: this.buf, offset: this.pos };
    this.pos += 4;
    return at;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
  }

  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
  }

  float64(v: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  uvarint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ProtocolEncodeError(`unsigned varint out of range: ${v}`);
    this.ensure(5);
    this.pos = writeUnsignedVarint(this.buf, this.pos, v);
  }

  uvarlong(v: bigint): void {
    this.ensure(10);
    this.pos = writeUnsignedVarlong(this.buf, this.pos, v);
  }

  /** Zigzag varint (record fields). */
  varint(v: number): void {
    this.ensure(5);
    this.pos = writeVarint(this.buf, this.pos, v);
  }

  /** Zigzag varlong (record fields). */
  varlong(v: bigint): void {
    this.ensure(10);
    this.pos = writeVarlong(this.buf, this.pos, v);
  }

  private utf8(s: string, len: number): void {
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  string(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    if (len > 0x7fff) throw new ProtocolEncodeError(`string of ${len} bytes exceeds int16 length`);
    this.int16(len);
    this.utf8(s, len);
  }

  nullableString(s: string | null): void {
    if (s === null) this.int16(-1);
    else this.string(s);
  }

  compactString(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.uvarint(len + 1);
    this.utf8(s, len);
  }

  compactNullableString(s: string | null): void {
    if (s === null) this.uvarint(0);
    else this.compactString(s);
  }

  /** Raw bytes with no length prefix; large buffers are referenced, not copied. */
  raw(b: Buffer): void {
    const len = b.length;
    if (len >= ZERO_COPY_MIN) {
      this.flushRegion();
      this.chunks.push(b);
      this.flushed += len;
      return;
    }
    this.ensure(len);
    b.copy(this.buf, this.pos);
    this.pos += len;
  }

  /** Chunks produced by another writer (a tagged field's value), appended in order. */
  rawChunks(chunks: readonly Buffer[]): void {
    for (const c of chunks) this.raw(c);
  }

  bytes(b: Buffer): void {
    this.int32(b.length);
    this.raw(b);
  }

  nullableBytes(b: Buffer | null): void {
    if (b === null) this.int32(-1);
    else this.bytes(b);
  }

  compactBytes(b: Buffer): void {
    this.uvarint(b.length + 1);
    this.raw(b);
  }

  compactNullableBytes(b: Buffer | null): void {
    if (b === null) this.uvarint(0);
    else this.compactBytes(b);
  }

  /** Record data given as one Buffer or a list of Buffers (e.g. file slices), length-prefixed once. */
  records(v: Buffer | readonly Buffer[] | null, compact: boolean): void {
    if (v === null) {
      if (compact) this.uvarint(0);
      else this.int32(-1);
      return;
    }
    if (Buffer.isBuffer(v)) {
      if (compact) this.compactBytes(v);
      else this.bytes(v);
      return;
    }
    let total = 0;
    for (const b of v) total += b.length;
    if (compact) this.uvarint(total + 1);
    else this.int32(total);
    for (const b of v) this.raw(b);
  }

  uuid(s: string): void {
    if (typeof s !== 'string' || s.length !== 22) throw new ProtocolEncodeError(`invalid uuid ${JSON.stringify(s)}: expected 22 chars of url-safe base64`);
    this.ensure(16);
    const n = this.buf.write(s, this.pos, 16, 'base64url');
    if (n !== 16) throw new ProtocolEncodeError(`invalid uuid ${JSON.stringify(s)}`);
    this.pos += 16;
  }

  arrayLength(n: number | null): void {
    this.int32(n === null ? -1 : n);
  }

  compactArrayLength(n: number | null): void {
    this.uvarint(n === null ? 0 : n + 1);
  }

  /** The message as chunks (most often one). The Writer must not be used afterwards. */
  finish(): Buffer[] {
    this.flushRegion();
    return this.chunks;
  }

  /** The message as one Buffer (concatenates only if there is more than one chunk). */
  finishBuffer(): Buffer {
    const chunks = this.finish();
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, this.flushed);
  }
}

