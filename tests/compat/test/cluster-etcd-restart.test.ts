// etcd SIGKILLed and restarted (same data dir and port) while 3 brokers serve an idempotent acks=all
// kafkajs load on a 3-partition replication-factor-3 topic. Injected: SIGKILL of etcd for ≥ 3 s (three
// times the brokers' 1 s lease TTL), then etcd started again. Checked: while etcd is down the leaders
// keep acknowledging (the data plane needs no etcd) and a metadata change (CreateTopics) fails with an
// error instead of hanging; after it returns every broker is registered again, a controller is
// elected, CreateTopics works and a leader SIGKILLed after the return is replaced; no two brokers led
// one partition in one epoch; the history checker reads every acknowledged write back.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad, errorChain } from '../src/acked-load';
import { bootstrapOf, leaderClaims, readBack, splitBrains, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

async function createTopic(bootstrap: string, topic: string, partitions: number, rf: number, retries = 20): Promise<void> {
  const admin = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries, initialRetryTime: 100, maxRetryTime: 1_000 } }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: rf }], waitForLeaders: true, timeout: 5_000 });
  } finally {
    await admin.disconnect();
  }
}

describe('etcd restarted while the cluster serves', () => {
  it('leaders keep acknowledging, metadata changes fail cleanly meanwhile; brokers resync after; nothing acknowledged is lost', async () => {
    const topic = 'etcd-restart';
    await createTopic(cluster.bootstrap, topic, 3, 3);
    await until('all replicas in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 3 });
    let ackedDuringOutage = 0;
    let createDuringOutage = 'succeeded';
    try {
      await until('load running', 30_000, () => load.ackedCount() > 60);
      await cluster.etcd.kill();
      const downAt = Date.now();
      const ackedAtKill = load.ackedCount();
      createDuringOutage = await createTopic(cluster.bootstrap, 'during-outage', 1, 3, 0).then(
        () => 'succeeded',
        (err: unknown) => errorChain(err),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 3_000 - (Date.now() - downAt))));
      ackedDuringOutage = load.ackedCount() - ackedAtKill;
      await cluster.etcd.restart();
      const upAt = Date.now();
      console.log(`etcd down ${upAt - downAt} ms: ${ackedDuringOutage} acks meanwhile; CreateTopics meanwhile: ${createDuringOutage}`);

      await until('every broker registered and a controller elected', 60_000, async () => {
        const m = await topicMetadata(cluster.bootstrap, topic);
        return m.brokers.length === 3 && m.controller > 0 && m.partitions.every((p) => p.leader > 0 && p.isr.length === 3);
      });
      console.log(`cluster whole again ${Date.now() - upAt} ms after etcd came back`);
      // The first CreateTopics after the return (kafkajs does not retry NOT_CONTROLLER inside its
      // aggregate error): retried until it goes through, timed from etcd's return.
      let createError = '';
      await until('CreateTopics through the re-elected controller', 30_000, () =>
        createTopic(cluster.bootstrap, 'after-etcd-restart', 2, 3, 0).then(
          () => true,
          (err: unknown) => {
            createError = errorChain(err);
            return false;
          },
        ),
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; last: ${createError}`);
      });
      console.log(`CreateTopics went through ${Date.now() - upAt} ms after etcd came back`);
      await until('the new topic led, 3 replicas in sync', 30_000, async () => {
        const ps = (await topicMetadata(cluster.bootstrap, 'after-etcd-restart')).partitions;
        return ps.length === 2 && ps.every((p) => p.leader > 0 && p.isr.length === 3);
      });

      const leader = (await topicMetadata(cluster.bootstrap, topic)).partitions[1]!.leader;
      const victim = cluster.broker(leader);
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      await until('partition 1 led again', 30_000, async () => {
        const p = (await topicMetadata(bootstrapOf(cluster), topic)).partitions[1]!;
        return p.leader > 0 && p.leader !== leader;
      });
      await until('partition 1 acknowledged after the kill', 30_000, () => load.lastAckAt(1) > killedAt);
      await victim.restart();
      await until('every replica back in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
    } finally {
      if (!cluster.etcd.pid || cluster.etcd.pid < 0) await cluster.etcd.restart().catch(() => undefined);
      await load.stop();
    }
    expect(ackedDuringOutage).toBeGreaterThan(0);
    expect(createDuringOutage).not.toBe('succeeded');
    expect(load.failures).toEqual([]);
    expect(splitBrains(leaderClaims(cluster))).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 180_000);
});
