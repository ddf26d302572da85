// Acceptance: topic administration and per-topic configs through kafkajs 2.2.4's admin client, with
// kcat -L as the independent witness — CreateTopics validation errors, CreatePartitions,
// DeleteTopics, DescribeConfigs/AlterConfigs, DeleteRecords, LogAppendTime vs CreateTime.
import { startBroker } from '@mq/broker';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcat, kcatConsumeAll, kcatMetadata } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

/** The Kafka error type names a kafkajs admin call failed with (its errors carry `type`). */
async function errorTypes(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
    return [];
  } catch (err) {
    // kafkajs wraps a final retriable error in KafkaJSNumberOfRetriesExceeded (its cause).
    type KafkajsError = { type?: string; errors?: KafkajsError[]; cause?: KafkajsError };
    const unwrap = (x: KafkajsError): KafkajsError => (x.type === undefined && x.cause ? unwrap(x.cause) : x);
    const e = unwrap(err as KafkajsError);
    const types = (e.errors ?? [e]).map((x) => unwrap(x).type ?? String(x));
    return types.sort();
  }
}

describe('kafkajs admin', () => {
  let broker: Broker;
  let dataDir: string;
  let bootstrap: string;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    dataDir = await makeTempDir('admin');
    broker = await startBroker({ dataDir, config: { autoCreateTopicsEnable: false } });
    bootstrap = `${broker.host}:${broker.port}`;
    kafka = new Kafka({ clientId: 'compat-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('creates a topic once; a second create reports TOPIC_ALREADY_EXISTS', async () => {
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 2 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 2 }] })).toBe(false);
    const md = await kcatMetadata(bootstrap, 'admin-a');
    expect(md.topics[0]!.partitions).toHaveLength(2);
  });

  it('rejects invalid names, partition counts and replication factors with the protocol errors', async () => {
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'bad/name' }] }))).toEqual(['INVALID_TOPIC_EXCEPTION']);
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'x'.repeat(250) }] }))).toEqual(['INVALID_TOPIC_EXCEPTION']);
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'admin-zero', numPartitions: 0 }] }))).toEqual(['INVALID_PARTITIONS']);
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'admin-rf', replicationFactor: 3 }] }))).toEqual(['INVALID_REPLICATION_FACTOR']);
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'admin-cfg', configEntries: [{ name: 'no.such.config', value: '1' }] }] }))).toEqual(['INVALID_CONFIG']);
    const md = await kcatMetadata(bootstrap);
    expect(md.topics.map((t) => t.topic).filter((t) => t.startsWith('admin-') && t !== 'admin-a')).toEqual([]);
  });

  it('adds partitions (CreatePartitions) and refuses to shrink', async () => {
    await admin.createPartitions({ topicPartitions: [{ topic: 'admin-a', count: 5 }] });
    expect((await kcatMetadata(bootstrap, 'admin-a')).topics[0]!.partitions).toHaveLength(5);
    expect(await errorTypes(admin.createPartitions({ topicPartitions: [{ topic: 'admin-a', count: 3 }] }))).toEqual(['INVALID_PARTITIONS']);
  });

  it('describes and alters per-topic configs', async () => {
    await admin.createTopics({ topics: [{ topic: 'admin-cfg-ok', configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] }] });
    const describe = async (): Promise<Map<string, string | null>> => {
      const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'admin-cfg-ok' }] });
      return new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    };
    const before = await describe();
    expect(before.get('retention.ms')).toBe('3600000');
    expect(before.get('cleanup.policy')).toBe('compact');
    expect(before.has('segment.bytes')).toBe(true);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'admin-cfg-ok', configEntries: [{ name: 'retention.ms', value: '7200000' }] }] });
    expect((await describe()).get('retention.ms')).toBe('7200000');
  });

  it('deletes a topic: gone from metadata; deleting it again reports UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await admin.createTopics({ topics: [{ topic: 'admin-del' }] });
    await admin.deleteTopics({ topics: ['admin-del'] });
    const md = await kcatMetadata(bootstrap);
    expect(md.topics.map((t) => t.topic)).not.toContain('admin-del');
    expect(await errorTypes(admin.deleteTopics({ topics: ['admin-del'] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
  });

  it('DeleteRecords moves logStartOffset: consumers from the beginning start there', async () => {
    await admin.createTopics({ topics: [{ topic: 'admin-dr' }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'admin-dr', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();
    // kafkajs looks the leader up in its metadata cache only: load the topic's metadata first.
    await admin.fetchTopicMetadata({ topics: ['admin-dr'] });
    await admin.deleteTopicRecords({ topic: 'admin-dr', partitions: [{ partition: 0, offset: '6' }] });
    const out = (await kcatConsumeAll(bootstrap, 'admin-dr', '%o %s\\n')).toString().trim().split('\n');
    expect(out).toEqual(['6 m6', '7 m7', '8 m8', '9 m9']);
    const offsets = await admin.fetchTopicOffsets('admin-dr');
    expect(offsets[0]).toMatchObject({ partition: 0, low: '6', high: '10' });
  });

  it('keeps the producer timestamp under CreateTime and stamps the broker time under LogAppendTime', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'admin-ct' },
        { topic: 'admin-lat', configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now();
    for (const topic of ['admin-ct', 'admin-lat']) await producer.send({ topic, acks: -1, messages: [{ value: 'old', timestamp: '1000' }] });
    const t1 = Date.now();
    await producer.disconnect();
    const ts = async (topic: string): Promise<number> => Number((await kcatConsumeAll(bootstrap, topic, '%T\\n')).toString().trim());
    expect(await ts('admin-ct')).toBe(1000);
    const stamped = await ts('admin-lat');
    expect(stamped).toBeGreaterThanOrEqual(t0 - 1);
    expect(stamped).toBeLessThanOrEqual(t1 + 1);
  });

  it('refuses auto-creation when auto.create.topics.enable is false', async () => {
    await expect(kcat(['-P', '-b', bootstrap, '-t', 'admin-never', '-X', 'message.timeout.ms=3000'], 30_000, 'x\n')).rejects.toThrow();
    expect((await kcatMetadata(bootstrap)).topics.map((t) => t.topic)).not.toContain('admin-never');
  });
});
