// The repo's one varint implementation: golden bytes for the unsigned (protocol) and zigzag (record)
// forms, sizes that match the bytes written, round trips at the edges, and the typed errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cursor,
  readUnsignedVarint,
  readUnsignedVarlong,
  readVarint,
  readVarlong,
  unsignedVarintSize,
  unsignedVarlongSize,
  varintSize,
  varlongSize,
  writeUnsignedVarint,
  writeUnsignedVarlong,
  writeVarint,
  writeVarlong,
  zigzagDecode32,
  zigzagDecode64,
  zigzagEncode32,
  zigzagEncode64,
} from '../src/index';
import { CorruptMessageError } from '@mq/errors';

function cursor(hex: string): Cursor {
  const buf = Buffer.from(hex, 'hex');
  return { buf, pos: 0, end: buf.length };
}

function written(write: (buf: Buffer, pos: number) => number): string {
  const buf = Buffer.alloc(16);
  return buf.subarray(0, write(buf, 0)).toString('hex');
}

describe('unsigned varint (compact lengths, tags)', () => {
  const golden: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [2 ** 31 - 1, 'ffffffff07'],
    [2 ** 31, '8080808008'],
    [0xffffffff, 'ffffffff0f'],
  ];
  it.each(golden)('%d is %s', (v, hex) => {
    expect(written((b, p) => writeUnsignedVarint(b, p, v))).toBe(hex);
    expect(unsignedVarintSize(v)).toBe(hex.length / 2);
    const c = cursor(`${hex}ee`);
    expect(readUnsignedVarint(c)).toBe(v);
    expect(c.pos).toBe(hex.length / 2);
  });

  it('rejects truncated, over-32-bit and over-long input with CorruptMessageError', () => {
    expect(() => readUnsignedVarint(cursor('80'))).toThrow(CorruptMessageError);
    expect(() => readUnsignedVarint(cursor(''))).toThrow(CorruptMessageError);
    expect(() => readUnsignedVarint(cursor('ffffffff1f'))).toThrow(CorruptMessageError);
    expect(() => readUnsignedVarint(cursor('ffffffffff01'))).toThrow(CorruptMessageError);
    // `end` bounds the read, not the buffer: a value that continues past it is truncated.
    expect(() => readUnsignedVarint({ buf: Buffer.from('8001', 'hex'), pos: 0, end: 1 })).toThrow(CorruptMessageError);
  });
});

describe('unsigned varlong', () => {
  const golden: [bigint, string][] = [
    [0n, '00'],
    [300n, 'ac02'],
    [0xffffffffn, 'ffffffff0f'],
    [0x100000000n, '8080808010'],
    [2n ** 63n - 1n, 'ffffffffffffffff7f'],
    [2n ** 64n - 1n, 'ffffffffffffffffff01'],
  ];
  it.each(golden)('%s is %s', (v, hex) => {
    expect(written((b, p) => writeUnsignedVarlong(b, p, v))).toBe(hex);
    expect(unsignedVarlongSize(v)).toBe(hex.length / 2);
    expect(readUnsignedVarlong(cursor(hex))).toBe(v);
  });

  it('rejects truncated and over-long input', () => {
    expect(() => readUnsignedVarlong(cursor('ffffffff'))).toThrow(CorruptMessageError);
    expect(() => readUnsignedVarlong(cursor('ffffffffffffffffffff01'))).toThrow(CorruptMessageError);
  });
});

describe('zigzag varint and varlong (record fields)', () => {
  const golden32: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [64, '8001'],
    [2 ** 31 - 1, 'feffffff0f'],
    [-(2 ** 31), 'ffffffff0f'],
  ];
  it.each(golden32)('varint %d is %s', (v, hex) => {
    expect(written((b, p) => writeVarint(b, p, v))).toBe(hex);
    expect(varintSize(v)).toBe(hex.length / 2);
    expect(readVarint(cursor(hex))).toBe(v);
  });

  const golden64: [bigint, string][] = [
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [2n ** 30n - 1n, 'feffffff07'],
    [2n ** 30n, '8080808008'],
    [-(2n ** 30n) - 1n, '8180808008'],
    [1_700_000_000_000n, '80a0abfef962'],
    [2n ** 63n - 1n, 'feffffffffffffffff01'],
    [-(2n ** 63n), 'ffffffffffffffffff01'],
  ];
  it.each(golden64)('varlong %s is %s', (v, hex) => {
    expect(written((b, p) => writeVarlong(b, p, v))).toBe(hex);
    expect(varlongSize(v)).toBe(hex.length / 2);
    expect(readVarlong(cursor(hex))).toBe(v);
  });

  it('zigzag maps signed to unsigned as Kafka does', () => {
    expect([0, -1, 1, -2, 2147483647, -2147483648].map(zigzagEncode32)).toEqual([0, 1, 2, 3, 4294967294, 4294967295]);
    expect([0n, -1n, 1n, -(2n ** 63n)].map(zigzagEncode64)).toEqual([0n, 1n, 2n, 2n ** 64n - 1n]);
  });

  it('round-trips every int32 and int64 through bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const buf = Buffer.alloc(5);
        const end = writeVarint(buf, 0, v);
        const c = { buf, pos: 0, end };
        return zigzagDecode32(zigzagEncode32(v)) === v && end === varintSize(v) && readVarint(c) === v && c.pos === end;
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const buf = Buffer.alloc(10);
        const end = writeVarlong(buf, 0, v);
        const c = { buf, pos: 0, end };
        return zigzagDecode64(zigzagEncode64(v)) === v && end === varlongSize(v) && readVarlong(c) === v && c.pos === end;
      }),
    );
  });
});
