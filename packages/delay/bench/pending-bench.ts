// Delay-store benchmark: PENDING messages (default 1,000,000, 100-byte values) scheduled through a
// real DelayStore on a temp data dir (the broker's default flush policy: fsync before every
// acknowledgement), due over WINDOW_MS starting LEAD_MS after the start, spread over 8 target
// partitions. Prints the RSS and heap with every message pending, the scheduling rate, then each
// delivery's lateness (append completed − due time) p50/p99/max on a SystemClock, and the reload
// time of a store holding them (a restart).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TopicManager } from '@mq/partition';
import { SystemClock } from '@mq/timerwheel';
import { DelayStore, type DelayedMessage } from '../src/index';

const PENDING = Number(process.env.PENDING ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 1000);
const LEAD_MS = Number(process.env.LEAD_MS ?? 150_000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 60_000);
const PARTITIONS = 8;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  // The SystemClock's timers are unref'd (as a broker's): this keeps the process up while they run.
  const keepAlive = setInterval(() => undefined, 1_000);
  const dir = await mkdtemp(join(tmpdir(), 'mq-delay-bench-'));
  const clock = new SystemClock();
  const topics = await TopicManager.open({ dataDir: dir, clock });
  await topics.createTopic('target', PARTITIONS);
  const lateness = new Float64Array(PENDING);
  let delivered = 0;
  let allDelivered!: () => void;
  const done = new Promise<void>((r) => (allDelivered = r));
  const open = () =>
    DelayStore.open({
      topicManager: topics,
      clock,
      onDelivered: (ds) => {
        for (const d of ds) lateness[delivered++] = d.deliveredAt - d.dueAt;
        if (delivered >= PENDING) allDelivered();
      },
    });
  let store = await open();
  const value = Buffer.alloc(100, 'v');
  const rssBefore = process.memoryUsage().rss;
  const t0 = clock.now();
  const start = performance.now();
  for (let i = 0; i < PENDING; i += BATCH) {
    const batch: DelayedMessage[] = [];
    for (let j = i; j < Math.min(PENDING, i + BATCH); j++) {
      // Due times interleave across the window, so every batch holds early and late ones.
      const dueAt = t0 + LEAD_MS + Math.floor(((j * 7919) % PENDING) * (WINDOW_MS / PENDING));
      batch.push({ topic: 'target', partition: j % PARTITIONS, dueAt, timestamp: t0, key: Buffer.from(`k${j}`), value, headers: [] });
    }
    await store.schedule(batch);
  }
  const scheduleMs = performance.now() - start;
  // A restart with everything pending: the reload replays __mq_delayed and re-arms every timer.
  await store.close();
  const reloadStart = performance.now();
  store = await open();
  const reloadMs = performance.now() - reloadStart;
  globalThis.gc?.();
  const mem = process.memoryUsage();
  console.log(`pending: ${store.size.toLocaleString()} messages scheduled in ${(scheduleMs / 1000).toFixed(1)} s (${Math.round(PENDING / (scheduleMs / 1000)).toLocaleString()} msg/s, batches of ${BATCH})`);
  console.log(`reload (restart) with all pending: ${(reloadMs / 1000).toFixed(1)} s`);
  console.log(`memory with all pending: rss ${mib(mem.rss)} (before: ${mib(rssBefore)}), heap used ${mib(mem.heapUsed)}, external+arrayBuffers ${mib(mem.external + mem.arrayBuffers)}`);
  // Due times already past when the timers were armed would measure the load, not the store.
  if (clock.now() > t0 + LEAD_MS) throw new Error(`scheduling and reloading took until past LEAD_MS=${LEAD_MS}: raise it to measure lateness`);
  await done;
  await store.idle();
  const sorted = lateness.slice(0, delivered).sort();
  console.log(
    `delivery lateness over ${delivered.toLocaleString()} messages due across ${WINDOW_MS / 1000} s: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`,
  );
  const partitions = topics.get('target')!.partitions;
  let appended = 0n;
  for (const p of partitions) appended += p.highWatermark;
  console.log(`appended to the target: ${appended.toLocaleString()} records; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await store.close();
  await topics.close();
  clock.cancelAll();
  await rm(dir, { recursive: true, force: true });
  clearInterval(keepAlive);
}

await main();
