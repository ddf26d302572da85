// Reader/Writer primitives: round-trips at the edges of every type, varint encodings, uuid form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ProtocolDecodeError,
  ProtocolEncodeError,
  Reader,
  Writer,
} from '../src/index';
import { unsignedVarintSize, zigzagDecode32, zigzagDecode64, zigzagEncode32, zigzagEncode64 } from '@mq/records';

function roundTrip<T>(write: (w: Writer, v: T) => void, read: (r: Reader) => T, v: T): { bytes: Buffer; out: T } {
  const w = new Writer(8);
  write(w, v);
  const bytes = w.finishBuffer();
  const r = new Reader(bytes);
  const out = read(r);
  expect(r.remaining).toBe(0);
  return { bytes, out };
}

describe('primitives', () => {
  it('fixed-width integers at their limits', () => {
    for (const v of [-128, 0, 127]) expect(roundTrip((w, x) => w.int8(x), (r) => r.int8(), v).out).toBe(v);
    for (const v of [-32768, -1, 32767]) expect(roundTrip((w, x) => w.int16(x), (r) => r.int16(), v).out).toBe(v);
    for (const v of [0, 65535]) expect(roundTrip((w, x) => w.uint16(x), (r) => r.uint16(), v).out).toBe(v);
    for (const v of [-(2 ** 31), -1, 2 ** 31 - 1]) expect(roundTrip((w, x) => w.int32(x), (r) => r.int32(), v).out).toBe(v);
    for (const v of [0, 2 ** 32 - 1]) expect(roundTrip((w, x) => w.uint32(x), (r) => r.uint32(), v).out).toBe(v);
    for (const v of [-(2n ** 63n), -1n, 2n ** 63n - 1n]) expect(roundTrip((w, x) => w.int64(x), (r) => r.int64(), v).out).toBe(v);
    expect(roundTrip((w, x) => w.float64(x), (r) => r.float64(), Math.PI).out).toBe(Math.PI);
    expect(roundTrip((w, x) => w.bool(x), (r) => r.bool(), true).out).toBe(true);
  });

  it('unsigned varints: known encodings and sizes', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [2 ** 32 - 1, 'ffffffff0f'],
    ];
    for (const [v, h] of cases) {
      const { bytes, out } = roundTrip((w, x) => w.uvarint(x), (r) => r.uvarint(), v);
      expect(bytes.toString('hex')).toBe(h);
      expect(out).toBe(v);
      expect(unsignedVarintSize(v)).toBe(h.length / 2);
    }
    expect(() => new Reader(Buffer.from('ffffffff1f', 'hex')).uvarint()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('ffffffffff01', 'hex')).uvarint()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('80', 'hex')).uvarint()).toThrow(ProtocolDecodeError);
    expect(() => new Writer().uvarint(-1)).toThrow(ProtocolEncodeError);
  });

  it('zigzag varints and varlongs (record fields)', () => {
    expect([0, -1, 1, -2, 2147483647, -2147483648].map(zigzagEncode32)).toEqual([0, 1, 2, 3, 4294967294, 4294967295]);
    fc.assert(fc.property(fc.integer(), (v) => zigzagDecode32(zigzagEncode32(v)) === v));
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => zigzagDecode64(zigzagEncode64(v)) === v));
    fc.assert(
      fc.property(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a, b) => {
        const w = new Writer(4);
        w.varint(a);
        w.varlong(b);
        const r = new Reader(w.finishBuffer());
        return r.varint() === a && r.varlong() === b && r.remaining === 0;
      }),
    );
    // -1 as a zigzag varint is 0x01
    const w = new Writer();
    w.varint(-1);
    expect(w.finishBuffer().toString('hex')).toBe('01');
  });

  it('strings: classic, nullable and compact, with multi-byte UTF-8', () => {
    const s = 'héllo ✓ 😀';
    expect(roundTrip((w, x) => w.string(x), (r) => r.string(), s).out).toBe(s);
    expect(roundTrip((w, x) => w.compactString(x), (r) => r.compactString(), s).out).toBe(s);
    expect(roundTrip<string | null>((w, x) => w.nullableString(x), (r) => r.nullableString(), null).bytes.toString('hex')).toBe('ffff');
    expect(roundTrip<string | null>((w, x) => w.compactNullableString(x), (r) => r.compactNullableString(), null).bytes.toString('hex')).toBe('00');
    expect(() => new Reader(Buffer.from('ffff', 'hex')).string()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('00', 'hex')).compactString()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('0005 6162', 'hex')).string()).toThrow(ProtocolDecodeError);
  });

  it('bytes decode as views, and large blobs are appended by reference', () => {
    const big = Buffer.alloc(4096, 9);
    const w = new Writer(16);
    w.int8(1);
    w.bytes(big);
    w.int8(2);
    const chunks = w.finish();
    expect(chunks).toContain(big);
    const whole = Buffer.concat(chunks);
    const r = new Reader(whole);
    expect(r.int8()).toBe(1);
    const got = r.bytes();
    expect(got.equals(big)).toBe(true);
    expect(got.buffer).toBe(whole.buffer);
    expect(r.int8()).toBe(2);
  });

  it('records accept a list of buffers with one length prefix', () => {
    const parts = [Buffer.alloc(2000, 1), Buffer.from('ab'), Buffer.alloc(1500, 2)];
    const w = new Writer();
    w.records(parts, true);
    const chunks = w.finish();
    expect(chunks).toContain(parts[0]);
    expect(chunks).toContain(parts[2]);
    const r = new Reader(Buffer.concat(chunks));
    expect(r.compactNullableBytes()!.equals(Buffer.concat(parts))).toBe(true);
  });

  it('uuid is 22 chars of url-safe base64 (Kafka Uuid.toString)', () => {
    const raw = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const s = new Reader(raw).uuid();
    expect(s).toBe(raw.toString('base64url'));
    expect(s).toHaveLength(22);
    expect(roundTrip((w, x) => w.uuid(x), (r) => r.uuid(), s).bytes.equals(raw)).toBe(true);
    expect(() => new Writer().uuid('not-a-uuid')).toThrow(ProtocolEncodeError);
    expect(() => new Writer().uuid('!!!!!!!!!!!!!!!!!!!!!!')).toThrow(ProtocolEncodeError);
  });

  it('array lengths larger than the remaining bytes are rejected before allocating', () => {
    expect(() => new Reader(Buffer.from('7fffffff00', 'hex')).arrayLength()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('fffffffe', 'hex')).arrayLength()).toThrow(ProtocolDecodeError);
    expect(new Reader(Buffer.from('ffffffff', 'hex')).arrayLength()).toBe(-1);
    expect(new Reader(Buffer.from('00', 'hex')).compactArrayLength()).toBe(-1);
  });
});
