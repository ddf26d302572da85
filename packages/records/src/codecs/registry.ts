// Which implementation computes CRC-32C and each compression codec's format. @mq/records ships
// plain-JS ones (so a client installs no native addon); a process may register faster ones —
// the broker installs @mq/codecs-native's at start. Registration is process-wide and meant for
// start-up: every codec speaks the same wire format, so swapping one never changes bytes' meaning.
import { crc32cPure } from './crc32c';
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-frame';
import { snappyCompress, snappyUncompress } from './snappy-block';
import { decompress as zstdDecompressPure } from 'fzstd';

/** CRC-32C of a byte range, unsigned (callers `>>> 0` anyway). */
export type Crc32cFunction = (buf: Uint8Array) => number;

/**
 * One codec's primitive format, as `registerCompressionCodec` takes it: snappy = one raw snappy
 * block (compression.ts adds and reads xerial framing), lz4 = LZ4 frames, zstd = zstd frames.
 * `compress` may be absent (a decode-only codec); gzip always uses node:zlib.
 */
export interface CompressionCodecImplementation {
  readonly name: string;
  compress?: (buf: Buffer) => Buffer | Promise<Buffer>;
  decompress: (buf: Buffer) => Buffer | Promise<Buffer>;
}

/** The codecs the registry holds (gzip is node:zlib, always there). */
export type RegistrableCodec = 'snappy' | 'lz4' | 'zstd';

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.length);

export const PURE_JS_CODECS: Readonly<Record<RegistrableCodec, CompressionCodecImplementation>> = {
  snappy: { name: 'pure-js', compress: snappyCompress, decompress: snappyUncompress },
  lz4: { name: 'pure-js', compress: lz4CompressFrame, decompress: lz4DecompressFrame },
  // fzstd decodes only; no established plain-JS zstd encoder exists, so compressing needs a
  // registered codec (@mq/codecs-native) and otherwise fails with UNSUPPORTED_COMPRESSION_TYPE.
  zstd: { name: 'pure-js (decompress only)', decompress: (buf) => toBuffer(zstdDecompressPure(buf)) },
};

const codecs: Record<RegistrableCodec, CompressionCodecImplementation> = { ...PURE_JS_CODECS };
let crc32cImpl: Crc32cFunction = crc32cPure;
let crc32cName = 'pure-js';

/** Replaces the implementation of `codec`'s format for the whole process. */
export function registerCompressionCodec(codec: RegistrableCodec, impl: CompressionCodecImplementation): void {
  codecs[codec] = impl;
}

/** Replaces the CRC-32C implementation for the whole process; `name` is what codecImplementations() reports. */
export function registerCrc32c(fn: Crc32cFunction, name = 'registered'): void {
  crc32cImpl = fn;
  crc32cName = name;
}

/** Back to the plain-JS implementations (tests compare both in one process). */
export function resetCodecs(): void {
  Object.assign(codecs, PURE_JS_CODECS);
  crc32cImpl = crc32cPure;
  crc32cName = 'pure-js';
}

export function codecImplementation(codec: RegistrableCodec): CompressionCodecImplementation {
  return codecs[codec];
}

/** What is installed now, by codec: 'pure-js' or the registered implementation's name. */
export function codecImplementations(): Record<RegistrableCodec | 'crc32c', string> {
  return {
    crc32c: crc32cName,
    snappy: codecs.snappy.name,
    lz4: codecs.lz4.name,
    zstd: codecs.zstd.name,
  };
}

export function crc32c(buf: Uint8Array): number {
  return crc32cImpl(buf);
}
