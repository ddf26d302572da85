// The controller SIGKILLed under acks=all load (idempotent kafkajs, one producer per partition of a
// 3-partition, replication-factor-3 topic on 3 brokers). Injected: SIGKILL of the broker Metadata
// names as controller; later SIGKILL of a partition leader that is not the new controller. Checked:
// another broker becomes controller (Metadata's controller id), the dead broker's leaderships move
// and it leaves the ISRs, CreateTopics still works, the restarted broker rejoins every ISR, the
// second kill's partition gets a new leader; the history checker reads every acknowledged write back.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function admin(bootstrap: string): ReturnType<Kafka['admin']> {
  return new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } }).admin();
}

describe('the controller SIGKILLed under acks=all load', () => {
  it('a new controller is elected; leaderships, ISR changes and CreateTopics still work; nothing acknowledged is lost', async () => {
    const topic = 'controller-kill';
    const a = admin(cluster.bootstrap);
    await a.connect();
    await a.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await a.disconnect();
    await until('all replicas in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));

    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 3 });
    try {
      await until('load running', 30_000, () => load.ackedCount() > 60);
      const oldController = (await topicMetadata(cluster.bootstrap, topic)).controller;
      expect(oldController).toBeGreaterThan(0);
      const victim = cluster.broker(oldController);
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      const survivors = bootstrapOf(cluster);

      let newController = -1;
      await until('a new controller', 30_000, async () => {
        newController = (await topicMetadata(survivors, topic)).controller;
        return newController > 0 && newController !== oldController;
      });
      const electedMs = Date.now() - killedAt;
      await until(`broker ${oldController}'s leaderships moved and it left every ISR`, 30_000, async () =>
        (await topicMetadata(survivors, topic)).partitions.every((p) => p.leader !== oldController && p.leader > 0 && !p.isr.includes(oldController)),
      );
      await until('every partition acknowledged after the kill', 30_000, () => [0, 1, 2].every((p) => load.lastAckAt(p) > killedAt));

      // A metadata change through the new controller's guard.
      const b = admin(survivors);
      await b.connect();
      await b.createTopics({ topics: [{ topic: 'after-controller-kill', numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
      await b.disconnect();
      const created = await topicMetadata(survivors, 'after-controller-kill');
      expect(created.partitions.map((p) => p.isr.length)).toEqual([2, 2]);

      // ISR expansion (the leaders' CAS) with the restarted broker.
      await victim.restart();
      await until(`broker ${oldController} back in every ISR`, 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));

      // A leader election by the new controller.
      const parts = (await topicMetadata(cluster.bootstrap, topic)).partitions;
      const target = parts.find((p) => p.leader !== newController)!;
      const second = cluster.broker(target.leader);
      const secondAt = Date.now();
      await second.kill('SIGKILL');
      await until(`partition ${target.partition} led again`, 30_000, async () => {
        const p = (await topicMetadata(bootstrapOf(cluster), topic)).partitions[target.partition]!;
        return p.leader > 0 && p.leader !== second.nodeId;
      });
      await until(`partition ${target.partition} acknowledged after the second kill`, 30_000, () => load.lastAckAt(target.partition) > secondAt);
      expect((await topicMetadata(bootstrapOf(cluster), topic)).controller).toBe(newController);
      console.log(`controller ${oldController} killed: broker ${newController} controller after ${electedMs} ms; then leader ${second.nodeId} of partition ${target.partition} killed`);
      await second.restart();
      await until('every replica back in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(load.acked.length).toBeGreaterThan(200);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 180_000);
});
