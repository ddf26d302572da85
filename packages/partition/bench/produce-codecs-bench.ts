// Produce-path cost per codec: the same 1,000-record batch (100-byte, half-random values, so the
// codecs have real work) built once per codec and appended pipelined with fsync off, so what is
// measured is the broker's per-batch work (validation, stamping, write), not the disk. Prints
// msgs/s and CPU per batch; asserts nothing. The codecs are the native ones the broker registers
// at start (@mq/codecs-native); BENCH_CODECS=pure measures @mq/records' plain-JS ones instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerNativeCodecs } from '@mq/codecs-native';
import { Compression, buildRecordBatch, codecImplementations, compressionName, resetCodecs } from '@mq/records';
import { TopicManager } from '../src/index';
import { appendPipelined } from './append-pipelined';

const RECORDS_PER_BATCH = 1_000;
const BATCHES = Number(process.env.BENCH_CODEC_BATCHES ?? 1_000);
const IN_FLIGHT = 32;
const VALUE_BYTES = 100;

/** Deterministic values: 50 random letters then 50 repeated, roughly what real payloads compress to. */
function values(): Buffer[] {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  return Array.from({ length: RECORDS_PER_BATCH }, () => {
    const b = Buffer.alloc(VALUE_BYTES, 0x61);
    for (let i = 0; i < VALUE_BYTES / 2; i++) b[i] = 0x61 + (rnd() % 26);
    return b;
  });
}

async function run(codec: number, template: Buffer): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-codec-bench-'));
  const topics = await TopicManager.open({ dataDir: dir });
  await topics.createTopic('bench', 1, { 'flush.messages': '9223372036854775807' });
  const p = topics.partition('bench', 0);
  const cpu = process.cpuUsage();
  const t = performance.now();
  await appendPipelined(p, template, BATCHES, IN_FLIGHT);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  await topics.close();
  await rm(dir, { recursive: true, force: true });
  const msgs = (BATCHES * RECORDS_PER_BATCH * 1000) / ms;
  const wireMB = (BATCHES * template.length * 1000) / ms / 1e6;
  // CPU time (main thread + libuv pool, where decompression runs) per batch: steadier than wall
  // time on a shared machine.
  const cpuUs = (used.user + used.system) / BATCHES;
  console.log(
    `produce ${compressionName(codec).padEnd(6)} ${(msgs / 1e6).toFixed(2)} M msg/s, ${wireMB.toFixed(0)} MB/s on the wire, ` +
      `${cpuUs.toFixed(0)} µs CPU per batch (batch ${template.length} B, ${ms.toFixed(0)} ms)`,
  );
}

console.log(`produce per codec: ${BATCHES} batches × ${RECORDS_PER_BATCH} records × ${VALUE_BYTES} B, ${IN_FLIGHT} in flight, fsync off`);
const records = values();
const CODECS = [Compression.none, Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd];
// Batches are built on the native codecs (plain JS has no zstd encoder); the same bytes either way.
registerNativeCodecs();
const templates = await Promise.all(
  CODECS.map((compression) => buildRecordBatch({ compression, records: records.map((value, i) => ({ key: Buffer.from(`key-${i}`), value })) })),
);
if (process.env.BENCH_CODECS === 'pure') resetCodecs();
console.log(`codecs on the produce path: ${JSON.stringify(codecImplementations())}`);
for (const [i, codec] of CODECS.entries()) await run(codec, templates[i]!);
