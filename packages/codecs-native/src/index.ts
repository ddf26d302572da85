// Public API of @mq/codecs-native: the native CRC-32C (SSE4.2 / ARMv8 through @node-rs/crc32),
// snappy, LZ4 and zstd bindings, registered into @mq/records' codec registry. The broker calls
// registerNativeCodecs() at start; a client process may call it to compress zstd and to take
// compression work off the event loop. @mq/records works without this package.
import { crc32c } from '@node-rs/crc32';
import { compressFrame, decompressFrame } from 'lz4-napi';
import * as snappy from 'snappy';
import * as zstd from '@mongodb-js/zstd';
import { type CompressionCodecImplementation, type RegistrableCodec, registerCompressionCodec, registerCrc32c } from '@mq/records';

const NAME = 'native';

/** The native implementations, by codec (for benchmarks and cross-checks against the plain-JS ones). */
export const NATIVE_CODECS: Readonly<Record<RegistrableCodec, CompressionCodecImplementation>> = {
  snappy: {
    name: NAME,
    compress: (buf) => snappy.compress(buf),
    decompress: async (buf) => (await snappy.uncompress(buf, { asBuffer: true })) as Buffer,
  },
  lz4: { name: NAME, compress: (buf) => compressFrame(buf), decompress: (buf) => decompressFrame(buf) },
  zstd: { name: NAME, compress: (buf) => zstd.compress(buf), decompress: (buf) => zstd.decompress(buf) },
};

/** Native CRC-32C of `buf`, unsigned. */
export function crc32cNative(buf: Uint8Array): number {
  return crc32c(buf) >>> 0;
}

/** Installs the native CRC-32C and codecs for the whole process (idempotent). */
export function registerNativeCodecs(): void {
  registerCrc32c(crc32cNative, NAME);
  for (const codec of Object.keys(NATIVE_CODECS) as RegistrableCodec[]) registerCompressionCodec(codec, NATIVE_CODECS[codec]);
}
