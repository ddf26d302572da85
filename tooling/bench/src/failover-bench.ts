// `pnpm --filter @mq/bench bench:failover`: failover time of a 3-broker cluster (startCluster: etcd +
// 3 mq-broker processes, 1 s lease). One idempotent acks=all kafkajs producer per partition of a
// 3-partition replication-factor-3 topic sends as fast as it is answered; the leader of partition
// k % 3 is SIGKILLed BENCH_FAILOVER_KILLS (default 10) times, each time restarted and waited back
// into every ISR. Failover = SIGKILL → first acknowledged acks=all produce on that partition.
// Writes p50 / max into BENCHMARKS.md (section "failover").
import { join } from 'node:path';
import { startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { machineLine, writeSection } from './markdown-section';
import { REPO_ROOT } from './mq-broker';
import { fmtMs, summarize } from './stats';

const KILLS = Number(process.env.BENCH_FAILOVER_KILLS ?? 10);
const TOPIC = 'failover-bench';
const PARTITIONS = 3;

async function until(what: string, timeoutMs: number, fn: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(fn).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const cluster = await startCluster({ brokers: 3 });
  process.stdout.write(`3 brokers and etcd up in ${Date.now() - started} ms\n`);
  const retry = { retries: 1_000, initialRetryTime: 50, maxRetryTime: 300 };
  const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry });
  const admin = kafka.admin();
  const lastAck = Array.from({ length: PARTITIONS }, () => 0);
  let running = true;
  let loops: Promise<void>[] = [];
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
    const partitions = async () => {
      const m = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      return m.topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId);
    };
    await until('all replicas in sync', 60_000, async () => (await partitions()).every((p) => p.isr.length === 3));
    loops = Array.from({ length: PARTITIONS }, async (_, partition) => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry });
      await producer.connect();
      for (let seq = 0; running; seq++) {
        await producer
          .send({ topic: TOPIC, acks: -1, messages: [{ partition, value: `p${partition}-${seq}` }] })
          .then(() => (lastAck[partition] = Date.now()))
          .catch(() => undefined);
      }
      await producer.disconnect();
    });
    const failoverMs: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const partition = k % PARTITIONS;
      const leader = (await partitions())[partition]!.leader;
      const victim = cluster.broker(leader);
      const since = Date.now();
      await until('load running', 30_000, () => lastAck.every((t) => t > since));
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      await until(`partition ${partition} acknowledged after kill ${k + 1}`, 60_000, () => lastAck[partition]! > killedAt);
      failoverMs.push(lastAck[partition]! - killedAt);
      process.stdout.write(`kill ${k + 1}/${KILLS}: broker ${leader} (leader of ${partition}) → ${failoverMs.at(-1)} ms\n`);
      await victim.restart();
      await admin.disconnect();
      await admin.connect();
      await until('the restarted broker back in every ISR', 120_000, async () => (await partitions()).every((p) => p.isr.length === 3));
    }
    const s = summarize(failoverMs);
    const body = [
      '## Failover (3 brokers, rf=3, acks=all)',
      '',
      `${machineLine()}; \`pnpm --filter @mq/bench bench:failover\` (BENCH_FAILOVER_KILLS=${KILLS}).`,
      'SIGKILL of the leader of one partition of a 3-partition topic under an idempotent acks=all kafkajs',
      'load (one producer per partition, retry backoff 50–300 ms) → first acknowledged produce on that',
      'partition; the broker is restarted and back in every ISR before the next kill. Timeouts: the',
      'broker lease (`broker.session.timeout.ms`) is 1000 ms, so a dead leader is noticed within ~1 s.',
      '',
      '| kills | p50 | max | all (ms) |',
      '|---|---|---|---|',
      `| ${s.count} | ${fmtMs(s.p50)} | ${fmtMs(s.max)} | ${failoverMs.join(', ')} |`,
    ].join('\n');
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'failover', body);
    process.stdout.write(`${body}\n`);
  } finally {
    running = false;
    await Promise.all(loops);
    await admin.disconnect().catch(() => undefined);
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
