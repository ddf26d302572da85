// The same workloads run against each system: mq (kcat and kafkajs), NATS JetStream (nats.js) and
// Redis Streams (ioredis, redis-benchmark). Each returns its rows plus start-up, RSS and CPU figures.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kafkaClient, kafkajsConsume, kafkajsLatency, kafkajsProduce, type LatencyRun } from './kafkajs-load';
import { kcatConsume, kcatConsumeGroup, kcatLatency, kcatProduce } from './kcat-load';
import { startMqBroker } from './mq-broker';
import { natsConnect, natsConsume, natsLatency, natsProduce } from './nats-load';
import { startNats, startRedis } from './peers';
import { redisBenchmarkXadd, redisClient, redisConsume, redisLatency, redisProduce } from './redis-load';
import { throughputRow, type ResultRow } from './result-table';
import type { ServerProcess } from './server-process';
import { summarize } from './stats';
import { groupsSupported } from './groups-probe';

export interface Workload {
  readonly sizes: readonly number[];
  /** Messages per size for Node clients and for native tools (kcat, redis-benchmark). */
  readonly nodeCount: (size: number) => number;
  readonly nativeCount: (size: number) => number;
  readonly recordFile: (size: number) => string;
  readonly rate: number;
  readonly latencyMs: number;
}

export interface SystemReport {
  readonly system: string;
  readonly startupMs: number;
  readonly idleRssBytes: number;
  readonly endRssBytes: number;
  readonly peakRssBytes: number;
  readonly cpuMs: number;
  readonly rows: ResultRow[];
  readonly notes: string[];
}

export class Recorder {
  readonly rows: ResultRow[] = [];
  constructor(private readonly server: ServerProcess) {}

  async run<T>(fn: () => Promise<T>, label = ''): Promise<[T, number]> {
    if (label !== '') process.stderr.write(`bench:   ${label}\n`);
    const before = this.server.sample().cpuMs;
    const out = await fn();
    return [out, this.server.sample().cpuMs - before];
  }

  async throughput(base: Omit<ResultRow, 'msgsPerSec' | 'mbPerSec' | 'brokerCpuMs' | 'messages'>, fn: () => Promise<{ messages: number; ms: number }>): Promise<void> {
    try {
      const [r, cpu] = await this.run(fn, `${base.client} ${base.workload} ${base.size} B`);
      this.rows.push(throughputRow({ ...base, messages: r.messages, brokerCpuMs: cpu }, r.ms));
    } catch (err) {
      this.failed(base, err);
    }
  }

  async latency(base: Omit<ResultRow, 'messages' | 'brokerCpuMs'>, fn: () => Promise<LatencyRun | number[]>): Promise<void> {
    try {
      const [r, cpu] = await this.run(fn, `${base.client} ${base.workload} ${base.size} B`);
      const e2e = summarize(Array.isArray(r) ? r : r.e2e);
      this.rows.push({ ...base, messages: e2e.count, p50: e2e.p50, p99: e2e.p99, p999: e2e.p999, brokerCpuMs: cpu });
    } catch (err) {
      this.failed(base, err);
    }
  }

  /** A workload that failed is reported as such (with the reason) instead of aborting the comparison. */
  private failed(base: Omit<ResultRow, 'messages' | 'brokerCpuMs' | 'msgsPerSec' | 'mbPerSec'>, err: unknown): void {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 160);
    process.stderr.write(`bench: ${base.system} ${base.client} ${base.workload} ${base.size} B failed: ${reason}\n`);
    this.rows.push({ ...base, messages: 0, note: `FAILED: ${reason}` });
  }
}

export async function report(system: string, server: ServerProcess, body: (rec: Recorder) => Promise<string[]>): Promise<SystemReport> {
  try {
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = server.sample();
    const rec = new Recorder(server);
    const notes = await body(rec);
    const end = server.sample();
    return { system, startupMs: server.startupMs, idleRssBytes: idle.rssBytes, endRssBytes: end.rssBytes, peakRssBytes: end.peakRssBytes, cpuMs: end.cpuMs, rows: rec.rows, notes };
  } finally {
    await server.stop();
  }
}

/**
 * mq with the given broker properties (Kafka names, written to a JSON config file). `consume: false`
 * skips the consume workloads (a flush policy does not change the read path).
 */
export async function runMq(system: string, props: Record<string, unknown>, dataDir: string, work: string, w: Workload, opts: { consume: boolean }): Promise<SystemReport> {
  const configFile = join(work, `${system.replace(/\W+/g, '-')}.json`);
  await writeFile(configFile, JSON.stringify({ 'num.partitions': 1, ...props }));
  const server = await startMqBroker(dataDir, configFile);
  return report(system, server, async (rec) => {
    const bootstrap = `127.0.0.1:${server.spec.port}`;
    const kafka = kafkaClient(bootstrap);
    const groups = await groupsSupported('127.0.0.1', server.spec.port);
    const notes: string[] = groups ? [] : [`${system}: group APIs not advertised; consume used kcat -C (assign mode) and latency kcat → kcat only.`];
    for (const size of w.sizes) {
      const sys = system;
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: ['kcat', 'kafkajs', 'lat-kcat', 'lat-kafkajs'].map((t) => ({ topic: `${t}-${size}`, numPartitions: 1 })), waitForLeaders: true });
      await admin.disconnect();
      await rec.throughput({ system: sys, client: 'kcat', workload: 'produce', size }, () => kcatProduce(bootstrap, `kcat-${size}`, w.recordFile(size), w.nativeCount(size)));
      await rec.throughput({ system: sys, client: 'kafkajs', workload: 'produce', size }, () => kafkajsProduce(kafka, `kafkajs-${size}`, w.nodeCount(size), size));
      if (groups && opts.consume) {
        await rec.throughput({ system: sys, client: 'kcat', workload: 'consume', size, note: 'kcat -G' }, () => kcatConsumeGroup(bootstrap, `kcat-${size}`, `g-kcat-${size}`, w.nativeCount(size)));
        await rec.throughput({ system: sys, client: 'kafkajs', workload: 'consume', size }, () => kafkajsConsume(kafka, `kafkajs-${size}`, `g-kafkajs-${size}`, w.nodeCount(size)));
      }
      if (groups) {
        await rec.latency({ system: sys, client: 'kafkajs', workload: 'latency', size }, () => kafkajsLatency(kafka, `lat-kafkajs-${size}`, `g-lat-${size}`, size, w.rate, w.latencyMs));
      } else if (opts.consume) {
        await rec.throughput({ system: sys, client: 'kcat', workload: 'consume', size, note: 'kcat -C (no group)' }, () => kcatConsume(bootstrap, `kcat-${size}`, w.nativeCount(size)));
      }
      await rec.latency({ system: sys, client: 'kcat', workload: 'latency', size }, () => kcatLatency(bootstrap, `lat-kcat-${size}`, size, w.rate, w.latencyMs));
    }
    return notes;
  });
}

export async function runNats(dataDir: string, w: Workload): Promise<SystemReport> {
  const server = await startNats(dataDir);
  return report('NATS JetStream', server, async (rec) => {
    const nc = await natsConnect(server.spec.port);
    try {
      for (const size of w.sizes) {
        const sys = 'NATS JetStream';
        await rec.throughput({ system: sys, client: 'nats.js', workload: 'produce', size }, () => natsProduce(nc, `P${size}`, w.nodeCount(size), size));
        await rec.throughput({ system: sys, client: 'nats.js', workload: 'consume', size }, () => natsConsume(nc, `P${size}`, `c${size}`, w.nodeCount(size)));
        await rec.latency({ system: sys, client: 'nats.js', workload: 'latency', size }, () => natsLatency(nc, `L${size}`, size, w.rate, w.latencyMs));
      }
    } finally {
      await nc.close();
    }
    return [];
  });
}

export async function runRedis(dataDir: string, w: Workload): Promise<SystemReport> {
  const server = await startRedis(dataDir);
  return report('Redis Streams', server, async (rec) => {
    const redis = redisClient(server.spec.port);
    try {
      for (const size of w.sizes) {
        const sys = 'Redis Streams';
        await rec.throughput({ system: sys, client: 'ioredis', workload: 'produce', size }, () => redisProduce(redis, `p:${size}`, w.nodeCount(size), size));
        await rec.throughput({ system: sys, client: 'redis-benchmark', workload: 'produce', size }, () => redisBenchmarkXadd(server.spec.port, `rb:${size}`, w.nativeCount(size), size));
        await rec.throughput({ system: sys, client: 'ioredis', workload: 'consume', size }, () => redisConsume(redis, `p:${size}`, 'g', w.nodeCount(size)));
        await rec.latency({ system: sys, client: 'ioredis', workload: 'latency', size }, () => redisLatency(server.spec.port, `l:${size}`, size, w.rate, w.latencyMs));
      }
    } finally {
      redis.disconnect();
    }
    return [];
  });
}
