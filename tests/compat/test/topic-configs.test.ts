// Acceptance: provisioning a topic with the 24 ordinary Kafka topic configs (the ones provisioning
// tools and compacted-topic setups send) through real clients — kafkajs 2.2.4 CreateTopics /
// DescribeConfigs / AlterConfigs, and @platformatic/kafka 2.12 (Node 24) CreateTopics v7 /
// IncrementalAlterConfigs / DescribeConfigs v4 with synonyms — plus authorized operations from
// Metadata v10 and DescribeCluster v1 through @platformatic/kafka's own connection.
import { startBroker } from '@mq/broker';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

/** 24 ordinary topic configs with non-default values (14 of them were refused before). */
const ORDINARY: Record<string, string> = {
  'cleanup.policy': 'compact,delete',
  'compression.type': 'zstd',
  'delete.retention.ms': '3600000',
  'file.delete.delay.ms': '30000',
  'flush.messages': '10000',
  'flush.ms': '1000',
  'index.interval.bytes': '8192',
  'max.compaction.lag.ms': '86400000',
  'max.message.bytes': '2097152',
  'message.timestamp.difference.max.ms': '86400000',
  'message.timestamp.type': 'LogAppendTime',
  'min.cleanable.dirty.ratio': '0.3',
  'min.compaction.lag.ms': '60000',
  'min.insync.replicas': '1',
  preallocate: 'true',
  'retention.bytes': '1073741824',
  'retention.ms': '86400000',
  'segment.bytes': '536870912',
  'segment.index.bytes': '5242880',
  'segment.jitter.ms': '60000',
  'segment.ms': '3600000',
  'unclean.leader.election.enable': 'true',
  'message.timestamp.before.max.ms': '86400000',
  'message.timestamp.after.max.ms': '3600000',
};

/** Second values for the same 24, for AlterConfigs / IncrementalAlterConfigs. */
const ALTERED: Record<string, string> = {
  ...ORDINARY,
  'cleanup.policy': 'compact',
  'compression.type': 'gzip',
  'delete.retention.ms': '7200000',
  'min.cleanable.dirty.ratio': '0.6',
  'max.compaction.lag.ms': '172800000',
  'min.compaction.lag.ms': '0',
  'segment.jitter.ms': '0',
  'unclean.leader.election.enable': 'false',
  'message.timestamp.type': 'CreateTime',
};

// Kafka's AclOperation bits: cluster ALTER, ALTER_CONFIGS, CLUSTER_ACTION, CREATE, DESCRIBE,
// DESCRIBE_CONFIGS, IDEMPOTENT_WRITE; topic ALTER, ALTER_CONFIGS, CREATE, DELETE, DESCRIBE,
// DESCRIBE_CONFIGS, READ, WRITE.
const bits = (...codes: number[]) => codes.reduce((f, c) => f | (1 << c), 0);
const CLUSTER_OPS = bits(7, 11, 9, 5, 8, 10, 12);
const TOPIC_OPS = bits(7, 11, 5, 6, 8, 10, 3, 4);

describe('topic configs through real clients', () => {
  let broker: Broker;
  let dataDir: string;
  let admin: Admin;

  beforeAll(async () => {
    expect(Object.keys(ORDINARY)).toHaveLength(24);
    dataDir = await makeTempDir('topic-configs');
    broker = await startBroker({ dataDir });
    const kafka = new Kafka({ clientId: 'compat-topic-configs', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('kafkajs creates a topic with all 24, describes them, and alters them', async () => {
    const configEntries = Object.entries(ORDINARY).map(([name, value]) => ({ name, value }));
    expect(await admin.createTopics({ topics: [{ topic: 'provisioned-kafkajs', numPartitions: 2, configEntries }] })).toBe(true);
    const described = async () => {
      const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'provisioned-kafkajs' }] });
      return new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
    };
    let by = await described();
    for (const [name, value] of Object.entries(ORDINARY)) expect(by.get(name), name).toMatchObject({ configValue: value, isDefault: false });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'provisioned-kafkajs', configEntries: Object.entries(ALTERED).map(([name, value]) => ({ name, value })) }],
    });
    by = await described();
    for (const [name, value] of Object.entries(ALTERED)) expect(by.get(name), name).toMatchObject({ configValue: value });
  });

  it('@platformatic/kafka creates with all 24, alters them incrementally, and reads authorized operations', async () => {
    const result = await runNode24Fixture<{
      error?: string;
      created: string[];
      altered: boolean;
      badValue: { errorCode: number; errorMessage: string }[] | string;
      configs: { name: string; value: string; source: number; type: number; synonyms: { name: string; value: string; source: number }[] }[];
      metadata: { cluster: number; topics: [string, number][] };
      metadataNotAsked: { cluster: number; topic: number };
      describeCluster: number;
    }>('platformatic-topic-configs.mjs', { host: broker.host, port: broker.port, topic: 'provisioned-platformatic', create: ORDINARY, alter: ALTERED });
    expect(result.error).toBeUndefined();
    expect(result.created).toEqual(['provisioned-platformatic']);
    expect(result.altered).toBe(true);
    expect(result.badValue).toEqual([{ errorCode: 40, errorMessage: 'min.cleanable.dirty.ratio: 2 is outside [0, 1]' }]); // INVALID_CONFIG
    const by = new Map(result.configs.map((c) => [c.name, c]));
    for (const [name, value] of Object.entries(ALTERED)) expect(by.get(name), name).toMatchObject({ value, source: 1 });
    expect(by.get('min.cleanable.dirty.ratio')).toMatchObject({
      type: 6,
      synonyms: [
        { name: 'min.cleanable.dirty.ratio', value: '0.6', source: 1 },
        { name: 'log.cleaner.min.cleanable.ratio', value: '0.5', source: 5 },
      ],
    });
    expect(by.get('unclean.leader.election.enable')!.type).toBe(1);
    expect(by.get('max.compaction.lag.ms')!.type).toBe(5);
    expect(result.metadata).toEqual({ cluster: CLUSTER_OPS, topics: [['provisioned-platformatic', TOPIC_OPS]] });
    expect(result.metadataNotAsked).toEqual({ cluster: -2147483648, topic: -2147483648 });
    expect(result.describeCluster).toBe(CLUSTER_OPS);
  });
});
