// `pnpm bench:compare`: mq, NATS JetStream and Redis Streams started on 127.0.0.1 in one run, the same
// workloads against each (100 B and 1 KiB: produce throughput, consumer-group consume throughput,
// end-to-end latency at a fixed 10k msg/s; broker start-up, RSS and CPU). Prints ratios ours/peer,
// writes tooling/bench/results/compare.{json,svg} and the "compare" section of BENCHMARKS.md.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMq, runNats, runRedis, type SystemReport, type Workload } from './compare-systems';
import { NODE_CLIENTS_SYSTEM, nodeClientsSettings, nodeClientsTable, runNodeClients } from './node-clients';
import { machineLine, writeSection } from './markdown-section';
import { ensureBrokerBuilt, REPO_ROOT } from './mq-broker';
import { writeRecordFile } from './payloads';
import { ensurePeerTools } from './peers';
import { markdownTable, type ResultRow } from './result-table';
import { fmtMs, fmtRate } from './stats';
import { renderCharts, type ChartGroup } from './svg-chart';

const SIZES = [100, 1024];
/** Kafka-style time-based flush once a second instead of mq's fsync-before-ack default: Redis AOF everysec's durability. */
const MQ_1S_PROPS = { 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000 };
const quick = process.env.BENCH_QUICK === '1';
/** e.g. BENCH_SYSTEMS=nats,redis to run a subset while debugging; `node` is the Node-clients run alone. */
const ONLY = process.env.BENCH_SYSTEMS?.toLowerCase().split(',');
const workloadBase = {
  sizes: SIZES,
  nodeCount: (size: number) => (quick ? 20_000 : size <= 100 ? 200_000 : 100_000),
  nativeCount: (size: number) => (quick ? 50_000 : size <= 100 ? 1_000_000 : 300_000),
  rate: 10_000,
  latencyMs: quick ? 2_000 : 5_000,
};
/** Records per Node client in the Node-clients run: enough for @mq/client at ~1 M msg/s to run for a while. */
const nodeClientsCount = (size: number): number => (quick ? 20_000 : size <= 100 ? 500_000 : 200_000);

type Series = { label: string; pick: (r: ResultRow) => boolean };
const MQ = 'mq';
const MQ_1S = 'mq fsync/1s';
const SERIES: Series[] = [
  { label: 'mq (kcat)', pick: (r) => r.system === MQ && r.client === 'kcat' },
  { label: 'mq (kafkajs)', pick: (r) => r.system === MQ && r.client === 'kafkajs' },
  { label: 'mq fsync/1s (kcat)', pick: (r) => r.system === MQ_1S && r.client === 'kcat' },
  { label: 'mq fsync/1s (kafkajs)', pick: (r) => r.system === MQ_1S && r.client === 'kafkajs' },
  { label: 'NATS (nats.js)', pick: (r) => r.system === 'NATS JetStream' },
  { label: 'Redis (ioredis)', pick: (r) => r.system === 'Redis Streams' && r.client === 'ioredis' },
  { label: 'Redis (redis-benchmark)', pick: (r) => r.system === 'Redis Streams' && r.client === 'redis-benchmark' },
];

function value(rows: ResultRow[], s: Series, workload: string, size: number, metric: 'msgsPerSec' | 'p99'): number | undefined {
  return rows.find((r) => s.pick(r) && r.workload === workload && r.size === size)?.[metric];
}

function best(rows: ResultRow[], system: string, workload: string, size: number, metric: 'msgsPerSec' | 'p99'): number | undefined {
  const vals = rows.filter((r) => r.system === system && r.workload === workload && r.size === size).map((r) => r[metric]).filter((v): v is number => v !== undefined);
  if (vals.length === 0) return undefined;
  return metric === 'p99' ? Math.min(...vals) : Math.max(...vals);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`;
}

function ratioTable(rows: ResultRow[]): string {
  const pairs: [string, string][] = [
    [MQ, 'NATS JetStream'],
    [MQ, 'Redis Streams'],
    [MQ_1S, 'NATS JetStream'],
    [MQ_1S, 'Redis Streams'],
  ];
  const short = (sys: string): string => sys.split(' ')[0]!;
  const out = [
    `| workload | size | ${SERIES.map((s) => s.label).join(' | ')} | ${pairs.map(([a, b]) => `${a} / ${short(b)}`).join(' | ')} |`,
    `|---|---:|${SERIES.map(() => '---:').join('|')}|${pairs.map(() => '---:').join('|')}|`,
  ];
  for (const workload of ['produce', 'consume', 'latency'] as const) {
    const metric = workload === 'latency' ? 'p99' : 'msgsPerSec';
    const fmt = (v: number | undefined): string => (v === undefined ? '–' : metric === 'p99' ? `${fmtMs(v)} ms` : `${fmtRate(v)}/s`);
    for (const size of SIZES) {
      const cells = SERIES.map((s) => fmt(value(rows, s, workload, size, metric)));
      const ratios = pairs.map(([a, b]) => {
        // The read path does not depend on the flush policy: mq fsync/1s reuses mq's consume figures.
        const ours = best(rows, a, workload, size, metric) ?? (workload === 'consume' ? best(rows, MQ, workload, size, metric) : undefined);
        return ratio(ours, best(rows, b, workload, size, metric));
      });
      out.push(`| ${workload === 'latency' ? 'e2e p99 @10k/s' : `${workload} msgs/s`} | ${size} B | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
    }
  }
  return out.join('\n');
}

function resourceTable(reports: SystemReport[]): string {
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  return [
    '| system | start-up to first accepted connection | idle RSS MB | RSS after run MB | peak RSS MB | CPU time for the whole run s |',
    '|---|---:|---:|---:|---:|---:|',
    ...reports.map((r) => `| ${r.system} | ${r.startupMs.toFixed(0)} ms | ${mb(r.idleRssBytes)} | ${mb(r.endRssBytes)} | ${mb(r.peakRssBytes)} | ${(r.cpuMs / 1000).toFixed(1)} |`),
  ].join('\n');
}

function chartSvg(rows: ResultRow[], reports: SystemReport[]): string {
  const groups = (workload: string, metric: 'msgsPerSec' | 'p99'): ChartGroup[] =>
    SIZES.map((size) => ({
      label: `${size} B`,
      values: Object.fromEntries(SERIES.map((s) => [s.label, value(rows, s, workload, size, metric) ?? Number.NaN])),
    }));
  const labels = SERIES.map((s) => s.label);
  return renderCharts(`mq vs NATS JetStream vs Redis Streams — ${machineLine()}`, [
    { title: 'Produce throughput, one producer (msgs/s, higher is better)', unit: 'msgs/s', series: labels, groups: groups('produce', 'msgsPerSec'), format: fmtRate },
    { title: 'Consume throughput via consumer groups (msgs/s, higher is better)', unit: 'msgs/s', series: labels, groups: groups('consume', 'msgsPerSec'), format: fmtRate },
    { title: 'End-to-end latency p99 at 10k msg/s (ms, lower is better)', unit: 'ms', series: labels, groups: groups('latency', 'p99'), format: (v) => fmtMs(v) },
    {
      title: 'Broker memory (MB, lower is better)',
      unit: 'MB',
      series: reports.map((r) => r.system),
      groups: [
        { label: 'idle RSS', values: Object.fromEntries(reports.map((r) => [r.system, r.idleRssBytes / 1e6])) },
        { label: 'peak RSS', values: Object.fromEntries(reports.map((r) => [r.system, r.peakRssBytes / 1e6])) },
      ],
      format: (v) => v.toFixed(0),
    },
  ]);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadBefore = loadavg()[0]!;
  ensurePeerTools();
  if (ONLY === undefined || ONLY.includes('mq')) ensureBrokerBuilt();
  const work = await mkdtemp(join(tmpdir(), 'mq-compare-'));
  try {
    const files = new Map<number, string>();
    for (const size of SIZES) {
      const f = join(work, `records-${size}.txt`);
      await writeRecordFile(f, workloadBase.nativeCount(size), size);
      files.set(size, f);
    }
    const w: Workload = { ...workloadBase, recordFile: (size) => files.get(size)! };
    const reports: SystemReport[] = [];
    for (const [name, run] of [
      [MQ, () => runMq(MQ, {}, join(work, 'mq'), work, w, { consume: true })],
      [MQ_1S, () => runMq(MQ_1S, MQ_1S_PROPS, join(work, 'mq-1s'), work, w, { consume: false })],
      ['NATS JetStream', async () => (await mkdir(join(work, 'nats'), { recursive: true }), runNats(join(work, 'nats'), w))],
      ['Redis Streams', async () => (await mkdir(join(work, 'redis'), { recursive: true }), runRedis(join(work, 'redis'), w))],
      [NODE_CLIENTS_SYSTEM, () => runNodeClients(join(work, 'node-clients'), work, w, nodeClientsCount)],
    ] as const) {
      if (ONLY !== undefined && !ONLY.some((o) => (name === NODE_CLIENTS_SYSTEM ? o === 'node' : name.toLowerCase().startsWith(o)))) continue;
      process.stderr.write(`bench:compare: ${name}...\n`);
      reports.push(await run());
    }
    const nodeReport = reports.find((r) => r.system === NODE_CLIENTS_SYSTEM);
    const systems = reports.filter((r) => r !== nodeReport);
    const rows = systems.flatMap((r) => r.rows);
    if (nodeReport !== undefined) {
      const nodeBody = [
        '## Node clients: `pnpm bench:compare` (BENCH_SYSTEMS=node runs only this)',
        '',
        `Measured ${machineLine()}, all on 127.0.0.1, in one run (1-min load average ${loadBefore.toFixed(2)} at the start of bench:compare, ${loadavg()[0]!.toFixed(2)} after this run).`,
        '',
        ...nodeClientsSettings(w, nodeClientsCount),
        '',
        nodeClientsTable(nodeReport.rows),
        '',
        '<details><summary>All rows</summary>',
        '',
        markdownTable(nodeReport.rows),
        '',
        '</details>',
      ].join('\n');
      process.stdout.write(`\n${nodeBody}\n`);
      writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'node-clients', nodeBody);
      await mkdir(join(REPO_ROOT, 'tooling/bench/results'), { recursive: true });
      await writeFile(join(REPO_ROOT, 'tooling/bench/results/node-clients.json'), JSON.stringify({ date: new Date().toISOString(), report: nodeReport }, null, 2));
    }
    // The systems comparison is rewritten only by a run that measured the systems.
    if (systems.length === 0) return;
    const svg = chartSvg(rows, systems);
    const resultsDir = join(REPO_ROOT, 'tooling/bench/results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'compare.svg'), svg);
    await writeFile(join(resultsDir, 'compare.json'), JSON.stringify({ date: new Date().toISOString(), reports: systems }, null, 2));
    const body = [
      `## Side by side: \`pnpm bench:compare\``,
      '',
      `Measured ${machineLine()}, all on 127.0.0.1, one system at a time, in ${((performance.now() - t0) / 1000).toFixed(0)} s (1-min load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after: other work on the machine shows up as noise, above all in the latency tails).`,
      '',
      '**Settings (what makes the comparison fair or not):**',
      '- mq: apps/broker child process, 1 partition per topic (one ordered log, like one JetStream stream or one Redis stream), acks=-1. **mq** = defaults: every acknowledged write is fsynced first (flush.messages=1, group commit), the most durable setting in this table. **mq fsync/1s** = `log.flush.interval.ms=1000` with `log.flush.interval.messages=9223372036854775807` (fsync once a second; `log.flush.interval.ms` alone changes nothing while messages is 1, Redis AOF everysec\'s durability; consume figures are shared, the read path does not change). kcat: `-X linger.ms=5 -X batch.num.messages=10000` from a pre-generated file; consume `kcat -G` (librdkafka balanced consumer). kafkajs: batches of 1000, 4 sends in flight; consume with a kafkajs consumer group (eachBatch, auto-commit).',
      '- NATS JetStream: `nats-server -js` 2.9, file storage, no fsync per message (its default: writes go to the page cache); nats.js `js.publish` with 1000 PubAcks outstanding; durable pull consumer, AckPolicy.All acked every 500 messages.',
      '- Redis Streams: `redis-server --appendonly yes --appendfsync everysec`; ioredis pipelines of 1000 XADD, 4 in flight; `redis-benchmark -c 1 -P 100 XADD`; consumer group XREADGROUP COUNT 1000 + XACK per batch.',
      `- Latency: payload carries its send time; producer paced at ${workloadBase.rate} msg/s for ${workloadBase.latencyMs / 1000} s in ~1 ms bursts; consumer in the same process (kcat -u tail for mq kcat).`,
      '- Consume throughput is timed from the first message received to the last (group join and start-up excluded for every system).',
      '- Ratios are ours/peer, each system with its best client in that row: above 1× is better for throughput, below 1× is better for latency.',
      '',
      ratioTable(rows),
      '',
      resourceTable(systems),
      '',
      ...systems.flatMap((r) => r.notes),
      '',
      '![mq vs NATS JetStream vs Redis Streams](tooling/bench/results/compare.svg)',
      '',
      '<details><summary>All rows</summary>',
      '',
      markdownTable(rows),
      '',
      '</details>',
    ].join('\n');
    process.stdout.write(`\n${body}\n`);
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'compare', body);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:compare failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
