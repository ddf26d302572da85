// CRC-32C and the snappy / LZ4 / zstd codecs: @mq/records' plain-JS implementations against
// @mq/codecs-native's bindings (what the broker registers at start), on the uncompressed records
// section of a 1,000-record × 100 B batch (the produce-validation bench's payload) and on 1 MiB.
// Prints MB/s of input (compress, CRC) or output (decompress) per implementation and writes the
// table into BENCHMARKS.md. Single-threaded calls awaited one by one, so native figures include
// the hop to the libuv pool; asserts nothing.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { NATIVE_CODECS, crc32cNative } from '@mq/codecs-native';
import { PURE_JS_CODECS, type RegistrableCodec, crc32cPure } from '@mq/records';
import { machineLine, writeSection } from './markdown-section';

const MIN_MS = Number(process.env.BENCH_CODECS_MS ?? 1500);

/** 1,000 records' worth of values: 50 random letters then 50 repeated, as produce-codecs-bench. */
function payload(size: number): Buffer {
  let seed = 42;
  const b = Buffer.alloc(size, 0x61);
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    if (i % 100 < 50) b[i] = 0x61 + (seed % 26);
  }
  return b;
}

/** MB/s of `bytes` per call, calling `fn` for at least MIN_MS after a warm-up. */
async function rate(bytes: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (bytes * n) / (elapsed / 1000) / 1e6;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main(): Promise<void> {
  const load = loadavg()[0]!.toFixed(1);
  const rows: string[] = [];
  for (const [label, input] of [
    ['117 KB', payload(117_000)],
    ['1 MiB', payload(1 << 20)],
  ] as const) {
    const pure = await rate(input.length, () => crc32cPure(input));
    const native = await rate(input.length, () => crc32cNative(input));
    rows.push(`| CRC-32C | ${label} | — | ${fmt(pure)} | ${fmt(native)} | ${(native / pure).toFixed(1)}× |`);
    for (const codec of ['snappy', 'lz4', 'zstd'] as RegistrableCodec[]) {
      const p = PURE_JS_CODECS[codec];
      const n = NATIVE_CODECS[codec];
      const packed = await n.compress!(input);
      const ratio = `${((packed.length / input.length) * 100).toFixed(0)} %`;
      if (p.compress !== undefined) {
        const pc = await rate(input.length, () => p.compress!(input));
        const nc = await rate(input.length, () => n.compress!(input));
        rows.push(`| ${codec} compress | ${label} | ${ratio} | ${fmt(pc)} | ${fmt(nc)} | ${(nc / pc).toFixed(1)}× |`);
      } else {
        const nc = await rate(input.length, () => n.compress!(input));
        rows.push(`| ${codec} compress | ${label} | ${ratio} | not available (UNSUPPORTED_COMPRESSION_TYPE) | ${fmt(nc)} | — |`);
      }
      const pd = await rate(input.length, () => p.decompress(packed));
      const nd = await rate(input.length, () => n.decompress(packed));
      rows.push(`| ${codec} decompress | ${label} | ${ratio} | ${fmt(pd)} | ${fmt(nd)} | ${(nd / pd).toFixed(1)}× |`);
    }
  }
  const table = [
    '| operation | input | compressed size (native) | plain JS MB/s | native MB/s | native / plain JS |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(table);
  const body = `Measured ${machineLine()}, 1-min load average ${load} at the start. MB/s of uncompressed bytes; each figure is calls awaited one at a time for ≥ ${MIN_MS} ms. snappy = one raw block (xerial framing is added around it in @mq/records), lz4 = one LZ4 frame, zstd compressed natively at level 3 for both decoders.\n\n${table}`;
  writeSection(join(import.meta.dirname, '..', '..', '..', 'BENCHMARKS.md'), 'codecs', body);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
