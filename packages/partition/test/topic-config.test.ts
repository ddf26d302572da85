// Topic names and configs: Kafka's validation rules and effective-value resolution.
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidTopicError } from '@mq/errors';
import { describeTopicConfig, resolveTopicConfig, topicConfigForBrokerProperty, validateTopicConfigs } from '../src/topic-config';
import { validateTopicName } from '../src/topic-name';

describe('validateTopicName', () => {
  it('accepts legal names', () => {
    for (const n of ['a', 'orders.v1', 'A-b_c.9', 'x'.repeat(249)]) expect(() => validateTopicName(n)).not.toThrow();
  });
  it('rejects illegal names', () => {
    for (const n of ['', '.', '..', 'x'.repeat(250), 'a b', 'ü', 'a/b']) expect(() => validateTopicName(n)).toThrow(InvalidTopicError);
  });
});

describe('topic configs', () => {
  it('validates names and values', () => {
    expect(validateTopicConfigs({ 'retention.ms': '1000', 'cleanup.policy': 'compact,delete' })).toEqual({
      'retention.ms': '1000',
      'cleanup.policy': 'compact,delete',
    });
    expect(() => validateTopicConfigs({ 'no.such': '1' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'retention.ms': 'soon' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'retention.ms': '-2' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'message.timestamp.type': 'Now' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'cleanup.policy': 'keep' })).toThrow(InvalidConfigError);
  });

  it('resolves overrides over broker defaults over Kafka defaults', () => {
    const c = resolveTopicConfig({ 'retention.ms': '5' }, { 'retention.ms': '7', 'segment.bytes': '4096' });
    expect(c.retentionMs).toBe(5);
    expect(c.segmentBytes).toBe(4096);
    expect(c.messageTimestampType).toBe('CreateTime');
    expect(c.flushMs).toBe(Number.MAX_SAFE_INTEGER);
    const entries = describeTopicConfig({ 'retention.ms': '5' }, { 'segment.bytes': '4096' });
    expect(entries.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '5', source: 1, isDefault: false });
    expect(entries.find((e) => e.name === 'segment.bytes')).toMatchObject({ value: '4096', source: 4 });
    expect(entries.find((e) => e.name === 'cleanup.policy')).toMatchObject({ value: 'delete', source: 5, isDefault: true });
  });
});

/** A valid non-default value of every topic config Kafka 3.x/4.x knows, as provisioning tools send them. */
const KAFKA_TOPIC_CONFIGS: Record<string, string> = {
  'cleanup.policy': 'compact,delete',
  'compression.type': 'zstd',
  'compression.gzip.level': '6',
  'compression.lz4.level': '12',
  'compression.zstd.level': '-5',
  'delete.retention.ms': '3600000',
  'file.delete.delay.ms': '30000',
  'flush.messages': '10',
  'flush.ms': '1000',
  'follower.replication.throttled.replicas': '0:0,1:0',
  'index.interval.bytes': '8192',
  'leader.replication.throttled.replicas': '*',
  'local.retention.bytes': '-2',
  'local.retention.ms': '-2',
  'max.compaction.lag.ms': '86400000',
  'max.message.bytes': '2097152',
  'message.downconversion.enable': 'false',
  'message.format.version': '2.8',
  'message.timestamp.after.max.ms': '3600000',
  'message.timestamp.before.max.ms': '86400000',
  'message.timestamp.difference.max.ms': '86400000',
  'message.timestamp.type': 'LogAppendTime',
  'min.cleanable.dirty.ratio': '0.25',
  'min.compaction.lag.ms': '60000',
  'min.insync.replicas': '2',
  preallocate: 'true',
  'remote.log.copy.disable': 'true',
  'remote.log.delete.on.disable': 'true',
  'remote.storage.enable': 'false',
  'retention.bytes': '1073741824',
  'retention.ms': '86400000',
  'segment.bytes': '536870912',
  'segment.index.bytes': '5242880',
  'segment.jitter.ms': '60000',
  'segment.ms': '3600000',
  'unclean.leader.election.enable': 'true',
};

/** Confluent Server's broker-side schema validation configs, and mq's payload check. */
const SCHEMA_VALIDATION_CONFIGS = [
  'confluent.key.schema.validation',
  'confluent.key.subject.name.strategy',
  'confluent.value.schema.validation',
  'confluent.value.subject.name.strategy',
  'mq.key.schema.validation.payload',
  'mq.value.schema.validation.payload',
];
/** mq's own topic configs beyond schema validation (the delay store's default delay; share groups' dead letters, expiry, priority lanes; O_DSYNC segment writes). */
const MQ_TOPIC_CONFIGS = [
  'mq.delay.ms',
  'mq.dlq.enable',
  'mq.flush.dsync',
  'mq.dlq.topic',
  'mq.message.ttl.ms',
  'mq.priority.starvation.ms',
  'mq.priority.strict',
  'mq.priority.weights',
  'mq.priority.window.records',
];

describe('Kafka topic configs', () => {
  it('accepts every topic config Kafka knows, and describes each one', () => {
    expect(validateTopicConfigs(KAFKA_TOPIC_CONFIGS)).toEqual(KAFKA_TOPIC_CONFIGS);
    const names = describeTopicConfig({}).map((e) => e.name);
    expect(names).toEqual([...Object.keys(KAFKA_TOPIC_CONFIGS), ...SCHEMA_VALIDATION_CONFIGS, ...MQ_TOPIC_CONFIGS].sort());
  });

  it('takes Confluent Server’s schema validation configs, strategies short or as class names', () => {
    const c = resolveTopicConfig({
      'confluent.value.schema.validation': 'TRUE',
      'confluent.value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
      'confluent.key.subject.name.strategy': 'RecordNameStrategy',
      'mq.value.schema.validation.payload': 'true',
    });
    expect(c.valueSchemaValidation).toEqual({ enabled: true, subjectNameStrategy: 'TopicRecordNameStrategy', payload: true });
    expect(c.keySchemaValidation).toEqual({ enabled: false, subjectNameStrategy: 'RecordNameStrategy', payload: false });
    expect(resolveTopicConfig({}).valueSchemaValidation).toEqual({ enabled: false, subjectNameStrategy: 'TopicNameStrategy', payload: false });
    for (const bad of ['Topic', 'io.confluent.TopicNameStrategyX', '.TopicNameStrategy', 'a..TopicNameStrategy']) {
      expect(() => validateTopicConfigs({ 'confluent.value.subject.name.strategy': bad })).toThrow(/is not a subject name strategy/);
    }
  });

  it('resolves the configs a single node applies or stores', () => {
    const c = resolveTopicConfig(KAFKA_TOPIC_CONFIGS);
    expect(c).toMatchObject({
      deleteRetentionMs: 3_600_000,
      minCompactionLagMs: 60_000,
      maxCompactionLagMs: 86_400_000,
      minCleanableDirtyRatio: 0.25,
      segmentJitterMs: 60_000,
      segmentIndexBytes: 5_242_880,
      indexIntervalBytes: 8192,
      minInsyncReplicas: 2,
      uncleanLeaderElectionEnable: true,
    });
    const d = resolveTopicConfig({});
    expect(d).toMatchObject({
      deleteRetentionMs: 86_400_000,
      minCompactionLagMs: 0,
      maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
      minCleanableDirtyRatio: 0.5,
      segmentJitterMs: 0,
      segmentIndexBytes: 10_485_760,
      indexIntervalBytes: 4096,
      uncleanLeaderElectionEnable: false,
    });
  });

  it.each([
    ['min.cleanable.dirty.ratio', ['1.5', '-0.1', 'half', '']],
    ['delete.retention.ms', ['-1', 'x']],
    ['min.compaction.lag.ms', ['-1']],
    ['max.compaction.lag.ms', ['0', '-1']],
    ['segment.jitter.ms', ['-1']],
    ['segment.index.bytes', ['3', '2147483648']],
    ['index.interval.bytes', ['-1']],
    ['unclean.leader.election.enable', ['yes', '1']],
    ['preallocate', ['maybe']],
    ['compression.type', ['brotli', 'none']],
    ['compression.gzip.level', ['0', '10', '-2']],
    ['compression.lz4.level', ['0', '18']],
    ['compression.zstd.level', ['23', '-131073', '-0.1']],
    ['message.timestamp.before.max.ms', ['-1']],
    ['message.timestamp.after.max.ms', ['-1']],
    ['message.timestamp.difference.max.ms', ['-1']],
    ['message.format.version', ['banana', '9.9']],
    ['local.retention.ms', ['-3']],
    ['local.retention.bytes', ['-3']],
    ['leader.replication.throttled.replicas', ['all', '1-2']],
    ['retention.bytes', ['9223372036854775808', 'lots']],
    ['min.insync.replicas', ['0']],
  ])('rejects bad values of %s with INVALID_CONFIG', (name, values) => {
    for (const value of values) {
      let caught: unknown;
      try {
        validateTopicConfigs({ [name]: value });
      } catch (err) {
        caught = err;
      }
      expect(caught, `${name}=${value}`).toBeInstanceOf(InvalidConfigError);
      expect((caught as InvalidConfigError).errorCode).toBe(40);
      expect((caught as Error).message).toContain(name);
    }
  });

  it('accepts the boundary values Kafka accepts', () => {
    for (const [name, value] of [
      ['min.cleanable.dirty.ratio', '0'],
      ['min.cleanable.dirty.ratio', '1'],
      ['min.cleanable.dirty.ratio', '0.5e0'],
      ['compression.gzip.level', '-1'],
      ['compression.gzip.level', '9'],
      ['compression.zstd.level', '-131072'],
      ['max.compaction.lag.ms', '1'],
      ['unclean.leader.election.enable', 'TRUE'],
      ['leader.replication.throttled.replicas', ''],
      ['retention.bytes', '-5'],
      ['message.format.version', '3.0-IV1'],
    ] as const) {
      expect(() => validateTopicConfigs({ [name]: value }), `${name}=${value}`).not.toThrow();
    }
  });

  it('refuses min.compaction.lag.ms above max.compaction.lag.ms, including against broker defaults', () => {
    expect(() => resolveTopicConfig({ 'min.compaction.lag.ms': '200', 'max.compaction.lag.ms': '100' })).toThrow(/conflict/);
    expect(() => resolveTopicConfig({ 'min.compaction.lag.ms': '200' }, { 'max.compaction.lag.ms': '100' })).toThrow(InvalidConfigError);
  });

  it('refuses remote.storage.enable=true: there is no tiered storage', () => {
    expect(() => validateTopicConfigs({ 'remote.storage.enable': 'true' })).toThrow(/tiered storage/);
  });

  it('describes synonyms as Kafka does: override, static broker property, default under the broker name', () => {
    const entries = describeTopicConfig({ 'retention.ms': '5' }, { 'retention.ms': '7', 'min.cleanable.dirty.ratio': '0.3' });
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(by.get('retention.ms')).toMatchObject({
      value: '5',
      source: 1,
      configType: 5,
      synonyms: [
        { name: 'retention.ms', value: '5', source: 1 },
        { name: 'log.retention.ms', value: '7', source: 4 },
        { name: 'log.retention.ms', value: '604800000', source: 5 },
      ],
    });
    expect(by.get('min.cleanable.dirty.ratio')).toMatchObject({
      value: '0.3',
      source: 4,
      configType: 6,
      synonyms: [
        { name: 'log.cleaner.min.cleanable.ratio', value: '0.3', source: 4 },
        { name: 'log.cleaner.min.cleanable.ratio', value: '0.5', source: 5 },
      ],
    });
    expect(by.get('unclean.leader.election.enable')).toMatchObject({ value: 'false', source: 5, isDefault: true, configType: 1 });
    expect(by.get('delete.retention.ms')!.synonyms).toEqual([{ name: 'log.cleaner.delete.retention.ms', value: '86400000', source: 5 }]);
    // No broker-level property exists for these (Kafka's CONFIGS_WITH_NO_SERVER_DEFAULTS).
    expect(by.get('remote.storage.enable')).toMatchObject({ source: 5, synonyms: [] });
    expect(by.get('leader.replication.throttled.replicas')).toMatchObject({ value: '', configType: 7, synonyms: [] });
  });

  it('maps broker properties onto the topic configs they default', () => {
    expect(topicConfigForBrokerProperty('log.cleaner.min.compaction.lag.ms')).toBe('min.compaction.lag.ms');
    expect(topicConfigForBrokerProperty('log.roll.jitter.ms')).toBe('segment.jitter.ms');
    expect(topicConfigForBrokerProperty('message.max.bytes')).toBe('max.message.bytes');
    expect(topicConfigForBrokerProperty('log.index.size.max.bytes')).toBe('segment.index.bytes');
    expect(topicConfigForBrokerProperty('log.retention.check.interval.ms')).toBeUndefined();
  });
});
