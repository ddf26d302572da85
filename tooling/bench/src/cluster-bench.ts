// `pnpm --filter @mq/bench bench:cluster`: what replication costs. In one run, the same kcat loads
// against one mq broker (replication factor 1) and against a 3-broker cluster (startCluster: etcd +
// 3 mq-broker processes, replication factor 3, every follower in the ISR), both from the built
// apps/broker/dist/main.js and both acks=all: kcat produce throughput of BENCH_CLUSTER_MESSAGES
// (default 500,000) records of 100 B and 1 KiB to a 3-partition topic, and end-to-end latency
// (kcat -P at 10k msg/s, linger.ms=0 → kcat -C tail) p50/p99. Failover time is bench:failover's.
// Writes the figures into BENCHMARKS.md (section "cluster").
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { kcatLatency, kcatProduce } from './kcat-load';
import { machineLine, writeSection } from './markdown-section';
import { BROKER_MAIN, REPO_ROOT, ensureBrokerBuilt, startMqBroker } from './mq-broker';
import { writeRecordFile } from './payloads';
import { fmtMB, fmtMs, fmtRate, summarize } from './stats';

const MESSAGES = Number(process.env.BENCH_CLUSTER_MESSAGES ?? 500_000);
const LATENCY_RATE = Number(process.env.BENCH_CLUSTER_LATENCY_RATE ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_CLUSTER_LATENCY_MS ?? 10_000);
const SIZES = [100, 1024];
const PARTITIONS = 3;
const ACKS_ALL = ['-X', 'request.required.acks=-1'];

interface Figures {
  readonly produce: Map<number, { msgPerSec: number; mbPerSec: number }>;
  readonly latency: { p50: number; p99: number; count: number };
}

async function createTopic(bootstrap: string, topic: string, replicationFactor: number): Promise<void> {
  const admin = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor }], waitForLeaders: true });
    // Measured with every replica in the ISR, so acks=all waits for all of them.
    for (let i = 0; i < 600; i++) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] });
      if (md.topics[0]!.partitions.every((p) => p.isr.length === replicationFactor)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${topic}: replicas not in sync within 60 s`);
  } finally {
    await admin.disconnect();
  }
}

async function measure(label: string, bootstrap: string, replicationFactor: number, files: Map<number, string>): Promise<Figures> {
  // Latency first: after the throughput runs the kernel is still writing back hundreds of MB, and
  // every fdatasync of the probe would wait behind it (measured: p99 92.6 ms after, against 7–8 ms).
  const latencyTopic = `cluster-bench-latency-${replicationFactor}`;
  await createTopic(bootstrap, latencyTopic, replicationFactor);
  const samples = await kcatLatency(bootstrap, latencyTopic, 100, LATENCY_RATE, LATENCY_MS);
  const s = summarize(samples);
  process.stdout.write(`${label}: end-to-end at ${fmtRate(LATENCY_RATE)} msg/s: p50 ${fmtMs(s.p50)} ms, p99 ${fmtMs(s.p99)} ms over ${s.count}\n`);
  const produce = new Map<number, { msgPerSec: number; mbPerSec: number }>();
  for (const size of SIZES) {
    const topic = `cluster-bench-${replicationFactor}-${size}`;
    await createTopic(bootstrap, topic, replicationFactor);
    const run = await kcatProduce(bootstrap, topic, files.get(size)!, MESSAGES, ACKS_ALL);
    const msgPerSec = (run.messages / run.ms) * 1000;
    produce.set(size, { msgPerSec, mbPerSec: (msgPerSec * size) / 1e6 });
    process.stdout.write(`${label}: produce ${size} B acks=all ${fmtRate(msgPerSec)} msg/s (${fmtMB(msgPerSec * size)} MB/s), load ${loadavg()[0]!.toFixed(1)}\n`);
  }
  return { produce, latency: { p50: s.p50, p99: s.p99, count: s.count } };
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  // The cluster's brokers run the same built binary as the single node.
  process.env.MQ_BROKER_BIN = BROKER_MAIN;
  const dir = await mkdtemp(join(tmpdir(), 'mq-cluster-bench-'));
  const files = new Map<number, string>();
  for (const size of SIZES) {
    const file = join(dir, `records-${size}.txt`);
    await writeRecordFile(file, MESSAGES, size);
    files.set(size, file);
  }
  const loads: number[] = [];
  let single: Figures;
  const broker = await startMqBroker(join(dir, 'single'));
  try {
    single = await measure('one node, rf=1', `127.0.0.1:${broker.spec.port}`, 1, files);
    loads.push(loadavg()[0]!);
  } finally {
    await broker.stop();
  }
  // The single node's writes are still being written back: wait for them, so the cluster's latency probe does not pay for them.
  execFileSync('sync');
  let replicated: Figures;
  const cluster = await startCluster({ brokers: 3 });
  try {
    replicated = await measure('3 brokers, rf=3', cluster.bootstrap, 3, files);
    loads.push(loadavg()[0]!);
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const row = (label: string, f: Figures) =>
    `| ${label} | ${SIZES.map((size) => `${fmtRate(f.produce.get(size)!.msgPerSec)} (${fmtMB(f.produce.get(size)!.msgPerSec * size)} MB/s)`).join(' | ')} | ${fmtMs(f.latency.p50)} | ${fmtMs(f.latency.p99)} |`;
  const ratio = SIZES.map((size) => `${((100 * replicated.produce.get(size)!.msgPerSec) / single.produce.get(size)!.msgPerSec).toFixed(0)} % at ${size} B`).join(', ');
  const body = [
    '## Replication cost: 3 brokers rf=3 against one node (`pnpm --filter @mq/bench bench:cluster`)',
    '',
    `${machineLine()}; 1-min load average ${loads.map((l) => l.toFixed(1)).join(' / ')} after each half.`,
    `kcat -P of ${MESSAGES.toLocaleString('en-US')} records per size to a ${PARTITIONS}-partition topic, acks=all (linger.ms=5,`,
    'batch.num.messages=10000), on one broker (rf=1) and on a 3-broker cluster on etcd (rf=3, every',
    'follower in the ISR, so each batch waits for two follower fetches); the three brokers share the',
    `same 2 cores. End to end: kcat -P at ${fmtRate(LATENCY_RATE)} msg/s (100 B, linger.ms=0, acks=all) → kcat -C tail, ${LATENCY_MS / 1000} s.`,
    '',
    `| setup | ${SIZES.map((s) => `produce ${s} B msg/s`).join(' | ')} | e2e p50 ms | e2e p99 ms |`,
    `|---|${SIZES.map(() => '---:').join('|')}|---:|---:|`,
    row('one node, rf=1', single),
    row('3 brokers, rf=3', replicated),
    '',
    `rf=3 throughput as a share of one node: ${ratio} (the issue's aim: ≥ 50 %). Failover time: the "Failover" section (\`bench:failover\`).`,
  ].join('\n');
  writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'cluster', body);
  process.stdout.write(`${body}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
