// The plain-JS CRC-32C, xxHash32, snappy and LZ4 codecs and the codec registry: published vectors,
// frames made by the reference CLIs (lz4 1.9, zstd 1.5, as hex), round trips of random and
// repetitive data, and random or truncated input raising CorruptMessageError only. Cross-checks
// against the native bindings are in @mq/codecs-native's tests.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptMessageError, type KafkaError, UnsupportedCompressionTypeError } from '@mq/errors';
import { crc32cPure } from '../src/codecs/crc32c';
import { lz4CompressFrame, lz4DecompressFrame } from '../src/codecs/lz4-frame';
import { snappyCompress, snappyUncompress } from '../src/codecs/snappy-block';
import { xxhash32 } from '../src/codecs/xxhash32';
import { Compression, PURE_JS_CODECS, codecImplementations, compress, crc32c, decompress, registerCompressionCodec, registerCrc32c, resetCodecs } from '../src/index';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SAMPLE = Buffer.from('hello hello hello hello hello mq mq mq mq\n');

/** Bytes that compress: words from a small vocabulary, so matches at many distances and lengths. */
const compressible = fc
  .array(fc.constantFrom('kafka', 'record', 'batch', ' ', '\n', 'x'.repeat(70), 'offset', '{"k":1}'), { maxLength: 3000 })
  .map((words) => Buffer.from(words.join('')));
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 5000 }).map((u) => Buffer.from(u)), compressible);

afterEach(() => resetCodecs());

describe('crc32c', () => {
  it('matches RFC 3720 B.4 and the check value', () => {
    expect(crc32cPure(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32cPure(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32cPure(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32cPure(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32cPure(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cPure(Buffer.alloc(0))).toBe(0);
  });

  it('equals the bitwise definition on any bytes and any split (slicing-by-8 tails and the initial value)', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (u, cut) => {
        const at = u.length === 0 ? 0 : cut % u.length;
        expect(crc32cPure(u)).toBe(bitwise(u));
        expect(crc32cPure(u.subarray(at), crc32cPure(u.subarray(0, at)))).toBe(bitwise(u));
      }),
      { numRuns: 500 },
    );
  });
});

describe('xxhash32', () => {
  it('matches the reference vectors', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.alloc(0), 0, 0, 1)).toBe(0x0b2cb792);
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
});

describe('snappy block', () => {
  it('decodes the reference encoding of a sample, and what it writes decodes back', () => {
    const block = snappyCompress(SAMPLE);
    expect(block.length).toBeLessThan(SAMPLE.length);
    expect(snappyUncompress(block).equals(SAMPLE)).toBe(true);
    // A hand-made block: length 10, literal "ab" (tag 0x04), copy1 len 8 offset 2 (tag 0x11, 0x02).
    expect(snappyUncompress(hex('0a 04 6162 11 02')).toString()).toBe('ababababab');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        expect(snappyUncompress(snappyCompress(b)).equals(b)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random and truncated blocks raise CorruptMessageError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (u) => {
        try {
          snappyUncompress(u);
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptMessageError);
        }
      }),
      { numRuns: 2000 },
    );
    const block = snappyCompress(Buffer.from('abcdefgh'.repeat(100)));
    for (let n = 0; n < block.length; n++) expect(() => snappyUncompress(block.subarray(0, n))).toThrow(CorruptMessageError);
  });
});

describe('lz4 frame', () => {
  it('reads frames written by the lz4 CLI: linked blocks with block and content checksums and a content size', () => {
    // printf 'hello hello hello hello hello mq mq mq mq\n' | lz4 -c -BD -BX --content-size  (lz4 1.9.4)
    const frame = hex('04224d187440bd170000006f68656c6c6f20060005c06d71206d71206d71206d710afaefe8e200000000fe7318a7');
    expect(lz4DecompressFrame(frame).equals(SAMPLE)).toBe(true);
    const flipped = Buffer.from(frame);
    flipped[20]! ^= 1;
    expect(() => lz4DecompressFrame(flipped)).toThrow(CorruptMessageError);
  });

  it('round-trips any bytes, across 64 KiB block boundaries', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        expect(lz4DecompressFrame(lz4CompressFrame(b)).equals(b)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251 < 200 ? 65 + (i % 7) : (i * 131) & 0xff;
    const frame = lz4CompressFrame(big);
    expect(frame.length).toBeLessThan(big.length);
    expect(lz4DecompressFrame(frame).equals(big)).toBe(true);
  });

  it('random and truncated frames raise CorruptMessageError only', () => {
    const frame = lz4CompressFrame(Buffer.from('abcdefgh'.repeat(100)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (u, at, bit) => {
        const mutated = Buffer.from(frame);
        mutated[at % mutated.length]! ^= 1 << (bit % 8);
        for (const input of [Buffer.concat([frame.subarray(0, 4), u]), mutated]) {
          try {
            lz4DecompressFrame(input);
          } catch (err) {
            expect(err).toBeInstanceOf(CorruptMessageError);
          }
        }
      }),
      { numRuns: 2000 },
    );
    for (let n = 0; n < frame.length; n++) expect(() => lz4DecompressFrame(frame.subarray(0, n)), `cut at ${n}`).toThrow(CorruptMessageError);
  });
});

describe('zstd without a registered encoder', () => {
  it('decompresses a frame written by the zstd CLI with fzstd', async () => {
    // printf 'hello hello hello hello hello mq mq mq mq\n' | zstd -19 -c  (zstd 1.5.4; checksummed)
    const frame = hex('28b52ffd04688d00004868656c6c6f206d710a0200ba02072c45d7ea6380');
    expect((await decompress(Compression.zstd, frame)).equals(SAMPLE)).toBe(true);
  });

  it('compressing is UNSUPPORTED_COMPRESSION_TYPE (76), naming the way out', async () => {
    const err = await compress(Compression.zstd, SAMPLE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedCompressionTypeError);
    expect((err as KafkaError).errorCode).toBe(76);
    expect((err as Error).message).toMatch(/@mq\/codecs-native/);
  });
});

describe('codec registry', () => {
  it('reports plain JS by default, and a registered codec and CRC are what compress and crc32c use', async () => {
    expect(codecImplementations()).toEqual({ crc32c: 'pure-js', snappy: 'pure-js', lz4: 'pure-js', zstd: 'pure-js (decompress only)' });
    const seen: string[] = [];
    registerCompressionCodec('lz4', {
      name: 'counting',
      compress: (b) => (seen.push('c'), PURE_JS_CODECS.lz4.compress!(b)),
      decompress: (b) => (seen.push('d'), PURE_JS_CODECS.lz4.decompress(b)),
    });
    registerCrc32c((b) => crc32cPure(b), 'wrapped');
    expect((await decompress(Compression.lz4, await compress(Compression.lz4, SAMPLE))).equals(SAMPLE)).toBe(true);
    expect(seen).toEqual(['c', 'd']);
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(codecImplementations()).toMatchObject({ crc32c: 'wrapped', lz4: 'counting' });
    resetCodecs();
    expect(codecImplementations().lz4).toBe('pure-js');
  });
});
