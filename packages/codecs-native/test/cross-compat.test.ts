// Plain-JS codecs (@mq/records) against the native bindings and the reference CLIs (lz4, zstd):
// whatever one side writes the other reads byte-exact, CRC-32C agrees on any bytes, and a record
// batch built under either set of codecs validates and decodes under the other.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Compression, PURE_JS_CODECS, crc32cPure, buildRecordBatch, codecImplementations, compress, decodeRecordBatch, decompress, resetCodecs, validateBatch } from '@mq/records';
import { NATIVE_CODECS, crc32cNative, registerNativeCodecs } from '../src/index';

const compressible = fc
  .array(fc.constantFrom('kafka', 'record', 'batch', ' ', '\n', 'x'.repeat(70), 'offset', '{"k":1}', '\u00e9\u4e2d'), { maxLength: 4000 })
  .map((words) => Buffer.from(words.join('')));
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 6000 }).map((u) => Buffer.from(u)), compressible);

/** A deterministic 300 KB payload: several LZ4 / snappy blocks, mostly compressible. */
function bigPayload(): Buffer {
  const b = Buffer.alloc(300_000);
  for (let i = 0; i < b.length; i++) b[i] = i % 997 < 800 ? 97 + ((i >> 3) % 13) : (i * 2654435761) >>> 24;
  return b;
}

afterEach(() => resetCodecs());

describe('CRC-32C', () => {
  it('plain JS equals native on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (u) => {
        expect(crc32cPure(u)).toBe(crc32cNative(u));
      }),
      { numRuns: 1000 },
    );
    const big = bigPayload();
    expect(crc32cPure(big)).toBe(crc32cNative(big));
  });
});

describe.each(['snappy', 'lz4'] as const)('%s', (codec) => {
  const pure = PURE_JS_CODECS[codec];
  const native = NATIVE_CODECS[codec];
  it('native reads what plain JS writes, and plain JS reads what native writes', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, async (b) => {
        expect((await native.decompress(await pure.compress!(b))).equals(b)).toBe(true);
        expect((await pure.decompress(await native.compress!(b))).equals(b)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const big = bigPayload();
    expect((await native.decompress(await pure.compress!(big))).equals(big)).toBe(true);
    expect((await pure.decompress(await native.compress!(big))).equals(big)).toBe(true);
  });
});

describe('zstd', () => {
  it('plain JS (fzstd) reads what native writes', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, async (b) => {
        expect((await PURE_JS_CODECS.zstd.decompress(await NATIVE_CODECS.zstd.compress!(b))).equals(b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reference CLIs', () => {
  const big = bigPayload();
  it.each([
    ['64 KiB linked blocks', ['-B4', '-BD']],
    ['256 KiB independent blocks with block checksums', ['-B5', '-BX']],
    ['4 MiB blocks, content size, no content checksum', ['-B7', '--content-size', '--no-frame-crc']],
    ['level 9 (HC)', ['-9']],
  ])('plain JS reads lz4 CLI frames: %s', (_name, flags) => {
    const frame = execFileSync('lz4', ['-c', '-q', ...flags], { input: big, maxBuffer: 16 << 20 });
    expect((PURE_JS_CODECS.lz4.decompress(frame) as Buffer).equals(big)).toBe(true);
  });

  it('the lz4 CLI reads what plain JS writes', () => {
    const frame = PURE_JS_CODECS.lz4.compress!(big) as Buffer;
    expect(execFileSync('lz4', ['-d', '-c', '-q'], { input: frame, maxBuffer: 16 << 20 }).equals(big)).toBe(true);
  });

  it.each([['-1'], ['-19'], ['--long=20', '-3'], ['--no-check', '-5']])('plain JS reads zstd CLI frames (%s)', (...flags) => {
    const frame = execFileSync('zstd', ['-c', '-q', ...flags], { input: big, maxBuffer: 16 << 20 });
    expect((PURE_JS_CODECS.zstd.decompress(frame) as Buffer).equals(big)).toBe(true);
  });
});

describe('record batches across codec sets', () => {
  it('a batch built under one set validates (CRC) and decodes under the other, for every codec', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`value ${i} `.repeat(i % 9)) }));
    for (const codec of [Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd]) {
      registerNativeCodecs();
      const nativeBuilt = await buildRecordBatch({ records, compression: codec });
      resetCodecs();
      expect(codecImplementations().crc32c).toBe('pure-js');
      validateBatch(nativeBuilt);
      expect((await decodeRecordBatch(nativeBuilt)).records.map((r) => r.value)).toEqual(records.map((r) => r.value));
      if (codec === Compression.zstd) continue; // plain JS has no zstd encoder
      const pureBuilt = await buildRecordBatch({ records, compression: codec });
      registerNativeCodecs();
      expect(codecImplementations().crc32c).toBe('native');
      validateBatch(pureBuilt);
      expect((await decodeRecordBatch(pureBuilt)).records.map((r) => r.value)).toEqual(records.map((r) => r.value));
      resetCodecs();
    }
  });

  it('registerNativeCodecs installs every native implementation; zstd then compresses', async () => {
    registerNativeCodecs();
    expect(codecImplementations()).toEqual({ crc32c: 'native', snappy: 'native', lz4: 'native', zstd: 'native' });
    const b = Buffer.from('zstd now works '.repeat(100));
    expect((await decompress(Compression.zstd, await compress(Compression.zstd, b))).equals(b)).toBe(true);
  });
});
