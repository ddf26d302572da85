// Partition append/read throughput on a real temp dir: 100-byte records in batches of 1,000 (what
// kcat sends), appended pipelined (many in flight, as the server does) under flush.messages=1 and
// with fsync off, then read back in 1 MiB fetches. Prints msgs/s and MB/s; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRecordBatch } from '@mq/records';
import { TopicManager } from '../src/index';
import { appendPipelined } from './append-pipelined';

const RECORDS_PER_BATCH = 1_000;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 2_000);
const IN_FLIGHT = 32;
const VALUE = Buffer.alloc(100, 0x61);

async function run(label: string, configs: Record<string, string>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-partition-bench-'));
  const topics = await TopicManager.open({ dataDir: dir });
  await topics.createTopic('bench', 1, configs);
  const p = topics.partition('bench', 0);
  const template = await buildRecordBatch({ records: Array.from({ length: RECORDS_PER_BATCH }, () => ({ key: null, value: VALUE })) });
  const total = BATCHES * RECORDS_PER_BATCH;
  const bytes = BATCHES * template.length;

  let t = performance.now();
  await appendPipelined(p, template, BATCHES, IN_FLIGHT);
  const appendMs = performance.now() - t;

  t = performance.now();
  let offset = 0n;
  let read = 0;
  while (offset < p.highWatermark) {
    const chunk = await p.read(offset, 1 << 20);
    read += chunk.length;
    offset += BigInt(Math.floor((chunk.length / template.length) * RECORDS_PER_BATCH));
  }
  const readMs = performance.now() - t;
  await topics.close();
  await rm(dir, { recursive: true, force: true });
  const fmt = (ms: number, b: number) =>
    `${((total / ms) * 1000 / 1e6).toFixed(2)} M msg/s, ${((b / ms) * 1000 / 1e6).toFixed(0)} MB/s (${ms.toFixed(0)} ms)`;
  console.log(`${label.padEnd(22)} append ${fmt(appendMs, bytes)} | read ${fmt(readMs, read)}`);
}

console.log(`partition bench: ${BATCHES} batches × ${RECORDS_PER_BATCH} records × ${VALUE.length} B, ${IN_FLIGHT} appends in flight`);
await run('flush.messages=1', { 'flush.messages': '1' });
await run('no fsync', { 'flush.messages': '9223372036854775807' });
