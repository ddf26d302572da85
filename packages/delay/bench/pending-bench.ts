// Delay-store benchmark: PENDING messages (default 1,000,000, 100-byte values) scheduled through a
// real DelayStore on a temp data dir (the broker's default flush policy: fsync before every
// acknowledgement), due over WINDOW_MS starting LEAD_MS after the start, spread over 8 target
// partitions. Prints the RSS and heap with every message pending, the scheduling rate, then each
// delivery's lateness (append completed − due time) p50/p99/max on a SystemClock, and the reload
// time of a store holding them (a restart). Where the lateness comes from: the target appends'
// durations (a writer wrapping the local one), the wait from due to the append's start (timer,
// rounds in front, the marker write), event-loop stalls and GC pauses during the delivery window.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { TopicManager } from '@mq/partition';
import { SystemClock } from '@mq/timerwheel';
import { DELAYED_TOPIC, DelayStore, type DelayTargetWriter, type DelayedMessage, localTargetWriter } from '../src/index';

const PENDING = Number(process.env.PENDING ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 1000);
const LEAD_MS = Number(process.env.LEAD_MS ?? 150_000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 60_000);
const PARTITIONS = 8;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** p50 / p99 / max of the first `n` values. */
function spread(values: Float64Array, n: number): string {
  const sorted = values.slice(0, n).sort();
  return n === 0 ? 'none' : `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted[n - 1]!)}`;
}

interface Durations {
  readonly values: Float64Array;
  count: number;
}

const durations = (): Durations => ({ values: new Float64Array(1_000_000), count: 0 });

async function timed<T>(d: Durations, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    if (d.count < d.values.length) d.values[d.count++] = performance.now() - start;
  }
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
  // Each target append, and each write to __mq_delayed (while delivering: the rounds' markers and tombstones), timed.
  const appends = durations();
  const rounds = durations();
  const local = localTargetWriter(topics);
  const writer: DelayTargetWriter = {
    maxMessageBytes: (topic, partition) => local.maxMessageBytes(topic, partition),
    append: (topic, partition, batch) => timed(appends, () => local.append(topic, partition, batch)),
  };
  let allDelivered!: () => void;
  const done = new Promise<void>((r) => (allDelivered = r));
  const open = () =>
    DelayStore.open({
      topicManager: topics,
      clock,
      writer,
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
  // With --expose-gc: one full GC with everything pending, timed (what a mark-compact costs the loop).
  // CPU time too: on a shared machine the wall time is mostly waiting for a core.
  const gcStart = performance.now();
  const gcCpu = process.cpuUsage();
  globalThis.gc?.();
  const fullGcMs = performance.now() - gcStart;
  const fullGcCpuMs = cpuMs(process.cpuUsage(gcCpu));
  const mem = process.memoryUsage();
  console.log(`pending: ${store.size.toLocaleString()} messages scheduled in ${(scheduleMs / 1000).toFixed(1)} s (${Math.round(PENDING / (scheduleMs / 1000)).toLocaleString()} msg/s, batches of ${BATCH})`);
  console.log(`reload (restart) with all pending: ${(reloadMs / 1000).toFixed(1)} s`);
  console.log(`memory with all pending: rss ${mib(mem.rss)} (before: ${mib(rssBefore)}), heap used ${mib(mem.heapUsed)}, external+arrayBuffers ${mib(mem.external + mem.arrayBuffers)}`);
  if (globalThis.gc !== undefined) console.log(`a full GC with all pending: ${ms(fullGcMs)} (CPU ${ms(fullGcCpuMs)})`);
  // Due times already past when the timers were armed would measure the load, not the store.
  if (clock.now() > t0 + LEAD_MS) throw new Error(`scheduling and reloading took until past LEAD_MS=${LEAD_MS}: raise it to measure lateness`);
  // Stalls of the event loop and GC pauses while the messages come due.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const gcPauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push(e.duration);
  });
  await new Promise<void>((r) => clock.schedule(Math.max(0, t0 + LEAD_MS - clock.now() - 100), r));
  for (const p of topics.get(DELAYED_TOPIC)!.partitions) {
    const append = p.append.bind(p);
    p.append = (records, check) => timed(rounds, () => append(records, check));
  }
  appends.count = 0;
  loop.enable();
  gc.observe({ entryTypes: ['gc'] });
  const deliveryCpu = process.cpuUsage();
  await done;
  await store.idle();
  const deliveryCpuMs = cpuMs(process.cpuUsage(deliveryCpu));
  loop.disable();
  gc.disconnect();
  const sorted = lateness.slice(0, delivered).sort();
  console.log(
    `delivery lateness over ${delivered.toLocaleString()} messages due across ${WINDOW_MS / 1000} s: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`,
  );
  console.log(`__mq_delayed writes (${rounds.count.toLocaleString()}): ${spread(rounds.values, rounds.count)}; target appends (${appends.count.toLocaleString()}): ${spread(appends.values, appends.count)}`);
  console.log(
    `process CPU while delivering: ${(deliveryCpuMs / 1000).toFixed(1)} s; event-loop delay: p50 ${ms(loop.percentile(50) / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}; GC pauses: ${gcPauses.length}, ${ms(gcPauses.reduce((a, b) => a + b, 0))} in all, longest ${ms(Math.max(0, ...gcPauses))}`,
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
