// Preloaded into a benchmarked broker (node --import): event-loop delay (perf_hooks
// monitorEventLoopDelay, 1 ms resolution) and GC pauses (PerformanceObserver 'gc'). On SIGUSR2 it
// writes what it saw since the previous SIGUSR2 to $MQ_BENCH_PROBE_FILE as JSON and starts afresh,
// so a bench can bracket exactly its measurement window. Bench-only: the broker does not load it.
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.MQ_BENCH_PROBE_FILE;
if (file) {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  let gc = [];
  const kinds = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb', 16: 'minor' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push({ ms: e.duration, kind: kinds[e.detail?.kind] ?? String(e.detail?.kind) });
  }).observe({ entryTypes: ['gc'] });
  let since = performance.now();
  process.on('SIGUSR2', () => {
    const ms = (ns) => ns / 1e6;
    const pauses = gc.map((g) => g.ms).sort((a, b) => a - b);
    const pct = (p) => (pauses.length === 0 ? 0 : pauses[Math.min(pauses.length - 1, Math.ceil((p / 100) * pauses.length) - 1)]);
    const out = {
      windowMs: performance.now() - since,
      eventLoopDelay: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), p999: ms(eld.percentile(99.9)), max: ms(eld.max) },
      gc: {
        count: pauses.length,
        major: gc.filter((g) => g.kind === 'major').length,
        totalMs: pauses.reduce((a, b) => a + b, 0),
        p99: pct(99),
        max: pauses.at(-1) ?? 0,
      },
    };
    writeFileSync(file, JSON.stringify(out));
    eld.reset();
    gc = [];
    since = performance.now();
  });
}
