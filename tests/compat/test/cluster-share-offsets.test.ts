// Share-group start offsets on a real 3-broker cluster (etcd + broker processes) when the state is
// not where the question lands: the group's coordinator (which answers DescribeShareGroupOffsets)
// is a broker that does not lead __share_group_state, so it reads each share-partition's start
// offset at its share coordinator with ReadShareGroupStateSummary (API 87). An @kafkats/client share
// consumer accepts 100 records per partition of a 3-partition topic, 50 more per partition are
// produced and left; then @mq/client's admin and the real `mq share-groups describe` CLI, asked of
// every broker, report start offset 100 and lag 50 per partition. API 87 itself on the wire: the
// state's leader answers the start offsets, another broker NOT_COORDINATOR; asking with a leader
// epoch far ahead fences no one (the rest is accepted afterwards and the start offsets move on).
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient } from '@mq/client';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicMetadata, until } from '../src/cluster-probe';
import { mq } from '../src/mq-cli';
import { WireClient } from './groups-wire-client';

const TOPIC = 'ledger';
const PARTITIONS = 3;
const OFFSETS_PARTITIONS = 3;
const ACCEPTED = 100;
const LEFT = 50;
/** A leader epoch no leader has: had the summary read claimed the keys, every real leader would be fenced. */
const FAR_FUTURE_EPOCH = 1_000_000;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'share.auto.offset.reset': 'earliest',
      // One state partition: all of the group's share-partitions have one share coordinator.
      'share.coordinator.state.topic.num.partitions': '1',
      'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const kafka = (): Kafka => new Kafka({ clientId: 'share-offsets-test', brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });

async function produce(perPartition: number, from: number): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: perPartition * PARTITIONS }, (_, i) => ({ partition: i % PARTITIONS, value: String(from + i) })) });
  } finally {
    await producer.disconnect();
  }
}

describe('DescribeShareGroupOffsets when __share_group_state is led by another broker', () => {
  it('the group coordinator reads the start offsets at the share coordinator (ReadShareGroupStateSummary)', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    await produce(ACCEPTED, 0);
    // __share_group_state exists once the controller created it with the cluster.
    let stateLeader = -1;
    await until('__share_group_state led', 60_000, async () => {
      stateLeader = (await topicMetadata(cluster.bootstrap, '__share_group_state')).partitions[0]?.leader ?? -1;
      return stateLeader > 0;
    });
    // A group whose coordinator (its __consumer_offsets partition's leader) is another broker.
    const offsetsLeaders = (await topicMetadata(cluster.bootstrap, CONSUMER_OFFSETS_TOPIC)).partitions.map((p) => p.leader);
    const group = Array.from({ length: 50 }, (_, i) => `ledger-workers-${i}`).find((g) => offsetsLeaders[partitionFor(g, OFFSETS_PARTITIONS)] !== stateLeader);
    expect(group, `a group not coordinated by broker ${stateLeader}`).toBeDefined();
    const coordinator = offsetsLeaders[partitionFor(group!, OFFSETS_PARTITIONS)]!;
    expect(coordinator).not.toBe(stateLeader);

    await acceptAll(group!, (a) => a.size === ACCEPTED * PARTITIONS);
    await until('the accepts durable at the broker', 30_000, async () => {
      const offsets = await shareOffsets(cluster.bootstrap, group!);
      return offsets.length === PARTITIONS && offsets.every((o) => o.startOffset === BigInt(ACCEPTED));
    });
    await produce(LEFT, ACCEPTED * PARTITIONS);

    // @mq/client and the mq CLI, each bootstrapped from every broker: the coordinator answers for all.
    const expected = Array.from({ length: PARTITIONS }, (_, partition) => ({
      topic: TOPIC,
      partition,
      startOffset: BigInt(ACCEPTED),
      highWatermark: BigInt(ACCEPTED + LEFT),
      lag: BigInt(LEFT),
    }));
    for (const b of cluster.brokers) {
      expect(await shareOffsets(`${b.host}:${b.port}`, group!)).toEqual(expected);
      const cli = await mq(['-b', `${b.host}:${b.port}`, '-o', 'json', 'share-groups', 'describe', group!]);
      expect(cli.code, cli.stderr).toBe(0);
      const described = JSON.parse(cli.stdout) as { group: string; partitions: { topic: string; partition: number; startOffset: number | string; lag: number | string }[] };
      expect(described.group).toBe(group);
      expect(described.partitions.map((p) => [p.topic, p.partition, Number(p.startOffset), Number(p.lag)])).toEqual(expected.map((e) => [TOPIC, e.partition, ACCEPTED, LEFT]));
    }

    // API 87 on the wire: the share coordinator answers; any other broker does not coordinate the key.
    const topicId = await topicIdOf(TOPIC);
    const ask = async (nodeId: number) => {
      const wire = await WireClient.open(cluster.broker(nodeId).port);
      try {
        return await wire.call(ApiKey.ReadShareGroupStateSummary, 0, {
          groupId: group,
          topics: [{ topicId, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, leaderEpoch: FAR_FUTURE_EPOCH })) }],
        });
      } finally {
        wire.close();
      }
    };
    const atLeader = await ask(stateLeader);
    expect(atLeader.results[0].partitions.map((p: { partition: number; errorCode: number; startOffset: bigint }) => [p.partition, p.errorCode, p.startOffset])).toEqual(
      Array.from({ length: PARTITIONS }, (_, partition) => [partition, ErrorCode.NONE, BigInt(ACCEPTED)]),
    );
    const elsewhere = await ask(coordinator);
    expect(elsewhere.results[0].partitions.map((p: { errorCode: number }) => p.errorCode)).toEqual(Array(PARTITIONS).fill(ErrorCode.NOT_COORDINATOR));
    // Asking claimed nothing (a leader epoch far ahead fenced no one): the leaders still write, the rest is accepted.
    await acceptAll(group!, (a) => a.size === LEFT * PARTITIONS);
    await until('the rest acknowledged', 60_000, async () => (await shareOffsets(cluster.bootstrap, group!)).every((o) => o.startOffset === BigInt(ACCEPTED + LEFT) && o.lag === 0n));
  }, 300_000);
});

/** An @kafkats/client share consumer of `group` accepting records until `done` holds for the values it accepted. */
async function acceptAll(group: string, done: (accepted: ReadonlySet<string>) => boolean): Promise<void> {
  const client = new KafkaClient({ clientId: 'share-offsets', brokers: cluster.bootstrap.split(',') });
  await client.connect();
  const consumer = client.shareConsumer({ groupId: group, maxWaitMs: 200 });
  const accepted = new Set<string>();
  const run = consumer.runEach(TOPIC, async (m) => {
    await m.ack();
    accepted.add(m.value!.toString());
  });
  try {
    await until('every record accepted', 120_000, () => done(accepted));
  } finally {
    await consumer.stop();
    await run.catch(() => undefined);
    await client.disconnect();
  }
}

async function shareOffsets(bootstrap: string, group: string) {
  const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'share-offsets-check' });
  try {
    return await client.admin().shareGroups().offsets(group);
  } finally {
    await client.close();
  }
}

async function topicIdOf(topic: string): Promise<string> {
  const client = new MqClient({ bootstrapServers: cluster.bootstrap, clientId: 'share-offsets-topic-id' });
  try {
    const id = (await client.admin().describeTopics([topic]))[0]?.topicId;
    if (id == null) throw new Error(`${topic} has no topic id`);
    return id;
  } finally {
    await client.close();
  }
}
