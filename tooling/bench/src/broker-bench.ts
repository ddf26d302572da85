// `pnpm bench` for our broker alone: 100-byte records produced and consumed through kcat (librdkafka,
// a C client, so the broker is what gets measured) and through kafkajs; msgs/s, MB/s, produce and
// end-to-end latency. Prints a table and rewrites the "broker-bench" section of BENCHMARKS.md.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient, kafkajsConsume, kafkajsLatency, kafkajsProduce } from './kafkajs-load';
import { kcatConsume, kcatConsumeGroup, kcatLatency, kcatProduce } from './kcat-load';
import { machineLine, writeSection } from './markdown-section';
import { ensureBrokerBuilt, REPO_ROOT, startMqBroker } from './mq-broker';
import { writeRecordFile } from './payloads';
import { markdownTable, throughputRow, type ResultRow } from './result-table';
import type { ServerProcess } from './server-process';
import { summarize } from './stats';
import { groupsSupported } from './groups-probe';

const SIZE = 100;
const KCAT_MESSAGES = Number(process.env.BENCH_KCAT_MESSAGES ?? 1_000_000);
const NODE_MESSAGES = Number(process.env.BENCH_NODE_MESSAGES ?? 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const RATE = 10_000;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5_000);

async function measured<T>(broker: ServerProcess, fn: () => Promise<T>): Promise<[T, number]> {
  const before = broker.sample().cpuMs;
  const out = await fn();
  return [out, broker.sample().cpuMs - before];
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const work = await mkdtemp(join(tmpdir(), 'mq-bench-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'broker.json');
  await writeFile(configFile, JSON.stringify({ 'num.partitions': PARTITIONS }));
  const input = join(work, 'records.txt');
  await writeRecordFile(input, KCAT_MESSAGES, SIZE);
  const broker = await startMqBroker(dataDir, configFile);
  const rows: ResultRow[] = [];
  const sys = 'mq';
  try {
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = broker.sample();
    const bootstrap = `127.0.0.1:${broker.spec.port}`;
    const kafka = kafkaClient(bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: ['bench-kcat', 'bench-kafkajs', 'bench-lat-kcat', 'bench-lat-kafkajs'].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
    await admin.disconnect();
    const groups = await groupsSupported('127.0.0.1', broker.spec.port);

    const [kp, kpCpu] = await measured(broker, () => kcatProduce(bootstrap, 'bench-kcat', input, KCAT_MESSAGES));
    rows.push(throughputRow({ system: sys, client: 'kcat', workload: 'produce', size: SIZE, messages: kp.messages, brokerCpuMs: kpCpu }, kp.ms));
    const [kc, kcCpu] = await measured(broker, () => kcatConsume(bootstrap, 'bench-kcat', KCAT_MESSAGES));
    rows.push(throughputRow({ system: sys, client: 'kcat -C', workload: 'consume', size: SIZE, messages: kc.messages, brokerCpuMs: kcCpu }, kc.ms));
    if (groups) {
      const [kg, kgCpu] = await measured(broker, () => kcatConsumeGroup(bootstrap, 'bench-kcat', 'bench-g-kcat', KCAT_MESSAGES));
      rows.push(throughputRow({ system: sys, client: 'kcat -G', workload: 'consume', size: SIZE, messages: kg.messages, brokerCpuMs: kgCpu }, kg.ms));
    }

    const [jp, jpCpu] = await measured(broker, () => kafkajsProduce(kafka, 'bench-kafkajs', NODE_MESSAGES, SIZE));
    const sendLat = summarize(jp.sendLatencies);
    rows.push({ ...throughputRow({ system: sys, client: 'kafkajs', workload: 'produce', size: SIZE, messages: jp.messages, brokerCpuMs: jpCpu }, jp.ms), p50: sendLat.p50, p99: sendLat.p99, p999: sendLat.p999, note: '(latency: per 1000-message send, 4 in flight)' });
    if (groups) {
      const [jc, jcCpu] = await measured(broker, () => kafkajsConsume(kafka, 'bench-kafkajs', 'bench-g-kafkajs', NODE_MESSAGES));
      rows.push(throughputRow({ system: sys, client: 'kafkajs group', workload: 'consume', size: SIZE, messages: jc.messages, brokerCpuMs: jcCpu }, jc.ms));
    }

    const [kl, klCpu] = await measured(broker, () => kcatLatency(bootstrap, 'bench-lat-kcat', SIZE, RATE, LATENCY_MS));
    const kls = summarize(kl);
    rows.push({ system: sys, client: 'kcat → kcat', workload: 'latency', size: SIZE, messages: kls.count, p50: kls.p50, p99: kls.p99, p999: kls.p999, brokerCpuMs: klCpu, note: `(end to end at ${RATE} msg/s, linger.ms=0, acks=-1)` });
    if (groups) {
      const [jl, jlCpu] = await measured(broker, () => kafkajsLatency(kafka, 'bench-lat-kafkajs', 'bench-g-lat', SIZE, RATE, LATENCY_MS));
      const e2e = summarize(jl.e2e);
      const send = summarize(jl.send);
      rows.push({ system: sys, client: 'kafkajs → kafkajs', workload: 'latency', size: SIZE, messages: e2e.count, p50: e2e.p50, p99: e2e.p99, p999: e2e.p999, brokerCpuMs: jlCpu, note: `(end to end at ${RATE} msg/s; send() p50 ${send.p50.toFixed(2)} / p99 ${send.p99.toFixed(2)} ms)` });
    }

    const end = broker.sample();
    const table = markdownTable(rows);
    const summary = [
      `Measured ${machineLine()}; broker = apps/broker/dist/main.js child process, ${PARTITIONS} partitions per topic, default flush policy (every acknowledged write fsynced first, group commit), log level warn.`,
      `kcat: \`kcat -P -l FILE -X linger.ms=5 -X batch.num.messages=10000\` (acks=-1), \`kcat -C -e -o beginning\`. kafkajs: batches of 1000, 4 sends in flight, acks=-1, no compression.`,
      `1-min load average at the end: ${loadavg()[0]!.toFixed(2)}. Consume rates are timed from the first message received to the last.`,
      `Broker start-up to first accepted connection: ${broker.startupMs.toFixed(0)} ms; idle RSS ${(idle.rssBytes / 1e6).toFixed(1)} MB; RSS after the run ${(end.rssBytes / 1e6).toFixed(1)} MB (peak ${(end.peakRssBytes / 1e6).toFixed(1)} MB); broker CPU total ${(end.cpuMs / 1000).toFixed(1)} s.`,
      groups ? '' : 'Consumer-group rows are missing: the broker did not advertise the group APIs at the time of this run.',
      '',
      table,
    ].join('\n');
    process.stdout.write(`\n${summary}\n`);
    await writeFile(join(REPO_ROOT, 'tooling/bench/results/broker-bench.json'), JSON.stringify({ date: new Date().toISOString(), startupMs: broker.startupMs, idle, end, rows }, null, 2));
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'broker-bench', `## Broker alone: \`pnpm bench\`\n\n${summary}`);
  } finally {
    await broker.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
