// A paused follower, under acks=all load (idempotent kafkajs, one producer per partition), 3 brokers,
// replica.lag.time.max.ms 2000 and a session timeout (15 s) longer than every pause, so the lag rule —
// not lease expiry — moves the ISR. Injected: (1) SIGSTOP of one follower until Metadata shows it out
// of the ISR, producing goes on, then SIGCONT: it catches up and Metadata shows it back in the ISR;
// (2) with min.insync.replicas=2, SIGSTOP of both followers: acks=all fails with NOT_ENOUGH_REPLICAS
// and nothing more is acknowledged until SIGCONT. The history checker reads everything back after each.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'replica.lag.time.max.ms': '2000', 'broker.session.timeout.ms': '15000' } });
  kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });
}, 180_000);

afterAll(async () => {
  // A test that failed half-way must not leave a stopped process behind (SIGKILL needs no SIGCONT).
  await cluster?.stop();
});

async function createTopic(topic: string, configs: Record<string, string> = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  await until(`${topic}: 3 replicas in sync`, 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions[0]?.isr.length === 3);
}

describe('a follower paused with SIGSTOP', () => {
  it('leaves the ISR after replica.lag.time.max.ms, producing goes on; on SIGCONT it catches up and rejoins', async () => {
    const topic = 'paused-follower';
    await createTopic(topic);
    const { leader, replicas } = (await topicMetadata(cluster.bootstrap, topic)).partitions[0]!;
    const follower = cluster.broker(replicas.find((r) => r !== leader)!);
    const live = bootstrapOf(cluster, [follower.nodeId]);
    const load = AckedLoad.start(live, { topic, partitions: 1 });
    try {
      await until('load running', 30_000, () => load.ackedCount() > 50);
      await follower.kill('SIGSTOP');
      const stoppedAt = Date.now();
      await until(`broker ${follower.nodeId} out of the ISR`, 12_000, async () => !(await topicMetadata(live, topic)).partitions[0]!.isr.includes(follower.nodeId));
      const shrunkAfterMs = Date.now() - stoppedAt;
      const ackedWhenShrunk = load.ackedCount();
      await until('acknowledgements go on without the paused follower', 10_000, () => load.ackedCount() > ackedWhenShrunk + 50);
      await follower.kill('SIGCONT');
      const contAt = Date.now();
      await until(`broker ${follower.nodeId} back in the ISR`, 30_000, async () => (await topicMetadata(live, topic)).partitions[0]!.isr.includes(follower.nodeId));
      console.log(`follower ${follower.nodeId}: out of the ISR ${shrunkAfterMs} ms after SIGSTOP, back ${Date.now() - contAt} ms after SIGCONT`);
      const ackedWhenBack = load.ackedCount();
      await until('acknowledgements go on with the follower back', 10_000, () => load.ackedCount() > ackedWhenBack + 50);
    } finally {
      await follower.kill('SIGCONT');
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 120_000);

  it('min.insync.replicas=2 with both followers paused: acks=all fails with NOT_ENOUGH_REPLICAS, nothing is acknowledged', async () => {
    const topic = 'guarded';
    await createTopic(topic, { 'min.insync.replicas': '2' });
    const { leader, replicas } = (await topicMetadata(cluster.bootstrap, topic)).partitions[0]!;
    const followers = replicas.filter((r) => r !== leader).map((r) => cluster.broker(r));
    const live = bootstrapOf(cluster, followers.map((f) => f.nodeId));
    // Sends fail here on purpose: not idempotent (see AckedLoadOptions.idempotent), few retries.
    const load = AckedLoad.start(live, { topic, partitions: 1, retries: 2, idempotent: false });
    let ackedWhilePaused = -1;
    try {
      await until('load running', 30_000, () => load.ackedCount() > 50);
      for (const f of followers) await f.kill('SIGSTOP');
      await until('the ISR shrunk to the leader alone', 12_000, async () => (await topicMetadata(live, topic)).partitions[0]!.isr.length === 1);
      const ackedWhenShrunk = load.ackedCount();
      const failedBefore = load.failures.length;
      await until('acks=all refused', 10_000, () => load.failures.slice(failedBefore).filter((f) => f.includes('NOT_ENOUGH_REPLICAS')).length >= 3);
      ackedWhilePaused = load.ackedCount() - ackedWhenShrunk;
      for (const f of followers) await f.kill('SIGCONT');
      await until('both followers back in the ISR', 30_000, async () => (await topicMetadata(live, topic)).partitions[0]!.isr.length === 3);
      const ackedWhenBack = load.ackedCount();
      await until('acknowledgements resume', 10_000, () => load.ackedCount() > ackedWhenBack + 20);
    } finally {
      for (const f of followers) await f.kill('SIGCONT');
      await load.stop();
    }
    expect(ackedWhilePaused).toBe(0);
    expect(load.failures.length).toBeGreaterThanOrEqual(3);
    expect(load.failures.every((f) => f.includes('NOT_ENOUGH_REPLICAS'))).toBe(true);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 120_000);
});
