// Controlled shutdown: 3 brokers, a 3-partition replication-factor-3 topic, an idempotent acks=all
// kafkajs load whose producers give up after 10 quick retries (≈ 2.5 s of backoff, where Kafka's
// clients retry for 2 minutes) — the leadership must have moved within that. Injected: SIGTERM of partition 0's leader, then (restarted and back in
// sync) SIGTERM of the controller. Checked: each exits 0 after logging that its leaderships moved
// away, Metadata shows them led elsewhere, no send failed, and the history checker reads every
// acknowledged write back exactly once, in order.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, leaderClaims, readBack, splitBrains, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function movedBeforeStopped(logs: readonly string[]): boolean {
  const moved = logs.findLastIndex((l) => l.includes('"msg":"controlled shutdown: leaderships moved away"'));
  const stopped = logs.findLastIndex((l) => l.includes('"msg":"broker stopped"'));
  return moved >= 0 && stopped > moved;
}

describe('SIGTERM on a cluster member (controlled shutdown)', () => {
  it('moves its leaderships away before it stops: acks=all producers see no failed send', async () => {
    const topic = 'controlled-shutdown';
    const admin = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const inSync = async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3);
    await until('all replicas in sync', 60_000, inSync);

    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 3, retries: 10 });
    const stopped: string[] = [];
    try {
      await until('load running', 30_000, () => load.ackedCount() > 60);
      for (const pick of ['leader of partition 0', 'controller'] as const) {
        const m = await topicMetadata(cluster.bootstrap, topic);
        const victim = cluster.broker(pick === 'controller' ? m.controller : m.partitions[0]!.leader);
        const led = m.partitions.filter((p) => p.leader === victim.nodeId).map((p) => p.partition);
        const at = Date.now();
        await victim.stop(); // SIGTERM; throws unless it exits 0
        stopped.push(`${pick} ${victim.nodeId} (led ${led.join(',') || 'nothing'}) stopped in ${Date.now() - at} ms`);
        expect(movedBeforeStopped(victim.logs()) || led.length === 0).toBe(true);
        const after = await topicMetadata(bootstrapOf(cluster), topic);
        expect(after.partitions.every((p) => p.leader > 0 && p.leader !== victim.nodeId && !p.isr.includes(victim.nodeId))).toBe(true);
        await until('every partition acknowledged after the stop', 30_000, () => [0, 1, 2].every((p) => load.lastAckAt(p) > at));
        await victim.restart();
        await until('every replica back in sync', 60_000, inSync);
      }
    } finally {
      await load.stop();
    }
    console.log(`${stopped.join('; ')}; acknowledged ${load.acked.length}, failed sends ${load.failures.length}`);
    expect(load.failures).toEqual([]);
    expect(splitBrains(leaderClaims(cluster))).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 180_000);
});
