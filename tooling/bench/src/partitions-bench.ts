// `pnpm --filter @mq/bench bench:partitions`: a broker child under `prlimit --nofile=4096` gets
// BENCH_PARTITIONS (default 10,000) partitions through batched CreateTopics and a produce to a sample,
// then is stopped (SIGTERM) and restarted BENCH_RUNS (3) times: start-up to the first accepted
// connection, graceful stop time and exit code. An empty data dir start is the baseline (Node itself).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient } from './kafkajs-load';
import { machineLine, writeSection } from './markdown-section';
import { BROKER_MAIN, ensureBrokerBuilt, REPO_ROOT } from './mq-broker';
import { freePort, ServerProcess } from './server-process';

const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NOFILE = 4096;
const PER_TOPIC = 1_000;

async function start(dataDir: string, configFile: string): Promise<ServerProcess> {
  const port = await freePort();
  const args = [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, BROKER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--config', configFile, '--log-level', 'warn'];
  return ServerProcess.start({ name: 'mq', cmd: 'prlimit', args, port }, 120_000);
}

async function stop(server: ServerProcess): Promise<{ ms: number; code: number | null }> {
  const r = await server.stop(120_000);
  if (r.killed) throw new Error('broker ignored SIGTERM for 120 s');
  return { ms: r.ms, code: server.child.exitCode };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const work = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'mq-partitions-'));
  const configFile = join(work, 'broker.json');
  await writeFile(configFile, JSON.stringify({ 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000 }));
  try {
    const empty = await start(join(work, 'empty'), configFile);
    const emptyStart = empty.startupMs;
    const emptyCpu = empty.sample().cpuMs;
    await stop(empty);

    const dataDir = join(work, 'data');
    let server = await start(dataDir, configFile);
    const bootstrap = `127.0.0.1:${server.spec.port}`;
    const admin = kafkaClient(bootstrap).admin();
    await admin.connect();
    const topics = Array.from({ length: Math.ceil(PARTITIONS / PER_TOPIC) }, (_, i) => `p-${i}`);
    const t0 = performance.now();
    for (let i = 0; i < topics.length; i += 5) {
      await admin.createTopics({ topics: topics.slice(i, i + 5).map((topic) => ({ topic, numPartitions: Math.min(PER_TOPIC, PARTITIONS - i * PER_TOPIC) })), timeout: 300_000 });
    }
    const createMs = performance.now() - t0;
    const producer = kafkaClient(bootstrap).producer();
    await producer.connect();
    for (const topic of topics) await producer.send({ topic, acks: -1, messages: [0, 7, 500].map((partition) => ({ partition, value: 'x'.repeat(100) })) });
    await producer.disconnect();
    await admin.disconnect();
    const firstStop = await stop(server);
    process.stderr.write(`bench:partitions: created ${PARTITIONS} in ${createMs.toFixed(0)} ms, stopped in ${firstStop.ms.toFixed(0)} ms (exit ${firstStop.code})\n`);

    const starts: number[] = [];
    const cpus: number[] = [];
    const stops: { ms: number; code: number | null }[] = [];
    for (let r = 0; r < RUNS; r++) {
      server = await start(dataDir, configFile);
      starts.push(server.startupMs);
      // CPU the broker used until it accepted: what start costs, whatever else the machine runs.
      cpus.push(server.sample().cpuMs);
      stops.push(await stop(server));
      process.stderr.write(`bench:partitions: restart ${r + 1}: up in ${server.startupMs.toFixed(0)} ms, stop ${stops[r]!.ms.toFixed(0)} ms (exit ${stops[r]!.code})\n`);
    }
    const body = [
      '## Many partitions: `pnpm --filter @mq/bench bench:partitions`',
      '',
      `Measured ${machineLine()}, shared 2-core VM, under load from parallel work. Broker child under \`prlimit --nofile=${NOFILE}\`, default \`log.max.open.files\` (half the limit), fsync once a second. Start-up = spawn to the first accepted TCP connection (includes starting Node: ${emptyStart.toFixed(0)} ms, ${emptyCpu.toFixed(0)} ms CPU, on an empty data dir). CPU = the broker's user+sys time when it first accepted, which the other work on the machine does not inflate.`,
      '',
      '| step | wall time | broker CPU | exit code |',
      '|---|---:|---:|---:|',
      `| CreateTopics, ${PARTITIONS.toLocaleString('en-US')} partitions (${topics.length} topics, batches of 5) | ${(createMs / 1000).toFixed(1)} s | | |`,
      `| SIGTERM after create + produce to ${topics.length * 3} partitions | ${firstStop.ms.toFixed(0)} ms | | ${firstStop.code} |`,
      `| restart with ${PARTITIONS.toLocaleString('en-US')} partitions (median of ${RUNS}; runs: ${starts.map((s) => s.toFixed(0)).join(', ')} ms) | **${median(starts).toFixed(0)} ms** | ${median(cpus).toFixed(0)} ms | |`,
      `| SIGTERM of the idle restarted broker (median; runs: ${stops.map((s) => s.ms.toFixed(0)).join(', ')} ms) | ${median(stops.map((s) => s.ms)).toFixed(0)} ms | | ${stops.map((s) => s.code).join(', ')} |`,
    ].join('\n');
    process.stdout.write(`\n${body}\n`);
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'partitions', body);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:partitions failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
