// 1M timers scheduled, half cancelled, the rest fired. Two parts:
//  1. structure only, in virtual time (no Node timers, no waiting): the wheel (Timer) vs a binary heap;
//  2. real time: SystemClock vs the heap behind one Node timer vs plain setTimeout/clearTimeout —
//     ops/s per phase, CPU spent firing, how late timers fired, heap bytes per pending timer.
import { performance } from 'node:perf_hooks';
import { SystemClock, Timer } from '../src/index';
import { BinaryHeapTimer, HeapClock } from './binary-heap-timer';

const TIMERS = Number(process.env.TIMERS ?? 1_000_000);
/** Real-time part: first deadline this far out, so scheduling (seconds under load) ends before any fires. */
const OFFSET_MS = Number(process.env.OFFSET_MS ?? 10_000);
const SPREAD_MS = Number(process.env.SPREAD_MS ?? 1_000);
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Deterministic delays, the same for every contender: uniform in [0, spread). */
function delays(n: number, spread: number): Float64Array {
  const out = new Float64Array(n);
  let x = 42;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out[i] = x % spread;
  }
  return out;
}

const rate = (n: number, ms: number) => n / (ms / 1000);
/**
 * Process CPU ms (user + system, GC threads included). Phases are timed in CPU time, not wall time:
 * on a shared, loaded machine wall time mostly measures how long other processes held the cores.
 */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`);
const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');

// ---- 1. virtual time --------------------------------------------------------------------------

interface Pure<E> {
  add(deadline: number, fn: () => void): E;
  cancel(e: E): boolean;
  advanceTo(now: number): unknown;
}

function virtualRun<E>(make: () => Pure<E>, ds: Float64Array, spreadMs: number): { add: number; cancel: number; fire: number } {
  const t = make();
  const entries = new Array<E>(ds.length);
  let fired = 0;
  const fn = () => {
    fired++;
  };
  const a0 = cpuMs();
  for (let i = 0; i < ds.length; i++) entries[i] = t.add(ds[i]!, fn);
  const a1 = cpuMs();
  for (let i = 1; i < ds.length; i += 2) t.cancel(entries[i]!);
  const a2 = cpuMs();
  // Advance 1 ms at a time, as a real clock would wake up.
  for (let now = 0; now <= spreadMs; now++) t.advanceTo(now);
  const a3 = cpuMs();
  if (fired !== ds.length - Math.floor(ds.length / 2)) throw new Error(`fired ${fired}`);
  return { add: rate(ds.length, a1 - a0), cancel: rate(Math.floor(ds.length / 2), a2 - a1), fire: rate(fired, a3 - a2) };
}

function virtualPart(): void {
  const spread = 60_000;
  const ds = delays(TIMERS, spread);
  const wheel = () => {
    const t = new Timer();
    return { add: (d: number, fn: () => void) => t.add(d, fn), cancel: t.cancel.bind(t), advanceTo: (n: number) => t.advanceTo(n, () => {}) };
  };
  const heap = () => new BinaryHeapTimer();
  virtualRun(wheel, delays(100_000, spread), spread); // warm-up
  virtualRun(heap, delays(100_000, spread), spread);
  const w = [22, 11, 11, 11];
  console.log(`\n1. structure only, virtual time: ${TIMERS} timers, deadlines uniform in [0, ${spread}) ms, advanced 1 ms at a time`);
  console.log(row(['per CPU-second', 'add', 'cancel', 'fire'], w));
  for (const [name, make] of [
    ['timing wheel (Timer)', wheel],
    ['binary heap', heap],
  ] as const) {
    const r = virtualRun(make as () => Pure<unknown>, ds, spread);
    console.log(row([name, fmt(r.add), fmt(r.cancel), fmt(r.fire)], w));
  }
}

// ---- 2. real time -----------------------------------------------------------------------------

interface Contender {
  readonly name: string;
  make(): { schedule(delayMs: number, fn: () => void): () => unknown };
}

const contenders: Contender[] = [
  // keepAlive: the bench awaits the timers (unref'd ones would let the process exit).
  { name: 'timerwheel SystemClock', make: () => new SystemClock({ keepAlive: true }) },
  { name: 'binary heap + 1 Node timer', make: () => new HeapClock() },
  {
    name: 'setTimeout / clearTimeout',
    make: () => ({
      schedule(delayMs: number, fn: () => void) {
        const t = setTimeout(fn, delayMs);
        return () => clearTimeout(t);
      },
    }),
  },
];

async function realRun(c: Contender, ds: Float64Array, offsetMs: number, warmUp = false) {
  const clock = c.make();
  const n = ds.length;
  const cancels = new Array<() => unknown>(n);
  const dueAt = new Float64Array(n);
  const lateness = new Float64Array(n - Math.floor(n / 2));
  let fired = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const base = heapUsed();
  const s0 = performance.now();
  const sCpu0 = cpuMs();
  for (let i = 0; i < n; i++) {
    const delay = offsetMs + ds[i]!;
    dueAt[i] = performance.now() + delay;
    cancels[i] = clock.schedule(delay, () => {
      lateness[fired++] = performance.now() - dueAt[i]!;
      if (fired === lateness.length) resolveDone();
    });
  }
  const sCpu1 = cpuMs();
  const bytesPerTimer = (heapUsed() - base) / n;
  const c0 = cpuMs();
  for (let i = 1; i < n; i += 2) cancels[i]!();
  const c1 = cpuMs();
  if (!warmUp && performance.now() > s0 + offsetMs) console.log(`  (${c.name}: scheduling outlasted OFFSET_MS; lateness figures include that backlog)`);
  const f0 = cpuMs();
  await done;
  const fireCpuMs = cpuMs() - f0;
  const sorted = Array.from(lateness).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return {
    schedule: rate(n, sCpu1 - sCpu0),
    cancel: rate(Math.floor(n / 2), c1 - c0),
    fireCpuMs,
    fire: rate(fired, fireCpuMs),
    late: `${pct(0.5).toFixed(1)} / ${pct(0.99).toFixed(1)} / ${sorted[sorted.length - 1]!.toFixed(1)}`,
    bytesPerTimer,
  };
}

async function realPart(): Promise<void> {
  const ds = delays(TIMERS, SPREAD_MS);
  for (const c of contenders) await realRun(c, delays(50_000, 200), 300, true);
  console.log(
    `\n2. real time: ${TIMERS} timers due in [${OFFSET_MS}, ${OFFSET_MS + SPREAD_MS}) ms, every other one cancelled, the rest fired`,
  );
  const w = [27, 10, 10, 10, 10, 22, 8];
  console.log(row(['per CPU-second', 'schedule', 'cancel', 'fire CPU', 'fire', 'late p50 / p99 / max ms', 'B/timer'], w));
  for (const c of contenders) {
    const r = await realRun(c, ds, OFFSET_MS);
    console.log(
      row(
        [
          c.name,
          fmt(r.schedule),
          fmt(r.cancel),
          `${r.fireCpuMs.toFixed(0)} ms`,
          fmt(r.fire),
          r.late,
          gc === undefined ? 'n/a' : r.bytesPerTimer.toFixed(0),
        ],
        w,
      ),
    );
  }
  console.log('fire CPU: process CPU ms from the end of cancelling until the last timer fired; late: ms after its deadline.');
}

if (gc === undefined) console.log('(run with --expose-gc for memory figures)');
console.log(`node ${process.version}, ${new Date().toISOString()}`);
virtualPart();
await realPart();
