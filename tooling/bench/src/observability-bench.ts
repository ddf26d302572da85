// `pnpm --filter @mq/bench bench:observability`: what metrics and tracing cost on produce and
// fetch. One broker child per mode (apps/broker/src/main.ts through tsx, so no build is needed): no
// HTTP listener (metrics off) and tracing off as the baseline, then metrics on (/metrics served),
// tracing at 1 % and 100 % of records, and both. kafkajs produces BENCH_MESSAGES (200,000) 100-byte
// records in sends of 100, 4 in flight, acks=-1, then a kafkajs consumer group reads them all back
// (each Fetch traced as mq.fetch of the sampled records, each commit as mq.commit); modes run
// round-robin BENCH_RUNS (3) times and the medians are reported. Fsync is off (page cache) so the
// CPU cost is not hidden behind the disk. The 1-minute load average before the runs goes in the
// figures' header (the machine may be shared); BENCH_NOTE adds a line. Figures go to BENCHMARKS.md
// (section observability); they are never asserted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient, kafkajsConsume, kafkajsProduce } from './kafkajs-load';
import { machineLine, writeSection } from './markdown-section';
import { REPO_ROOT } from './mq-broker';
import { freePort, ServerProcess } from './server-process';
import { summarize } from './stats';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TSX = join(REPO_ROOT, 'apps/broker/node_modules/.bin/tsx');
const MAIN = join(REPO_ROOT, 'apps/broker/src/main.ts');

interface Mode {
  readonly name: string;
  readonly metrics: boolean;
  readonly sampling: string;
}

const MODES: readonly Mode[] = [
  { name: 'baseline (metrics off, tracing off)', metrics: false, sampling: 'off' },
  { name: 'metrics on', metrics: true, sampling: 'off' },
  { name: 'tracing 1 %', metrics: false, sampling: '0.01' },
  { name: 'tracing 100 %', metrics: false, sampling: 'always' },
  { name: 'metrics on + tracing 1 %', metrics: true, sampling: '0.01' },
];

interface Run {
  readonly perSecond: number;
  readonly p99: number;
  /** Consumer-group read of the same records, msg/s. */
  readonly fetchPerSecond: number;
}

async function runOnce(mode: Mode, work: string, run: number): Promise<Run> {
  const dataDir = join(work, `${mode.sampling}-${mode.metrics}-${run}`);
  const config = join(work, `config-${run}-${MODES.indexOf(mode)}.json`);
  await writeFile(
    config,
    JSON.stringify({
      'log.flush.interval.messages': '9223372036854775807',
      'log.flush.interval.ms': 1000,
      'trace.sampling': mode.sampling,
      ...(mode.metrics ? { 'http.port': await freePort() } : {}),
    }),
  );
  const port = await freePort();
  const args = ['--conditions=@mq/source', MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--config', config, '--log-level', 'warn'];
  const broker = await ServerProcess.start({ name: 'mq', cmd: TSX, args, port }, 180_000);
  try {
    const kafka = kafkaClient(`127.0.0.1:${port}`);
    await kafkajsProduce(kafka, 'warmup', 20_000, 100, 100, 4);
    const r = await kafkajsProduce(kafka, 'bench', MESSAGES, 100, 100, 4);
    const c = await kafkajsConsume(kafka, 'bench', `bench-readers-${run}`, MESSAGES);
    return { perSecond: (r.messages / r.ms) * 1000, p99: summarize(r.sendLatencies).p99, fetchPerSecond: (c.messages / c.ms) * 1000 };
  } finally {
    await broker.stop(60_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const load = loadavg()[0]!.toFixed(2);
  const work = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'mq-observability-'));
  const results = new Map<Mode, Run[]>(MODES.map((m) => [m, []]));
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const mode of MODES) {
        const r = await runOnce(mode, work, run);
        results.get(mode)!.push(r);
        process.stderr.write(`${mode.name} run ${run + 1}: produce ${Math.round(r.perSecond)} msg/s, send p99 ${r.p99.toFixed(1)} ms, fetch ${Math.round(r.fetchPerSecond)} msg/s\n`);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const base = median(results.get(MODES[0]!)!.map((r) => r.perSecond));
  const fetchBase = median(results.get(MODES[0]!)!.map((r) => r.fetchPerSecond));
  const vs = (m: Mode, rate: number, baseline: number): string => (m === MODES[0] ? '—' : `${(((rate - baseline) / baseline) * 100).toFixed(1)} %`);
  const perRun = (xs: readonly number[]): string => xs.map((x) => Math.round(x).toLocaleString('en')).join(' / ');
  const rows = MODES.map((m) => {
    const runs = results.get(m)!;
    const rate = median(runs.map((r) => r.perSecond));
    const fetched = median(runs.map((r) => r.fetchPerSecond));
    const p99 = median(runs.map((r) => r.p99));
    return `| ${m.name} | ${Math.round(rate).toLocaleString('en')} | ${vs(m, rate, base)} | ${p99.toFixed(1)} | ${Math.round(fetched).toLocaleString('en')} | ${vs(m, fetched, fetchBase)} | ${perRun(runs.map((r) => r.perSecond))} | ${perRun(runs.map((r) => r.fetchPerSecond))} |`;
  });
  const body = [
    `${machineLine()}, 1-min load average ${load} before the runs${process.env.BENCH_NOTE !== undefined ? ` — ${process.env.BENCH_NOTE}` : ''}; ${MESSAGES.toLocaleString('en')} × 100 B records per run, kafkajs sends of 100, 4 in flight, acks=-1, then a kafkajs group reads them back; fsync off; median of ${RUNS} round-robin runs.`,
    '',
    '| mode | produce msg/s | vs baseline | send p99 ms | fetch msg/s | vs baseline | produce msg/s per run | fetch msg/s per run |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  process.stdout.write(`${body}\n`);
  writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'observability', body);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
