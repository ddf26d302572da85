// Acceptance (#10 item 5): __consumer_offsets is a real internal topic — created by the first group
// lookup, listed by Metadata with is_internal (kcat -L and kafkajs see its 50 partitions), closed to
// client produce, delete and growth — FindCoordinator answers this broker for every group, and OffsetDelete (API 47) removes
// offsets of a topic a kafkajs group no longer consumes while refusing GROUP_SUBSCRIBED_TO_TOPIC
// for the one it does.
import { ApiKey, ErrorCode } from '@mq/protocol';
import { startBroker, type RunningBroker } from '@mq/broker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatMetadata } from '../src/kcat';
import { WireClient } from './groups-wire-client';

describe('the internal topic __consumer_offsets', () => {
  let broker: RunningBroker;
  let kafka: Kafka;
  let admin: Admin;
  let wire: WireClient;

  beforeAll(async () => {
    broker = await startBroker({ groups: { initialRebalanceDelayMs: 0 } });
    kafka = new Kafka({ clientId: 'offsets-topic', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'ot-live', numPartitions: 2 }, { topic: 'ot-old', numPartitions: 2 }], waitForLeaders: true });
    wire = await WireClient.open(broker.port);
  });

  afterAll(async () => {
    wire?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('is created by the first group lookup and listed as internal with offsets.topic.num.partitions partitions (kcat -L, kafkajs, Metadata v12)', async () => {
    // Created on first use, as Kafka's: absent until a client looks a group coordinator up.
    expect((await kcatMetadata(`127.0.0.1:${broker.port}`)).topics.map((t) => t.topic)).not.toContain('__consumer_offsets');
    const found = await wire.call(ApiKey.FindCoordinator, 3, { key: 'first-group', keyType: 0 });
    expect(found).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
    const md = await kcatMetadata(`127.0.0.1:${broker.port}`);
    expect(md.topics.find((t) => t.topic === '__consumer_offsets')?.partitions).toHaveLength(50);
    const kjs = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    expect(kjs.topics[0]!.partitions).toHaveLength(50);
    const raw = await wire.call(ApiKey.Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    const byName = new Map((raw.topics as { name: string; isInternal: boolean }[]).map((t) => [t.name, t.isInternal]));
    expect(byName.get('__consumer_offsets')).toBe(true);
    expect(byName.get('ot-live')).toBe(false);
    // kafkajs lists it, as it does against Kafka.
    expect(await admin.listTopics()).toContain('__consumer_offsets');
  });

  it('refuses client produce (INVALID_TOPIC_EXCEPTION), delete and growth (POLICY_VIOLATION), and re-creation', async () => {
    const produce = await wire.call(ApiKey.Produce, 9, {
      transactionalId: null, acks: -1, timeoutMs: 5000,
      topicData: [{ name: '__consumer_offsets', partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
    });
    expect(produce.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    const del = await wire.call(ApiKey.DeleteTopics, 4, { topicNames: ['__consumer_offsets'], timeoutMs: 5000 });
    expect(del.responses[0].errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    const grow = await wire.call(ApiKey.CreatePartitions, 1, { topics: [{ name: '__consumer_offsets', count: 60, assignments: null }], timeoutMs: 5000, validateOnly: false });
    expect(grow.results[0].errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    const create = await wire.call(ApiKey.CreateTopics, 5, { topics: [{ name: '__consumer_offsets', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    expect(create.topics[0].errorCode).not.toBe(ErrorCode.NONE);
    expect((await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics[0]!.partitions).toHaveLength(50);
  });

  it('FindCoordinator answers this broker for every group (v3 and batched v4)', async () => {
    const one = await wire.call(ApiKey.FindCoordinator, 3, { key: 'polygenelubricants', keyType: 0 });
    expect(one).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
    const many = await wire.call(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b', 'billing', 'x'.repeat(300)] });
    expect(many.coordinators.map((c: { errorCode: number; port: number }) => [c.errorCode, c.port])).toEqual(Array(4).fill([ErrorCode.NONE, broker.port]));
  });

  it('OffsetDelete: a kafkajs group keeps the offsets of the topic it consumes, loses those of one it left', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'ot-live', messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] });
    await producer.disconnect();
    await admin.setOffsets({ groupId: 'ot-group', topic: 'ot-old', partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '2' }] });
    const consumer = kafka.consumer({ groupId: 'ot-group', sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'ot-live', fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => { if (++seen === 2) resolve(); } }).catch(reject);
    });
    try {
      await consumer.commitOffsets([{ topic: 'ot-live', partition: 0, offset: '1' }]);
      const res = await wire.call(ApiKey.OffsetDelete, 0, {
        groupId: 'ot-group',
        topics: [{ name: 'ot-live', partitions: [{ partitionIndex: 0 }] }, { name: 'ot-old', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] }],
      });
      expect(res).toEqual({
        errorCode: ErrorCode.NONE,
        throttleTimeMs: 0,
        topics: [
          { name: 'ot-live', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
          { name: 'ot-old', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.NONE }] },
        ],
      });
      const old = await admin.fetchOffsets({ groupId: 'ot-group', topics: ['ot-old'] });
      expect(old[0]!.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
      const live = await admin.fetchOffsets({ groupId: 'ot-group', topics: ['ot-live'] });
      expect(live[0]!.partitions.find((p) => p.partition === 0)?.offset).toBe('1');
    } finally {
      await consumer.disconnect();
    }
    const unknown = await wire.call(ApiKey.OffsetDelete, 0, { groupId: 'no-such-group', topics: [{ name: 'ot-old', partitions: [{ partitionIndex: 0 }] }] });
    expect(unknown).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, throttleTimeMs: 0, topics: [] });
  });
});
