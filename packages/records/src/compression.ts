// Record-batch compression codecs (attribute bits 0-2): gzip via zlib, snappy (raw and the xerial
// framing Java clients write), LZ4 frame format, zstd. The snappy / lz4 / zstd formats come from
// codecs/registry.ts: plain JS unless a process registered others (the broker registers
// @mq/codecs-native's, which run off the event loop). The size bounds here apply to every codec.
import { promisify } from 'node:util';
import { gzip, gunzip } from 'node:zlib';
import { type RegistrableCodec, codecImplementation } from './codecs/registry';
import { snappyUncompressedLength } from './codecs/snappy-block';
import { lz4DecompressedBound, zstdDecompressedBound } from './frame-bound';
import { CorruptMessageError, MessageTooLargeError, UnsupportedCompressionTypeError } from '@mq/errors';

export const Compression = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const;

export type CompressionCodec = (typeof Compression)[keyof typeof Compression];

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** xerial snappy-java stream header: magic, then version and min-compatible version (int32 BE). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
/** snappy-java's default block size; readers accept any, this matches what Java producers emit. */
const XERIAL_BLOCK = 32 * 1024;

export function compressionName(codec: number): string {
  return ['none', 'gzip', 'snappy', 'lz4', 'zstd'][codec] ?? `unknown(${codec})`;
}

function assertCodec(codec: number): asserts codec is CompressionCodec {
  if (!Number.isInteger(codec) || codec < 0 || codec > 4) {
    throw new UnsupportedCompressionTypeError(`unsupported compression codec ${codec}`);
  }
}

export async function compress(codec: number, buf: Buffer): Promise<Buffer> {
  assertCodec(codec);
  switch (codec) {
    case Compression.none:
      return buf;
    case Compression.gzip:
      return gzipAsync(buf);
    case Compression.snappy:
      return compressXerialSnappy(buf);
    case Compression.lz4:
      return compressWith('lz4', buf);
    case Compression.zstd:
      return compressWith('zstd', buf);
  }
}

async function compressWith(codec: RegistrableCodec, buf: Buffer): Promise<Buffer> {
  const impl = codecImplementation(codec);
  if (impl.compress === undefined) {
    throw new UnsupportedCompressionTypeError(
      `${codec} compression is not available in this process (${impl.name}): install @mq/codecs-native and call registerNativeCodecs(), or choose gzip, snappy or lz4`,
    );
  }
  return impl.compress(buf);
}

/**
 * Decompresses a records section. `maxBytes` bounds the output (MESSAGE_TOO_LARGE beyond it): gzip
 * and snappy stop before allocating more; lz4 and zstd (whose bindings take no limit) are refused
 * when their block headers allow more than `maxBytes`, and checked again once decompressed.
 */
export async function decompress(codec: number, buf: Buffer, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  assertCodec(codec);
  let out: Buffer;
  try {
    switch (codec) {
      case Compression.none:
        return buf;
      case Compression.gzip:
        out = await (Number.isFinite(maxBytes) ? gunzipAsync(buf, { maxOutputLength: Math.max(1, maxBytes) }) : gunzipAsync(buf));
        break;
      case Compression.snappy:
        out = await decompressSnappy(buf, maxBytes);
        break;
      case Compression.lz4:
        refuseBeyondBound(codec, lz4DecompressedBound(buf), maxBytes);
        out = await codecImplementation('lz4').decompress(buf);
        break;
      case Compression.zstd:
        refuseBeyondBound(codec, zstdDecompressedBound(buf), maxBytes);
        out = await codecImplementation('zstd').decompress(buf);
        break;
    }
  } catch (err) {
    if (err instanceof CorruptMessageError || err instanceof MessageTooLargeError) throw err;
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(codec, maxBytes);
    throw new CorruptMessageError(`cannot decompress ${compressionName(codec)} records`, { cause: err });
  }
  if (out.length > maxBytes) throw tooLarge(codec, maxBytes);
  return out;
}

function refuseBeyondBound(codec: number, bound: number, maxBytes: number): void {
  if (bound > maxBytes) {
    throw new MessageTooLargeError(
      `${compressionName(codec)} records may decompress to more than ${maxBytes} bytes (block headers allow ${bound}); refused before decompressing`,
    );
  }
}

function tooLarge(codec: number, maxBytes: number): MessageTooLargeError {
  return new MessageTooLargeError(`${compressionName(codec)} records decompress to more than ${maxBytes} bytes`);
}

async function compressXerialSnappy(buf: Buffer): Promise<Buffer> {
  const blocks: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  blocks.push(header);
  for (let pos = 0; pos < buf.length || pos === 0; pos += XERIAL_BLOCK) {
    const chunk = await compressWith('snappy', buf.subarray(pos, pos + XERIAL_BLOCK));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(chunk.length, 0);
    blocks.push(len, chunk);
    if (buf.length === 0) break;
  }
  return Buffer.concat(blocks);
}

async function decompressSnappy(buf: Buffer, maxBytes: number): Promise<Buffer> {
  if (buf.length < XERIAL_HEADER_SIZE || !buf.subarray(0, 8).equals(XERIAL_MAGIC)) {
    if (snappyUncompressedLength(buf) > maxBytes) throw tooLarge(Compression.snappy, maxBytes);
    return codecImplementation('snappy').decompress(buf);
  }
  const parts: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  let total = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new CorruptMessageError('truncated xerial snappy block length');
    const len = buf.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > buf.length) throw new CorruptMessageError('truncated xerial snappy block');
    const block = buf.subarray(pos, pos + len);
    total += Math.max(0, snappyUncompressedLength(block));
    if (total > maxBytes) throw tooLarge(Compression.snappy, maxBytes);
    parts.push(await codecImplementation('snappy').decompress(block));
    pos += len;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
