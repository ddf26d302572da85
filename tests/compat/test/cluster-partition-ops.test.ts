// Operator-side leadership and placement on a real 3-broker cluster (etcd + broker processes), under
// idempotent acks=all kafkajs load. Injected: (a) SIGKILL of a partition's preferred leader, its
// restart, then a preferred ElectLeaders (@mq/client: kafkajs has no ElectLeaders); (b) a KIP-455
// reassignment [1,2] → [2,3] through kafkajs's admin, held in progress by SIGSTOPping the added
// replica's broker until the listing was checked; afterwards the removed broker and then broker 2
// are SIGKILLed so the data is read back from the new replicas alone (the removed copy is deleted); (c) malformed requests.
// Checked: leadership moves and comes back, the reassignment is listed then completes, the history
// checker reads every acknowledged write back, bad input gets Kafka's error codes and every broker
// keeps serving.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient } from '@mq/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;

// A 3 s broker lease: the added replica's broker stays registered while it is paused for the listing.
beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'broker.session.timeout.ms': '3000' } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function kafka(bootstrap: string): Kafka {
  return new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });
}

async function withMqAdmin<T>(bootstrap: string, fn: (admin: ReturnType<MqClient['admin']>) => Promise<T>): Promise<T> {
  const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'partition-ops-test' });
  try {
    return await fn(client.admin());
  } finally {
    await client.close();
  }
}

/** The error names of a kafkajs admin call that failed per partition (KafkaJSAggregateError). */
async function kafkajsErrorTypes(call: Promise<unknown>): Promise<string[]> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { errors?: { type?: string }[]; originalError?: { errors?: { type?: string }[] } } | undefined;
  expect(err, 'the call should have failed').toBeDefined();
  return (err!.errors ?? err!.originalError?.errors ?? []).map((e) => e.type ?? '?');
}

describe('partition leadership and reassignment on 3 brokers', () => {
  it('(c) bad input gets Kafka error codes; every broker keeps serving', async () => {
    const admin = kafka(cluster.bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'bad-input', numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
      const reassign = (topic: string, partition: number, replicas: number[]) => admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition, replicas }] }] });
      expect(await kafkajsErrorTypes(reassign('no-such-topic', 0, [1, 2]))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect(await kafkajsErrorTypes(reassign('bad-input', 9, [1, 2]))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect(await kafkajsErrorTypes(reassign('bad-input', 0, [1, 9]))).toEqual(['INVALID_REPLICA_ASSIGNMENT']);
      expect(await kafkajsErrorTypes(reassign('bad-input', 0, [2, 2]))).toEqual(['INVALID_REPLICA_ASSIGNMENT']);
      expect(await kafkajsErrorTypes(reassign('bad-input', 0, []))).toEqual(['INVALID_REPLICA_ASSIGNMENT']);
      expect((await admin.listPartitionReassignments({ topics: [{ topic: 'no-such-topic', partitions: [0] }] })).topics).toEqual([]);
    } finally {
      await admin.disconnect();
    }
    await withMqAdmin(cluster.bootstrap, async (a) => {
      const elect = await a.electLeaders('preferred', [
        { topic: 'no-such-topic', partition: 0 },
        { topic: 'bad-input', partition: 5 },
      ]);
      expect(elect.map((r) => r.error?.errorName)).toEqual(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_OR_PARTITION']);
      const [cancel] = await a.alterPartitionReassignments([{ topic: 'bad-input', partition: 0, replicas: null }]);
      expect(cancel!.error?.errorName).toBe('NO_REASSIGNMENT_IN_PROGRESS');
      const [twice, again] = await a.alterPartitionReassignments([
        { topic: 'bad-input', partition: 0, replicas: [1, 2] },
        { topic: 'bad-input', partition: 0, replicas: [2, 3] },
      ]);
      expect([twice!.error?.errorName, again!.error?.errorName]).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST']);
    });
    // Nothing changed and every broker still answers and takes writes.
    const meta = await topicMetadata(cluster.bootstrap, 'bad-input');
    expect(meta.brokers).toEqual([1, 2, 3]);
    expect(meta.partitions[0]!.replicas).toHaveLength(2);
    expect(cluster.brokers.every((b) => b.running)).toBe(true);
    const producer = kafka(cluster.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'bad-input', acks: -1, messages: [{ value: 'still-serving' }] });
    await producer.disconnect();
  }, 60_000);

  it('(a) the preferred leader killed and restarted: ElectLeaders gives it leadership back under acks=all load', async () => {
    const topic = 'preferred';
    const admin = kafka(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    await until('all replicas in sync', 30_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
    const before = await topicMetadata(cluster.bootstrap, topic);
    // A partition whose preferred leader is not the controller: the kill moves one leadership only.
    const target = before.partitions.find((p) => p.replicas[0] !== before.controller && p.leader === p.replicas[0])!;
    expect(target, `a partition led by its preferred replica, not on controller ${before.controller}`).toBeDefined();
    const preferred = target.replicas[0]!;

    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 3 });
    try {
      await until('load running', 30_000, () => load.ackedCount(target.partition) > 30);
      const victim = cluster.broker(preferred);
      await victim.kill('SIGKILL');
      await until(`partition ${target.partition} led by another broker`, 30_000, async () => {
        const p = (await topicMetadata(bootstrapOf(cluster), topic)).partitions[target.partition]!;
        return p.leader > 0 && p.leader !== preferred;
      });
      // With the preferred replica dead, the election is refused, per partition.
      const [refused] = await withMqAdmin(bootstrapOf(cluster), (a) => a.electLeaders('preferred', [{ topic, partition: target.partition }]));
      expect(refused!.error?.errorName).toBe('PREFERRED_LEADER_NOT_AVAILABLE');

      await victim.restart();
      await until(`broker ${preferred} back in the ISR of partition ${target.partition}`, 60_000, async () =>
        (await topicMetadata(cluster.bootstrap, topic)).partitions[target.partition]!.isr.includes(preferred),
      );
      expect((await topicMetadata(cluster.bootstrap, topic)).partitions[target.partition]!.leader).not.toBe(preferred);
      const electedAt = Date.now();
      const results = await withMqAdmin(cluster.bootstrap, (a) => a.electLeaders('preferred', [{ topic, partition: target.partition }]));
      expect(results).toEqual([{ topic, partition: target.partition }]);
      await until(`broker ${preferred} leads partition ${target.partition} again`, 10_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions[target.partition]!.leader === preferred);
      // Every partition at once: the victim's other leaderships (internal topics' too) come back as
      // soon as it is in their ISR; then none is left to elect and the answer names no partition.
      const unexpected: string[] = [];
      await until('every partition led by its preferred replica', 30_000, async () => {
        const all = await withMqAdmin(cluster.bootstrap, (a) => a.electLeaders('preferred', null));
        for (const r of all) {
          const again = r.topic === topic && r.partition === target.partition;
          if (again || (r.error !== undefined && r.error.errorName !== 'PREFERRED_LEADER_NOT_AVAILABLE')) unexpected.push(`${r.topic}-${r.partition}: ${r.error?.message ?? 'elected again'}`);
        }
        return all.length === 0;
      });
      expect(unexpected).toEqual([]);
      await until(`partition ${target.partition} acknowledged after the election`, 30_000, () => load.lastAckAt(target.partition) > electedAt);
      const after = load.ackedCount(target.partition);
      await until('more acknowledgements', 30_000, () => load.ackedCount(target.partition) > after + 20);
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 120_000);

  it('(b) reassignment [1,2] → [2,3] under acks=all load: listed while in progress, completes, the new replicas hold every write', async () => {
    const topic = 'moved';
    const admin = kafka(cluster.bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }], waitForLeaders: true });
      await until('replicas [1,2] in sync', 30_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions[0]!.isr.length === 2);
      const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 1 });
      try {
        await until('load running', 30_000, () => load.ackedCount() > 100);
        const removedCopy = join(cluster.broker(1).dataDir, `${topic}-0`);
        expect(existsSync(removedCopy)).toBe(true);
        // The added replica cannot catch up while its broker is paused: the reassignment stays listed.
        const added = cluster.broker(3);
        await added.kill('SIGSTOP');
        try {
          await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [2, 3] }] }] });
          const listed = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] });
          expect(listed.topics).toEqual([{ name: topic, partitions: [{ partition: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }] }]);
          const duringMeta = (await topicMetadata(bootstrapOf(cluster, [3]), topic)).partitions[0]!;
          expect(duringMeta.replicas).toEqual([2, 3, 1]);
        } finally {
          await added.kill('SIGCONT');
        }
        const startedAt = Date.now();
        await until('the reassignment completed', 60_000, async () => (await admin.listPartitionReassignments({})).topics.length === 0);
        const completedMs = Date.now() - startedAt;
        const done = (await topicMetadata(cluster.bootstrap, topic)).partitions[0]!;
        expect(done.replicas).toEqual([2, 3]);
        expect([...done.isr].sort()).toEqual([2, 3]);
        expect([2, 3]).toContain(done.leader);
        // The removed replica's copy is deleted from its broker (its data dir keeps no moved-0).
        await until('broker 1 deleted its copy', 30_000, () => !existsSync(removedCopy));
        await until('acknowledged after the reassignment', 30_000, () => load.lastAckAt(0) > startedAt + completedMs);
        console.log(`reassignment [1,2] → [2,3] completed ${completedMs} ms after the added replica resumed; ${load.ackedCount()} acknowledged so far`);
      } finally {
        await load.stop();
      }
      expect(load.failures).toEqual([]);

      // Read back from the new replica set only: broker 1 is gone ...
      await cluster.broker(1).kill('SIGKILL');
      expect(checkHistory(load.acked, await readBack(bootstrapOf(cluster), topic))).toEqual([]);
      // ... and then from broker 3 (the added replica) alone, once it leads.
      await cluster.broker(2).kill('SIGKILL');
      await until('broker 3 leads the partition', 30_000, async () => (await topicMetadata(bootstrapOf(cluster), topic)).partitions[0]!.leader === 3);
      expect(checkHistory(load.acked, await readBack(bootstrapOf(cluster), topic))).toEqual([]);
      expect(load.acked.length).toBeGreaterThan(100);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, 150_000);
});
