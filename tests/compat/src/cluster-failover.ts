// The leader-kill run of the cluster tests (and of scripts/cluster-failover.ts): one idempotent
// acks=all kafkajs producer per partition sends numbered values as fast as it is answered, while
// the leader of each partition in turn is SIGKILLed, then restarted and waited back into the ISR.
// Records every acknowledged (partition, offset, value) and, per kill, the failover time (SIGKILL →
// first acknowledged acks=all produce to that partition); then reads everything back with kcat.
import type { RunningCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { type Acked, checkHistory, parseHistory } from './history-checker';
import { kcat } from './kcat';

/** A kafkajs client bootstrapping from the brokers still running (kafkajs gives up on a dead seed broker). */
export function liveKafka(cluster: RunningCluster): Kafka {
  const live = cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`);
  return new Kafka({ brokers: live, logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 } });
}

/** The partition's leader in the live brokers' metadata. */
export async function leaderOf(cluster: RunningCluster, topic: string, partition: number): Promise<number> {
  const admin = liveKafka(cluster).admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0]!.partitions.find((p) => p.partitionId === partition)!.leader;
  } finally {
    await admin.disconnect();
  }
}

/** The partition's new leader once it is not `from` (polled from the live brokers' metadata, 20 s at most). */
export async function leaderMovedFrom(cluster: RunningCluster, topic: string, partition: number, from: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const leader = await leaderOf(cluster, topic, partition).catch(() => from);
    if (leader !== from && leader >= 0) return leader;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${topic}-${partition} still led by the killed broker ${from} after 20 s`);
}

export interface FailoverResult {
  readonly failoverMs: number[];
  readonly acked: number;
  readonly unacked: number;
  readonly problems: string[];
}

interface KcatJson {
  topics: { partitions: { partition: number; leader: number; isrs: { id: number }[] }[] }[];
}

async function partitions(bootstrap: string, topic: string): Promise<KcatJson['topics'][number]['partitions']> {
  const res = await kcat(['-L', '-J', '-b', bootstrap, '-t', topic, '-m', '10'], 60_000);
  return (JSON.parse(res.stdout.toString('utf8')) as KcatJson).topics[0]?.partitions ?? [];
}

async function until(what: string, timeoutMs: number, fn: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runLeaderKills(cluster: RunningCluster, opts: { topic: string; partitions: number; kills: number }): Promise<FailoverResult> {
  const { topic, kills } = opts;
  const kafka = new Kafka({
    brokers: cluster.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 1_000, initialRetryTime: 50, maxRetryTime: 300 },
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: opts.partitions, replicationFactor: 3 }], waitForLeaders: true });
  await admin.disconnect();
  await until('all replicas in sync', 60_000, async () => (await partitions(cluster.bootstrap, topic)).every((p) => p.isrs.length === 3));

  const acked: Acked[] = [];
  let unacked = 0;
  const ackTimes = Array.from({ length: opts.partitions }, () => [] as number[]);
  let running = true;
  const loops = Array.from({ length: opts.partitions }, async (_, partition) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1_000, initialRetryTime: 50, maxRetryTime: 300 } });
    await producer.connect();
    for (let seq = 0; running; seq++) {
      const value = `p${partition}-${seq}`;
      try {
        const [meta] = await producer.send({ topic, acks: -1, timeout: 30_000, messages: [{ partition, value }] });
        acked.push({ partition, offset: BigInt(meta!.baseOffset!), value });
        ackTimes[partition]!.push(Date.now());
      } catch {
        unacked++;
      }
    }
    await producer.disconnect();
  });

  const failoverMs: number[] = [];
  try {
    for (let k = 0; k < kills; k++) {
      const partition = k % opts.partitions;
      const leader = (await partitions(cluster.bootstrap, topic)).find((p) => p.partition === partition)!.leader;
      const victim = cluster.broker(leader);
      const before = acked.length;
      await until('load running', 30_000, async () => acked.length > before + 20);
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      const times = ackTimes[partition]!;
      await until(`partition ${partition} acknowledged after the kill`, 60_000, async () => (times.at(-1) ?? 0) > killedAt);
      failoverMs.push(times.find((t) => t > killedAt)! - killedAt);
      await victim.restart();
      await until('the restarted broker back in every ISR', 120_000, async () => (await partitions(cluster.bootstrap, topic)).every((p) => p.isrs.length === 3));
    }
  } finally {
    running = false;
    await Promise.all(loops);
  }
  const consumed = parseHistory((await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n'], 180_000)).stdout.toString('utf8'));
  return { failoverMs, acked: acked.length, unacked, problems: checkHistory(acked, consumed) };
}
