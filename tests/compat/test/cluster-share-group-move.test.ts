// An empty share group whose coordinator moved is still listed and described (issue 13): a real
// 3-broker cluster (etcd + broker processes). A @mq/client ShareConsumer joins the group and leaves,
// so the group is Empty and its membership, in memory at its coordinator, is gone with it. Injected:
// SIGKILL of that coordinator (the broker leading the group's __consumer_offsets partition). The
// broker leading that partition next replays the group's ShareGroupMetadata record: kafkajs' admin
// (ListGroups to every live broker) lists it as a share group and DescribeGroups there describes it
// Empty — before any member comes back. DeleteGroups then removes it for good (its tombstone).
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient } from '@mq/client';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicMetadata, until } from '../src/cluster-probe';

const OFFSETS_PARTITIONS = 3;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'share.auto.offset.reset': 'earliest', 'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS), 'group.share.heartbeat.interval.ms': '200' },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const admin = async <T>(bootstrap: string, fn: (a: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> => {
  const a = new Kafka({ clientId: 'share-move-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } }).admin();
  await a.connect();
  try {
    return await fn(a);
  } finally {
    await a.disconnect();
  }
};

describe('share group metadata across a coordinator move', () => {
  it('the next coordinator lists and describes the empty group; DeleteGroups removes it', async () => {
    await admin(cluster.bootstrap, (a) => a.createTopics({ topics: [{ topic: 'moved', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true }));
    const group = 'moved-workers';
    const offsetsPartition = partitionFor(group, OFFSETS_PARTITIONS);
    const client = new MqClient({ bootstrapServers: cluster.bootstrap, clientId: 'share-move-member' });
    try {
      const consumer = client.shareConsumer({ groupId: group, maxWaitMs: 100 });
      consumer.subscribe(['moved']);
      await consumer.poll();
      await consumer.close();
    } finally {
      await client.close();
    }
    const coordinator = (await topicMetadata(cluster.bootstrap, CONSUMER_OFFSETS_TOPIC)).partitions[offsetsPartition]!.leader;
    const listedAt = async (bootstrap: string) => (await admin(bootstrap, (a) => a.listGroups())).groups.filter((g) => g.groupId === group).map((g) => g.protocolType);
    await until('the empty group listed at its coordinator', 60_000, async () => (await listedAt(cluster.bootstrap)).length === 1);

    await cluster.broker(coordinator).kill('SIGKILL');
    const live = cluster.brokers.filter((b) => b.nodeId !== coordinator).map((b) => `${b.host}:${b.port}`).join(',');
    await until('another broker leads the group partition', 60_000, async () => {
      const leader = (await topicMetadata(live, CONSUMER_OFFSETS_TOPIC)).partitions[offsetsPartition]?.leader;
      return leader !== undefined && leader !== coordinator && leader >= 0;
    });
    // Listed once (by its new coordinator only), as a share group, and described as Empty there.
    await until('the group listed by its new coordinator', 60_000, async () => (await listedAt(live)).length === 1);
    expect(await listedAt(live)).toEqual(['share']);
    const described = await admin(live, (a) => a.describeGroups([group]));
    expect(described.groups.map((g) => [g.groupId, g.protocolType, g.state, g.members.length])).toEqual([[group, 'share', 'Empty', 0]]);

    const deleted = await admin(live, (a) => a.deleteGroups([group]));
    expect(deleted.map((d) => [d.groupId, d.errorCode])).toEqual([[group, 0]]);
    expect(await listedAt(live)).toEqual([]);
    // Gone for the broker coming back too: it replays the tombstone when it leads the partition again.
    await cluster.broker(coordinator).restart();
    await until('the restarted broker is back', 60_000, async () => (await topicMetadata(cluster.bootstrap, CONSUMER_OFFSETS_TOPIC)).brokers.length === 3);
    expect(await listedAt(cluster.bootstrap)).toEqual([]);
  }, 300_000);
});
