// @mq/log benchmark: append throughput (100-byte records, batches of 1/100/1000, each flush policy),
// sequential read throughput, and offset-lookup latency. Prints a table; run with `pnpm bench`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRecordBatch } from '@mq/records';
import { type FlushPolicy, Log } from '../src/index';

const RECORD_BYTES = 100;
const TRIALS = 3;
const WINDOW = 32; // appends in flight; each owns its buffer because append stamps offsets in place

interface Row {
  name: string;
  figure: string;
  detail: string;
}
const rows: Row[] = [];

function fmtRate(bytes: number, seconds: number): string {
  const mb = bytes / seconds / 1e6;
  return mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB/s` : `${mb.toFixed(1)} MB/s`;
}

async function makeBatches(recordsPerBatch: number): Promise<Buffer[]> {
  const value = Buffer.alloc(RECORD_BYTES, 0x61);
  const one = await buildRecordBatch({
    records: Array.from({ length: recordsPerBatch }, () => ({ key: null, value, timestamp: 1_700_000_000_000n })),
  });
  return Array.from({ length: WINDOW }, () => Buffer.from(one));
}

interface Trial {
  bytes: number;
  batches: number;
  seconds: number;
  flushes: number;
  dir: string;
}

async function appendTrial(flush: FlushPolicy, pool: Buffer[], maxSeconds: number, maxBytes: number): Promise<Trial> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-log-bench-'));
  const log = await Log.open(dir, { flush, segmentBytes: 256 * 1024 * 1024 });
  const batchBytes = pool[0]!.length;
  let bytes = 0;
  let batches = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(maxSeconds * 1e9));
  async function worker(buf: Buffer): Promise<void> {
    while (bytes < maxBytes && process.hrtime.bigint() < deadline) {
      bytes += batchBytes;
      batches++;
      await log.append(buf);
    }
  }
  await Promise.all(pool.map((b) => worker(b)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await log.close();
  return { bytes, batches, seconds, flushes: log.stats.flushes, dir };
}

/** Three trials per case (the 2 cores are shared, so single runs are noisy): report the median. */
async function benchAppend(policyName: string, flush: FlushPolicy, recordsPerBatch: number, maxSeconds: number, maxBytes: number): Promise<string> {
  const pool = await makeBatches(recordsPerBatch);
  const trials: Trial[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const t = await appendTrial(flush, pool, maxSeconds, maxBytes);
    trials.push(t);
    if (i < TRIALS - 1) await rm(t.dir, { recursive: true, force: true });
  }
  const rate = (t: Trial) => t.bytes / t.seconds;
  const sorted = trials.slice().sort((a, b) => rate(a) - rate(b));
  const med = sorted[Math.floor(sorted.length / 2)]!;
  rows.push({
    name: `append ${recordsPerBatch}×100 B, flush=${policyName}`,
    figure: fmtRate(med.bytes, med.seconds),
    detail: `${Math.round((med.batches * recordsPerBatch) / med.seconds).toLocaleString('en-US')} rec/s, ${med.flushes} fdatasync; trials ${sorted.map((t) => fmtRate(t.bytes, t.seconds)).join(' / ')}`,
  });
  return trials[trials.length - 1]!.dir;
}

async function benchRead(dir: string): Promise<void> {
  const log = await Log.open(dir, { segmentBytes: 256 * 1024 * 1024 });
  for (let pass = 0; pass < 2; pass++) {
    // pass 0 warms the page cache and the code; pass 1 is measured
    let offset = log.logStartOffset;
    let bytes = 0;
    const start = process.hrtime.bigint();
    while (offset < log.logEndOffset) {
      const data = await log.read(offset, 1024 * 1024);
      bytes += data.length;
      // Next offset from the last batch header in the chunk: walk headers (what a fetch loop does).
      let pos = 0;
      let last = offset;
      while (pos < data.length) {
        last = data.readBigInt64BE(pos) + BigInt(data.readInt32BE(pos + 23));
        pos += data.readInt32BE(pos + 8) + 12;
      }
      offset = last + 1n;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (pass === 1) {
      rows.push({ name: 'sequential read, 1 MiB fetches', figure: fmtRate(bytes, seconds), detail: `${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s` });
    }
  }
  await log.close();
}

async function benchLookup(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-log-bench-'));
  // Small batches and 8 MiB segments: many segments, many index entries, scans between entries.
  const log = await Log.open(dir, { segmentBytes: 8 * 1024 * 1024, maxOpenSegments: 16 });
  const pool = await makeBatches(10);
  for (let i = 0; i < 60_000; i += WINDOW) await Promise.all(pool.map((b) => log.append(b)));
  const leo = log.logEndOffset;
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const offset = BigInt(Math.floor(Math.random() * Number(leo)));
    const t = process.hrtime.bigint();
    await log.read(offset, 1);
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  const p = (q: number) => samples[Math.floor(q * (samples.length - 1))]!.toFixed(1);
  rows.push({
    name: 'offset lookup (read 1 batch at a random offset)',
    figure: `p50 ${p(0.5)} µs`,
    detail: `p99 ${p(0.99)} µs over ${log.segmentCount} segments (max 16 open), ${leo} offsets`,
  });
  await log.close();
  await rm(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const policies: [string, FlushPolicy, number, number][] = [
    // name, policy, seconds cap, bytes cap
    ['none', 'none', 2, 1e9],
    ['interval 1000ms', { intervalMs: 1000 }, 2, 1e9],
    ['messages 10000', { messages: 10_000 }, 2, 1e9],
    ['always', 'always', 2, 5e8],
  ];
  let readDir: string | null = null;
  for (const size of [1, 100, 1000]) {
    for (const [name, policy, seconds, bytes] of policies) {
      const dir = await benchAppend(name, policy, size, seconds, bytes);
      if (size === 1000 && name === 'none') readDir = dir;
      else await rm(dir, { recursive: true, force: true });
    }
  }
  if (readDir) {
    await benchRead(readDir);
    await rm(readDir, { recursive: true, force: true });
  }
  await benchLookup();

  const w0 = Math.max(...rows.map((r) => r.name.length));
  const w1 = Math.max(...rows.map((r) => r.figure.length));
  process.stdout.write(`@mq/log bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}, ${WINDOW} appends in flight\n\n`);
  process.stdout.write(`| ${'case'.padEnd(w0)} | ${'result'.padEnd(w1)} | detail |\n|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.name.padEnd(w0)} | ${r.figure.padEnd(w1)} | ${r.detail} |\n`);
}

await main();
