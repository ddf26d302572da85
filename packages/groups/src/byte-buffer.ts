// Minimal big-endian reader/writer for the non-flexible Kafka encodings groups owns: the consumer
// protocol's subscription/assignment bytes and the __consumer_offsets record keys and values.
import { GroupsError } from './errors';

export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 64) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
    return this;
  }
  int64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
    return this;
  }
  /** int16 length + UTF-8; null as length -1. */
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v);
    this.int16(len);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos);
    return this;
  }
  /** int32 length + bytes; null as length -1. */
  bytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }
  array<T>(items: readonly T[], each: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(item);
    return this;
  }
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

export class ByteReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new GroupsError('CORRUPT_ENCODING', `truncated ${what} at byte ${this.pos}`);
    }
  }
  int8(): number {
    this.need(1, 'int8');
    const v = this.buf.readInt8(this.pos);
    this.pos += 1;
    return v;
  }
  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len, 'string');
    const v = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
  string(): string {
    const v = this.nullableString();
    if (v === null) throw new GroupsError('CORRUPT_ENCODING', `null string at byte ${this.pos}`);
    return v;
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    this.need(len, 'bytes');
    const v = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return v;
  }
  array<T>(each: () => T): T[] {
    const n = this.int32();
    if (n < 0) return [];
    if (n > this.remaining) throw new GroupsError('CORRUPT_ENCODING', `array length ${n} exceeds remaining bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = each();
    return out;
  }
}
