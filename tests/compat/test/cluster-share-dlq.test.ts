// Dead-letter topics on a real 3-broker cluster (etcd + broker processes). An @kafkats/client share
// consumer rejects some records of a replicated topic. (a) The DLQ does not exist: the source
// partitions' leaders (most of them not the controller) create `<topic>.dlq` through the controller,
// replicated like the source (3 replicas, every one in the ISR). (b) The DLQ exists with its
// partitions led by other brokers than the source's: each leader forwards its dead letters to the
// DLQ partition's leader (acks=all). Checked with kcat: every rejected record is in the DLQ exactly
// once, in the source's partition index, with the mq-dlq-* headers naming where it came from.
import { type RunningCluster, startCluster } from '@mq/broker';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicMetadata, until } from '../src/cluster-probe';
import { kcatRecords } from '../src/kcat';

const N = 90;
const PARTITIONS = 3;
let cluster: RunningCluster;
let client: KafkaClient;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'share.auto.offset.reset': 'earliest', 'share.coordinator.state.topic.num.partitions': '3', 'offsets.topic.num.partitions': '3' },
  });
  client = new KafkaClient({ clientId: 'cluster-dlq', brokers: cluster.bootstrap.split(',') });
  await client.connect();
}, 180_000);

afterAll(async () => {
  await client?.disconnect();
  await cluster?.stop();
});

const kafka = (): Kafka => new Kafka({ clientId: 'cluster-dlq-test', brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });

/** Creates `topic` (replicas per partition, first one preferred leader) and produces N numbered records spread over its partitions. */
async function produce(topic: string, replicas: number[][]): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, replicaAssignment: replicas.map((r, partition) => ({ partition, replicas: r })) }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  await until(`${topic} in sync`, 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: N }, (_, i) => ({ partition: i % PARTITIONS, key: `k${i}`, value: String(i), headers: { app: `h${i}` } })) });
  } finally {
    await producer.disconnect();
  }
}

/** A share consumer that rejects every record whose number is divisible by 3 and accepts the rest, until all N are handled. */
async function rejectEveryThird(topic: string, groupId: string): Promise<number[]> {
  const consumer = client.shareConsumer({ groupId, maxWaitMs: 200 });
  const handled = new Set<number>();
  const rejected: number[] = [];
  const run = consumer.runEach(topic, async (m) => {
    const n = Number(m.value?.toString());
    if (n % 3 === 0) {
      await m.reject();
      rejected.push(n);
    } else await m.ack();
    handled.add(n);
  });
  try {
    await until('every record accepted or rejected', 120_000, () => handled.size === N);
  } finally {
    await consumer.stop();
    await run.catch(() => undefined);
  }
  return rejected;
}

/** The DLQ's records: each rejected record once, in the source's partition index, with its mq-dlq-* headers. */
async function expectDeadLetters(topic: string, groupId: string, rejected: readonly number[]): Promise<void> {
  const letters = await kcatRecords(cluster.bootstrap, `${topic}.dlq`, rejected.length);
  expect(letters.map((l) => Number(l.payload)).sort((a, b) => a - b)).toEqual([...new Set(rejected)].sort((a, b) => a - b));
  for (const l of letters) {
    const n = Number(l.payload);
    expect(l.partition).toBe(n % PARTITIONS);
    expect(l.key).toBe(`k${n}`);
    expect(l.h).toMatchObject({
      app: `h${n}`,
      'mq-dlq-topic': topic,
      'mq-dlq-partition': String(n % PARTITIONS),
      'mq-dlq-offset': String(Math.floor(n / PARTITIONS)),
      'mq-dlq-group': groupId,
      'mq-dlq-reason': 'rejected',
    });
  }
  // Nothing more than the rejected records (no dead letter written twice), over the source's partition count.
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(offsets).toHaveLength(PARTITIONS);
    expect(offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0)).toBe(rejected.length);
  } finally {
    await admin.disconnect();
  }
}

describe('dead-letter topics on 3 brokers', () => {
  it('(a) the DLQ is created through the controller, replicated like its source', async () => {
    await produce('jobs', [
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ]);
    const rejected = await rejectEveryThird('jobs', 'jobs-workers');
    expect(rejected).toHaveLength(N / 3);
    await expectDeadLetters('jobs', 'jobs-workers', rejected);
    await until('jobs.dlq in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, 'jobs.dlq')).partitions.every((p) => p.isr.length === 3));
    const dlq = await topicMetadata(cluster.bootstrap, 'jobs.dlq');
    for (const p of dlq.partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);
  }, 300_000);

  it('(b) dead letters go to the DLQ partition leader when another broker leads it', async () => {
    // The DLQ first, each partition led by the broker after the source partition's leader.
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic: 'orders.dlq',
            replicaAssignment: [
              { partition: 0, replicas: [2, 3, 1] },
              { partition: 1, replicas: [3, 1, 2] },
              { partition: 2, replicas: [1, 2, 3] },
            ],
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    await produce('orders', [
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ]);
    const source = await topicMetadata(cluster.bootstrap, 'orders');
    const dlq = await topicMetadata(cluster.bootstrap, 'orders.dlq');
    // The setup holds: no source partition shares its leader with its DLQ partition.
    for (let p = 0; p < PARTITIONS; p++) expect(dlq.partitions[p]!.leader).not.toBe(source.partitions[p]!.leader);
    const rejected = await rejectEveryThird('orders', 'order-workers');
    expect(rejected).toHaveLength(N / 3);
    await expectDeadLetters('orders', 'order-workers', rejected);
  }, 300_000);
});
