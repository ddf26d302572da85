// Decompressed-size bounds from LZ4 / zstd block headers: never below what real encoders' frames
// inflate to (else good batches would be refused), and hand-built bombs are refused before inflating.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Compression, compress, decompress } from '../src/index';
import { MessageTooLargeError } from '@mq/errors';
import { UNKNOWN_BOUND, lz4DecompressedBound, zstdDecompressedBound } from '../src/frame-bound';
import { useStoredZstd } from './stored-zstd';

useStoredZstd();

/** Half random, half repeated bytes: compresses, but not to nothing. */
function payload(n: number): Buffer {
  const b = Buffer.alloc(n, 0x61);
  randomBytes(Math.floor(n / 2)).copy(b);
  return b;
}

/** One zstd frame (no window descriptor checks needed: single segment off) of `blocks` RLE blocks of 128 KiB. */
function zstdRleBomb(blocks: number): Buffer {
  const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]); // magic, descriptor (no FCS), window 2^21
  const body = Buffer.alloc(blocks * 4);
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const h = last | (1 << 1) | ((128 * 1024) << 3); // RLE block regenerating 128 KiB
    body[i * 4] = h & 0xff;
    body[i * 4 + 1] = (h >> 8) & 0xff;
    body[i * 4 + 2] = (h >> 16) & 0xff;
    body[i * 4 + 3] = 0x00; // the byte repeated
  }
  return Buffer.concat([header, body]);
}

describe('decompressed-size bounds', () => {
  for (const [name, codec, bound] of [
    ['zstd', Compression.zstd, zstdDecompressedBound],
    ['lz4', Compression.lz4, lz4DecompressedBound],
  ] as const) {
    it(`${name}: the bound of a real frame is at least its size and close to it`, async () => {
      for (const n of [0, 1, 100, 65_535, 65_536, 131_073, 1_000_000, 3_000_000]) {
        const frame = await compress(codec, payload(n));
        const b = bound(frame);
        expect(b, `${name} ${n} bytes`).toBeGreaterThanOrEqual(n);
        expect(b, `${name} ${n} bytes`).toBeLessThanOrEqual(n + 4 * 1024 * 1024);
        expect((await decompress(codec, frame, b)).length).toBe(n);
      }
    });

    it(`${name}: bytes that are not a frame give no bound (the decoder reports them)`, () => {
      expect(bound(Buffer.from('not a frame at all'))).toBe(UNKNOWN_BOUND);
      expect(bound(Buffer.alloc(3))).toBe(UNKNOWN_BOUND);
    });
  }

  it('zstd: 16 KB of RLE blocks claiming 512 MiB is refused before decompressing', async () => {
    const bomb = zstdRleBomb(4096);
    expect(bomb.length).toBeLessThan(20_000);
    expect(zstdDecompressedBound(bomb)).toBe(4096 * 128 * 1024);
    await expect(decompress(Compression.zstd, bomb, 64 * 1024 * 1024)).rejects.toThrow(MessageTooLargeError);
    await expect(decompress(Compression.zstd, bomb, 64 * 1024 * 1024)).rejects.toThrow(/refused before decompressing/);
  });

  it('zstd: a small RLE frame within the limit still decompresses', async () => {
    const frame = zstdRleBomb(2);
    expect((await decompress(Compression.zstd, frame, 1024 * 1024)).equals(Buffer.alloc(256 * 1024))).toBe(true);
  });

  it('lz4: a frame whose blocks allow more than the limit is refused before decompressing', async () => {
    const frame = await compress(Compression.lz4, Buffer.alloc(8 * 1024 * 1024));
    expect(lz4DecompressedBound(frame)).toBeGreaterThan(1024 * 1024);
    await expect(decompress(Compression.lz4, frame, 1024 * 1024)).rejects.toThrow(/refused before decompressing/);
  });
});
