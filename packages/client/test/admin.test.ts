// Admin against a real broker: topics, partitions, configs, cluster description and typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaError } from '../src/index';
import { type Harness, startHarness, topicName } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('admin', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const admin = h.client.admin();
    const topic = topicName('adm');
    await admin.createTopics([{ name: topic, numPartitions: 3, configs: { 'retention.ms': '3600000' } }]);
    expect(await admin.listTopics()).toContain(topic);
    const [d] = await admin.describeTopics([topic]);
    expect(d!.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of d!.partitions) {
      expect(p.leaderId).toBe(0);
      expect(p.isr).toEqual([0]);
    }
    await admin.deleteTopics([topic]);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('reports Kafka errors as typed KafkaError with the code', async () => {
    const admin = h.client.admin();
    const topic = topicName('dup');
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    const err = await admin.createTopics([{ name: topic, numPartitions: 1 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaError);
    expect(err).toMatchObject({ errorCode: 36, errorName: 'TOPIC_ALREADY_EXISTS' });
    await expect(admin.describeTopics([topicName('nope')])).rejects.toMatchObject({ errorCode: 3 });
    await expect(admin.deleteTopics([topicName('nope')])).rejects.toMatchObject({ errorCode: 3 });
  });

  it('adds partitions', async () => {
    const admin = h.client.admin();
    const topic = topicName('grow');
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    await admin.createPartitions(topic, 4);
    const [d] = await admin.describeTopics([topic]);
    expect(d!.partitions).toHaveLength(4);
    await expect(admin.createPartitions(topic, 2)).rejects.toMatchObject({ errorName: 'INVALID_PARTITIONS' });
  });

  it('describes and alters topic configs', async () => {
    const admin = h.client.admin();
    const topic = topicName('cfg');
    await admin.createTopics([{ name: topic, numPartitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
    let configs = await admin.describeConfigs('topic', topic);
    const byName = (n: string) => configs.find((c) => c.name === n);
    expect(byName('cleanup.policy')).toMatchObject({ value: 'compact', isDefault: false, source: 'DYNAMIC_TOPIC_CONFIG' });
    await admin.alterConfigs('topic', topic, { set: { 'retention.ms': '12345' }, delete: ['cleanup.policy'] });
    configs = await admin.describeConfigs('topic', topic);
    expect(byName('retention.ms')).toMatchObject({ value: '12345', isDefault: false });
    expect(byName('cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true });
  });

  it('lists offsets and describes the cluster', async () => {
    const admin = h.client.admin();
    const topic = topicName('offs');
    await admin.createTopics([{ name: topic, numPartitions: 2 }]);
    await h.client.producer().send({ topic, messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] });
    expect((await admin.listOffsets(topic, 'earliest')).map((o) => o.offset)).toEqual([0n, 0n]);
    expect((await admin.listOffsets(topic, 'latest')).map((o) => o.offset)).toEqual([0n, 2n]);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: h.broker.port, rack: null }]);
    expect(cluster.apiVersions.find((v) => v.apiKey === 18)).toBeTruthy();
  });
});
