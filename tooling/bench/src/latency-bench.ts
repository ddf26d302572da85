// Latency tails at the disk's limit (issue #16): one broker at default durability (fsync before every
// ack), kcat → kcat end-to-end latency at a fixed rate for 100 B and 1 KiB, with what the broker's
// runtime did in the same window beside each row — event-loop delay and GC pauses (a preload,
// probe/runtime-probe.mjs) and the time its threads waited for a CPU (/proc/<pid>/task/*/schedstat)
// — plus 1 KiB produce throughput, and the disk's own fdatasync of a 4 KiB append measured in the
// same run. Variants (log.preallocate off/on, --single-threaded-gc, mq.flush.dsync) are interleaved round by round on the same binary,
// each on a fresh broker and data dir, so a shared machine's load falls on both alike.
//
// Env: LAT_RATE (10000), LAT_MS (10000), LAT_ROUNDS (2), LAT_PRODUCE (300000 records of 1 KiB; 0 skips),
// LAT_VARIANTS (indexes into ALL_VARIANTS, default all).
import { closeSync, fdatasyncSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { kcatLatency, kcatProduce } from './kcat-load';
import { ensureBrokerBuilt, startMqBroker } from './mq-broker';
import { writeRecordFile } from './payloads';
import type { ServerProcess } from './server-process';
import { fmtMs, fmtRate, summarize } from './stats';

const RATE = Number(process.env.LAT_RATE ?? 10_000);
const LATENCY_MS = Number(process.env.LAT_MS ?? 10_000);
const ROUNDS = Number(process.env.LAT_ROUNDS ?? 2);
const PRODUCE = Number(process.env.LAT_PRODUCE ?? 300_000);
const SIZES = [100, 1024] as const;
const PROBE = fileURLToPath(new URL('../probe/runtime-probe.mjs', import.meta.url));

interface Variant {
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** V8 / Node flags for the broker process (same binary). */
  readonly nodeArgs?: readonly string[];
}
const ALL_VARIANTS: Variant[] = [
  { name: 'preallocate off', config: { 'log.preallocate': false } },
  { name: 'preallocate on', config: { 'log.preallocate': true } },
  // GC helper threads that wait for a CPU stretch every scavenge on a loaded 2-core machine.
  { name: 'single-threaded GC', config: { 'log.preallocate': false }, nodeArgs: ['--single-threaded-gc'] },
  // One O_DSYNC writev per group commit instead of a writev and an fdatasync (two thread-pool hops).
  { name: 'mq.flush.dsync', config: { 'mq.flush.dsync': true } },
];
/** LAT_VARIANTS: comma-separated indexes into ALL_VARIANTS (default all). */
const VARIANTS = (process.env.LAT_VARIANTS ?? ALL_VARIANTS.map((_, i) => i).join(',')).split(',').map((i) => ALL_VARIANTS[Number(i)]!);

interface Probe {
  eventLoopDelay: { p50: number; p99: number; p999: number; max: number };
  gc: { count: number; major: number; totalMs: number; p99: number; max: number };
}

/** Nanoseconds the process's threads spent runnable but waiting for a CPU (schedstat field 2). */
function runQueueWaitNs(pid: number): number {
  let total = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return total;
}

/** The runtime probe's figures since the previous call (SIGUSR2 makes it write and reset). */
async function probe(broker: ServerProcess, file: string): Promise<Probe> {
  await rm(file, { force: true });
  process.kill(broker.pid, 'SIGUSR2');
  for (let i = 0; i < 200; i++) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Probe;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error('runtime probe did not answer');
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The disk's own p50/p99 for a 4 KiB append + fdatasync (what a one-record ack can cost at best). */
function diskFdatasync(dir: string, n = 1000): { p50: number; p99: number } {
  const path = join(dir, 'fdatasync-probe');
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(4096, 7);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    writeSync(fd, buf, 0, buf.length, i * buf.length);
    fdatasyncSync(fd);
    lat.push(performance.now() - t);
  }
  closeSync(fd);
  rmSync(path);
  const s = summarize(lat);
  return { p50: s.p50, p99: s.p99 };
}

interface Row {
  round: number;
  variant: string;
  size: number | 'produce 1 KiB';
  cells: string[];
}

async function runVariant(v: Variant, round: number, work: string, records: string): Promise<Row[]> {
  const dataDir = await mkdtemp(join(work, 'data-'));
  const configFile = join(work, `broker-${round}-${v.name.replace(/ /g, '-')}.json`);
  await writeFile(configFile, JSON.stringify(v.config));
  const probeFile = join(work, 'probe.json');
  process.env.MQ_BENCH_PROBE_FILE = probeFile;
  const broker = await startMqBroker(dataDir, configFile, [...(v.nodeArgs ?? []), '--import', PROBE]);
  const rows: Row[] = [];
  try {
    const bootstrap = `127.0.0.1:${broker.spec.port}`;
    for (const size of SIZES) {
      const topic = `lat-${size}`;
      await createTopic(bootstrap, topic);
      await probe(broker, probeFile);
      const wait0 = runQueueWaitNs(broker.pid);
      const t0 = performance.now();
      const samples = await kcatLatency(bootstrap, topic, size, RATE, LATENCY_MS);
      const waitMsPerS = (runQueueWaitNs(broker.pid) - wait0) / 1e6 / ((performance.now() - t0) / 1000);
      const p = await probe(broker, probeFile);
      const s = summarize(samples);
      rows.push({
        round,
        variant: v.name,
        size,
        cells: [
          String(s.count),
          fmtMs(s.p50),
          fmtMs(s.p99),
          fmtMs(s.p999),
          fmtMs(s.max),
          `${fmtMs(p.eventLoopDelay.p99)} / ${fmtMs(p.eventLoopDelay.max)}`,
          `${p.gc.count} (${p.gc.major} major), ${fmtMs(p.gc.totalMs)} ms, max ${fmtMs(p.gc.max)}`,
          waitMsPerS.toFixed(0),
        ],
      });
    }
    if (PRODUCE > 0) {
      await createTopic(bootstrap, 'produce-1k');
      await probe(broker, probeFile);
      const r = await kcatProduce(bootstrap, 'produce-1k', records, PRODUCE, ['-X', 'request.required.acks=-1']);
      const p = await probe(broker, probeFile);
      const rate = (r.messages / r.ms) * 1000;
      rows.push({
        round,
        variant: v.name,
        size: 'produce 1 KiB',
        cells: [
          String(r.messages),
          `${fmtRate(rate)} msg/s`,
          `${((rate * 1024) / 1e6).toFixed(0)} MB/s`,
          '',
          '',
          `${fmtMs(p.eventLoopDelay.p99)} / ${fmtMs(p.eventLoopDelay.max)}`,
          `${p.gc.count} (${p.gc.major} major), ${fmtMs(p.gc.totalMs)} ms, max ${fmtMs(p.gc.max)}`,
          '',
        ],
      });
    }
  } finally {
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const work = await mkdtemp(join(tmpdir(), 'mq-latency-bench-'));
  const records = join(work, 'records-1k.txt');
  if (PRODUCE > 0) await writeRecordFile(records, PRODUCE, 1024);
  const disk = diskFdatasync(work);
  const rows: Row[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order, so no variant always runs on the warmer (or busier) disk.
      const order = round % 2 === 1 ? VARIANTS : [...VARIANTS].reverse();
      for (const v of order) rows.push(...(await runVariant(v, round, work, records)));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const la = loadavg().map((x) => x.toFixed(1)).join(' ');
  const lines = [
    `${new Date().toISOString()} · load average ${la} · disk 4 KiB append+fdatasync p50 ${fmtMs(disk.p50)} / p99 ${fmtMs(disk.p99)} ms`,
    `kcat → kcat at ${fmtRate(RATE)} msg/s for ${LATENCY_MS / 1000} s, flush.messages=1, 1 partition; produce: kcat acks=all of ${fmtRate(PRODUCE)} × 1 KiB`,
    '',
    '| round | variant | workload | count | p50 ms | p99 ms | p99.9 ms | max ms | event-loop delay p99 / max ms | GC pauses | CPU run-queue wait ms/s |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|',
    ...rows.map((r) => `| ${r.round} | ${r.variant} | ${typeof r.size === 'number' ? `e2e ${r.size} B` : r.size} | ${r.cells.join(' | ')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
