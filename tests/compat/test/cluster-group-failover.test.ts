// A consumer group across its coordinator's death: 3 brokers, __consumer_offsets replicated
// (offsets.topic.replication.factor 3, created by the controller), a kafkajs group committing
// after every message. Injected: SIGKILL of the broker leading the group's __consumer_offsets
// partition (its coordinator) while the group consumes. Checked: the coordinator moves to another
// replica, the group keeps consuming, no read ever goes below an acknowledged commit (a lost
// commit would rewind it), every message is read, and the final committed offsets are the ends.
import { type RunningCluster, startCluster } from '@mq/broker';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { Kafka, logLevel } from 'kafkajs';
import { liveKafka } from '../src/cluster-failover';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const TOPIC = 'orders';
const GROUP = 'billing';
const OFFSETS_PARTITIONS = 6;
let cluster: RunningCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS) } });
  kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const liveClient = (): Kafka => liveKafka(cluster);

async function produce(from: number, count: number): Promise<void> {
  const producer = liveClient().producer({ idempotent: true });
  await producer.connect();
  try {
    for (let i = from; i < from + count; i += 50) {
      const n = Math.min(50, from + count - i);
      await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ partition: (i + j) % 3, value: `m${i + j}` })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The broker leading the group's __consumer_offsets partition, from Metadata. */
async function coordinatorOf(group: string): Promise<{ nodeId: number; isr: number[] }> {
  const admin = liveClient().admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: [CONSUMER_OFFSETS_TOPIC] });
    const p = md.topics[0]!.partitions.find((x) => x.partitionId === partitionFor(group, OFFSETS_PARTITIONS))!;
    return { nodeId: p.leader, isr: p.isr };
  } finally {
    await admin.disconnect();
  }
}

describe('a consumer group when its coordinator is SIGKILLed', () => {
  it('kafkajs: the coordinator moves, the group keeps consuming, no acknowledged commit is lost', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().slice(-40).join('\n')}`);
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    // All of it before the kill: what is checked is the group, not a producer's failover.
    await produce(0, 600);

    const acked = new Map<number, bigint>(); // partition → highest acknowledged commit (next offset to read)
    const rewinds: string[] = [];
    const seen = new Set<string>();
    let reads = 0;
    const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        const floor = acked.get(partition) ?? 0n;
        if (offset < floor) rewinds.push(`partition ${partition}: read offset ${offset} below the acknowledged commit ${floor}`);
        reads++;
        seen.add(message.value!.toString());
        await consumer.commitOffsets([{ topic: TOPIC, partition, offset: String(offset + 1n) }]);
        if (offset + 1n > (acked.get(partition) ?? 0n)) acked.set(partition, offset + 1n);
      },
    });
    await expect.poll(() => seen.size, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(100);
    // Committing after every message, the group is far from done when its coordinator dies.
    expect(seen.size).toBeLessThan(500);

    const before = await coordinatorOf(GROUP);
    expect(before.isr).toHaveLength(3);
    await cluster.broker(before.nodeId).kill('SIGKILL');
    await expect.poll(() => seen.size, { timeout: 120_000, interval: 200 }).toBe(600);
    const after = await coordinatorOf(GROUP);
    expect(after.nodeId).not.toBe(before.nodeId);
    expect(before.isr).toContain(after.nodeId);
    await consumer.stop();
    await consumer.disconnect();

    expect(rewinds).toEqual([]);
    const check = liveClient().admin();
    await check.connect();
    try {
      const [committed] = await check.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      const ends = await check.fetchTopicOffsets(TOPIC);
      const byPartition = (rows: { partition: number; offset: string }[]) => Object.fromEntries(rows.map((r) => [r.partition, r.offset]));
      expect(byPartition(committed!.partitions)).toEqual(byPartition(ends.map((e) => ({ partition: e.partition, offset: e.high }))));
    } finally {
      await check.disconnect();
    }
    console.log(`group failover: coordinator ${before.nodeId} → ${after.nodeId}; ${reads} reads of 600 messages (${reads - 600} redelivered)`);
  }, 300_000);
});
