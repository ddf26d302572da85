// `pnpm --filter @mq/bench bench:client`: @mq/client alone against the broker in its own process
// (1 partition, 100 B, acks=-1): produce and consume msg/s, for profiling the client between changes.
// Beside the rates, the bench process's own CPU time per phase (process.cpuUsage, user + system):
// on a machine loaded by other work the wall-clock rate swings with the load, the CPU cost per
// record much less. Run under `node --cpu-prof` (see README) to profile this process; BENCH_CPU_PROF
// profiles the broker. Then (BENCH_LATENCY_MS > 0, default 5000) end-to-end latency at 10k msg/s,
// @mq/client producer (acks=-1, linger 0) into an @mq/client consumer at the log end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBrokerBuilt, startMqBroker } from './mq-broker';
import { kafkaClient, kafkajsConsume, kafkajsProduce } from './kafkajs-load';
import { MQ_PRODUCER, mqClient, mqClientConsume, mqClientLatency, mqClientProduce } from './mq-client-load';
import { fmtMs, fmtRate, summarize } from './stats';

const count = Number(process.env.BENCH_NODE_MESSAGES ?? 1_000_000);
const size = Number(process.env.BENCH_SIZE ?? 100);
const partitions = Number(process.env.BENCH_PARTITIONS ?? 1);
/** BENCH_PEERS=kafkajs: the same workloads through kafkajs 2.2.4 in the same run, with ratios. */
const peers = (process.env.BENCH_PEERS ?? '').split(',').filter((x) => x !== '');
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 5000);

/** The bench process's CPU time for a phase and per record (the phase's setup included). */
function cpuCost(cpu: NodeJS.CpuUsage, records: number): string {
  const us = cpu.user + cpu.system;
  return `client CPU ${(us / 1000).toFixed(0)} ms (${((us * 1000) / records).toFixed(0)} ns/record)`;
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'mq-client-bench-'));
  const broker = await startMqBroker(dir);
  const client = mqClient(`127.0.0.1:${broker.spec.port}`);
  try {
    const topic = 'client-bench';
    await client.admin().createTopics([{ name: topic, numPartitions: partitions }]);
    let cpu = process.cpuUsage();
    const p = await mqClientProduce(client, topic, count, size, MQ_PRODUCER);
    cpu = process.cpuUsage(cpu);
    process.stdout.write(`produce ${size} B × ${count} (${partitions} partition(s), acks=-1, idempotent): ${fmtRate((p.messages * 1000) / p.ms)} msg/s in ${p.ms.toFixed(0)} ms, ${cpuCost(cpu, p.messages)}\n`);
    cpu = process.cpuUsage();
    const c = await mqClientConsume(client, topic, partitions, count + 1);
    cpu = process.cpuUsage(cpu);
    process.stdout.write(`consume ${size} B × ${c.messages}: ${fmtRate((c.messages * 1000) / c.ms)} msg/s in ${c.ms.toFixed(0)} ms, ${cpuCost(cpu, c.messages)}\n`);
    if (latencyMs > 0) {
      const latTopic = 'client-bench-latency';
      await client.admin().createTopics([{ name: latTopic, numPartitions: 1 }]);
      // BENCH_GROUP=1: the consumer is a group member (subscribe, auto-commit) instead of assigned.
      const l = await mqClientLatency(client, latTopic, size, 10_000, latencyMs, process.env.BENCH_GROUP === '1' ? 'client-bench-latency' : undefined);
      const e = summarize(l.e2e);
      const s = summarize(l.send);
      process.stdout.write(`e2e ${size} B at 10k msg/s for ${latencyMs / 1000} s: ${e.count} of ${l.sent} arrived, p50 ${fmtMs(e.p50)} / p99 ${fmtMs(e.p99)} / p99.9 ${fmtMs(e.p999)} / max ${fmtMs(e.max)} ms; send p50 ${fmtMs(s.p50)} / p99 ${fmtMs(s.p99)} ms (${s.count} sends)\n`);
    }
    if (peers.includes('kafkajs')) {
      const kafka = kafkaClient(`127.0.0.1:${broker.spec.port}`);
      const kTopic = 'client-bench-kafkajs';
      await client.admin().createTopics([{ name: kTopic, numPartitions: partitions }]);
      cpu = process.cpuUsage();
      const kp = await kafkajsProduce(kafka, kTopic, count, size);
      cpu = process.cpuUsage(cpu);
      process.stdout.write(`kafkajs produce ${size} B × ${count} (acks=-1, batches of 1000, 4 in flight): ${fmtRate((kp.messages * 1000) / kp.ms)} msg/s, ${cpuCost(cpu, kp.messages)}; @mq/client ${(kp.ms / p.ms).toFixed(1)}×\n`);
      cpu = process.cpuUsage();
      const kc = await kafkajsConsume(kafka, kTopic, 'client-bench-kafkajs', count);
      cpu = process.cpuUsage(cpu);
      process.stdout.write(`kafkajs consume ${size} B × ${kc.messages} (group, eachBatch): ${fmtRate((kc.messages * 1000) / kc.ms)} msg/s, ${cpuCost(cpu, kc.messages)}; @mq/client ${((c.messages / c.ms) / (kc.messages / kc.ms)).toFixed(1)}×\n`);
    }
  } finally {
    await client.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:client failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
