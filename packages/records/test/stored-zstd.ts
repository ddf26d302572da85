// A test-only zstd encoder: frames of raw (stored) blocks, and RLE blocks for runs of one byte —
// valid zstd that every decoder reads, with no entropy coding. @mq/records ships no zstd encoder (its plain-JS codecs decode zstd with
// fzstd), and its tests cannot use @mq/codecs-native (that package depends on this one), so the
// tests that need zstd-compressed input register this in place of a real encoder.
import { type CompressionCodecImplementation, PURE_JS_CODECS, registerCompressionCodec } from '../src/index';

const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Frame header descriptor: 8-byte frame content size, single segment (no window descriptor). */
const DESCRIPTOR = 0xe0;
const RAW_BLOCK_MAX = 128 * 1024;

export function zstdStoredFrame(input: Buffer): Buffer {
  const parts: Buffer[] = [MAGIC, Buffer.from([DESCRIPTOR])];
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(input.length));
  parts.push(size);
  let pos = 0;
  do {
    const n = Math.min(RAW_BLOCK_MAX, input.length - pos);
    const last = pos + n >= input.length ? 1 : 0;
    const block = input.subarray(pos, pos + n);
    const rle = n > 0 && block.every((b) => b === block[0]);
    const header = (n << 3) | ((rle ? 1 : 0) << 1) | last; // Block_Type 0 raw, 1 RLE
    parts.push(Buffer.from([header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff]), rle ? block.subarray(0, 1) : block);
    pos += n;
  } while (pos < input.length);
  return Buffer.concat(parts);
}

export const STORED_ZSTD: CompressionCodecImplementation = {
  name: 'stored-zstd (test)',
  compress: zstdStoredFrame,
  decompress: PURE_JS_CODECS.zstd.decompress,
};

/** Lets this file's tests compress zstd (decoded by the plain-JS fzstd path). */
export function useStoredZstd(): void {
  registerCompressionCodec('zstd', STORED_ZSTD);
}
