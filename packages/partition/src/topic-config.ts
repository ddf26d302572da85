// Per-topic configuration: every topic config Kafka 3.x/4.x knows (TopicConfig / LogConfig) with
// Kafka's type, default, validator and broker-level synonym; resolution of overrides over broker
// defaults into a typed TopicConfig; and DescribeConfigs entries with source and synonyms.
import { InvalidConfigError } from '@mq/errors';
import {
  LONG_MAX,
  bool,
  double,
  dlqTopicName,
  int,
  kafkaVersion,
  levelOrDefault,
  listOf,
  long,
  oneOf,
  priorityWeights,
  shortStrategyName,
  subjectNameStrategy,
  throttledReplicas,
  type ConfigValidator,
} from './config-validators';
import { TOPIC_CONFIG_DOCS } from './topic-config-docs';
import { type ThrottledReplicas, parseThrottledReplicas } from './throttled-replicas';

/** Raw configs as Kafka sends them: name → string value. */
export type TopicConfigInput = Readonly<Record<string, string>>;

/** DescribeConfigs ConfigType (KIP-226). */
export const ConfigType = { boolean: 1, string: 2, int: 3, short: 4, long: 5, double: 6, list: 7 } as const;

/** DescribeConfigs ConfigSource. */
export const ConfigSource = {
  dynamicTopic: 1,
  staticBroker: 4,
  default: 5,
} as const;

export interface TopicConfig {
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly cleanupPolicy: readonly ('delete' | 'compact')[];
  readonly messageTimestampType: 'CreateTime' | 'LogAppendTime';
  readonly maxMessageBytes: number;
  /** fsync after this many messages; 1 means every append is durable before it is acknowledged. */
  readonly flushMessages: number;
  /** fsync at least this often (ms); Long.MAX_VALUE means never by time. */
  readonly flushMs: number;
  readonly minInsyncReplicas: number;
  /** segment.jitter.ms: up to this much is taken off each segment's segment.ms (spreads rolls). */
  readonly segmentJitterMs: number;
  /** segment.index.bytes: a segment rolls when its offset or time index would outgrow this. */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes: bytes between sparse index entries. */
  readonly indexIntervalBytes: number;
  /** delete.retention.ms: how long compaction keeps tombstones. */
  readonly deleteRetentionMs: number;
  /** min.compaction.lag.ms: records younger than this are never compacted. */
  readonly minCompactionLagMs: number;
  /** max.compaction.lag.ms: a dirty record older than this forces a cleaning whatever the dirty ratio. */
  readonly maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: the cleaner runs once this share of the cleanable log is dirty. */
  readonly minCleanableDirtyRatio: number;
  /** preallocate: the active segment zero-fills its file ahead of appends (trimmed on roll and close). */
  readonly preallocate: boolean;
  /** mq.flush.dsync: with flush.messages=1 the active segment opens O_DSYNC (its write is its sync). */
  readonly flushDsync: boolean;
  /** unclean.leader.election.enable: stored for the cluster (one node has no election). */
  readonly uncleanLeaderElectionEnable: boolean;
  /** compression.type: `producer` keeps the producer's codec, anything else is what is stored. */
  readonly compressionType: 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /**
   * CreateTime bounds (ms): message.timestamp.before.max.ms / after.max.ms, each falling back to
   * the deprecated message.timestamp.difference.max.ms when left at Long.MAX_VALUE (Kafka 3.6+ rule).
   */
  readonly messageTimestampBeforeMaxMs: number;
  readonly messageTimestampAfterMaxMs: number;
  /** Broker-side schema validation of record keys / values (Confluent Server's confluent.*.schema.validation). */
  readonly keySchemaValidation: SchemaValidationConfig;
  readonly valueSchemaValidation: SchemaValidationConfig;
  /** mq.delay.ms: records without delay headers wait this long in the delay store (@mq/delay); 0 = not at all. */
  readonly delayMs: number;
  /** Share groups (@mq/share) on this topic: dead letters, expiry and priority lanes. */
  readonly share: TopicShareConfig;
  /** leader.replication.throttled.replicas: the replicas whose leader's traffic to out-of-sync followers is throttled. */
  readonly leaderThrottledReplicas: ThrottledReplicas;
  /** follower.replication.throttled.replicas: the replicas whose out-of-sync fetching is throttled. */
  readonly followerThrottledReplicas: ThrottledReplicas;
}

/** mq's share-group settings of a topic (the mq.dlq.*, mq.message.ttl.ms and mq.priority.* configs). */
export interface TopicShareConfig {
  /** mq.dlq.enable: records rejected, past the delivery limit or expired are appended to a dead-letter topic. */
  readonly dlqEnable: boolean;
  /** mq.dlq.topic: the dead-letter topic's name ('' = `<topic>.dlq`; `{group}` and `{topic}` are replaced). */
  readonly dlqTopic: string;
  /** mq.message.ttl.ms: share consumers never get a record older than this (0 = no expiry; header mq-ttl-ms wins). */
  readonly messageTtlMs: number;
  /** mq.priority.weights: the Deficit Round Robin quantum of lanes 0…4 (header mq-priority). */
  readonly priorityWeights: readonly number[];
  /** mq.priority.strict: lanes served in strict priority order instead of by weight. */
  readonly priorityStrict: boolean;
  /** mq.priority.starvation.ms: a lane waiting this long is served next. */
  readonly priorityStarvationMs: number;
  /** mq.priority.window.records: how far past the share-partition start a share fetch scans for higher lanes. */
  readonly priorityWindowRecords: number;
}

/** One side (key or value) of a topic's broker-side schema validation. */
export interface SchemaValidationConfig {
  /** confluent.{key,value}.schema.validation: records must carry a schema id registered under the subject. */
  readonly enabled: boolean;
  /** confluent.{key,value}.subject.name.strategy, as its short name. */
  readonly subjectNameStrategy: 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';
  /** mq.{key,value}.schema.validation.payload: the payload must also decode with that schema. */
  readonly payload: boolean;
}

/** What mq does with a config (packages/partition/README.md has the table). */
export type ConfigStatus = 'applied' | 'stored' | 'inert';

interface ConfigDef {
  readonly type: number;
  readonly default: string;
  /** Throws InvalidConfigError for a bad value. */
  readonly validate: ConfigValidator;
  /** The broker property that sets the default for every topic (Kafka's ServerTopicConfigSynonyms). */
  readonly synonym?: string;
  readonly status?: ConfigStatus;
}

const T = ConfigType;
/** Confluent's default subject name strategy, as Confluent Server describes it. */
const TOPIC_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy';

/**
 * Every topic config of Kafka 3.x and 4.x (message.format.version and
 * message.timestamp.difference.max.ms exist only up to 3.9), Kafka's names, defaults and ranges,
 * except: flush.messages defaults to 1 (mq acknowledges only durable writes — single node, no replicas
 * to lean on — with group commit keeping it fast), segment.bytes accepts from 128 bytes (Kafka 3.x: 14,
 * 4.x: 1 MiB), and remote.storage.enable accepts only false (no tiered storage, as a Kafka broker with
 * remote.log.storage.system.enable=false answers).
 */
const DEFS = {
  'cleanup.policy': { type: T.list, default: 'delete', validate: listOf('delete', 'compact'), synonym: 'log.cleanup.policy', status: 'applied' },
  'compression.type': {
    type: T.string,
    default: 'producer',
    validate: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
    synonym: 'compression.type',
    status: 'applied',
  },
  'compression.gzip.level': { type: T.int, default: '-1', validate: levelOrDefault(-1, 1, 9), synonym: 'compression.gzip.level', status: 'inert' },
  'compression.lz4.level': { type: T.int, default: '9', validate: int(1, 17), synonym: 'compression.lz4.level', status: 'inert' },
  'compression.zstd.level': { type: T.int, default: '3', validate: int(-131072, 22), synonym: 'compression.zstd.level', status: 'inert' },
  'confluent.key.schema.validation': { type: T.boolean, default: 'false', validate: bool, status: 'applied' },
  'confluent.key.subject.name.strategy': { type: T.string, default: TOPIC_NAME_STRATEGY, validate: subjectNameStrategy, status: 'applied' },
  'confluent.value.schema.validation': { type: T.boolean, default: 'false', validate: bool, status: 'applied' },
  'confluent.value.subject.name.strategy': { type: T.string, default: TOPIC_NAME_STRATEGY, validate: subjectNameStrategy, status: 'applied' },
  'delete.retention.ms': { type: T.long, default: '86400000', validate: long(0), synonym: 'log.cleaner.delete.retention.ms', status: 'applied' },
  'file.delete.delay.ms': { type: T.long, default: '60000', validate: long(0), synonym: 'log.segment.delete.delay.ms', status: 'inert' },
  'flush.messages': { type: T.long, default: '1', validate: long(1), synonym: 'log.flush.interval.messages', status: 'applied' },
  'flush.ms': { type: T.long, default: LONG_MAX, validate: long(0), synonym: 'log.flush.interval.ms', status: 'applied' },
  'follower.replication.throttled.replicas': { type: T.list, default: '', validate: throttledReplicas, status: 'applied' },
  'index.interval.bytes': { type: T.int, default: '4096', validate: int(0), synonym: 'log.index.interval.bytes', status: 'applied' },
  'leader.replication.throttled.replicas': { type: T.list, default: '', validate: throttledReplicas, status: 'applied' },
  'local.retention.bytes': { type: T.long, default: '-2', validate: long(-2), synonym: 'log.local.retention.bytes', status: 'inert' },
  'local.retention.ms': { type: T.long, default: '-2', validate: long(-2), synonym: 'log.local.retention.ms', status: 'inert' },
  'max.compaction.lag.ms': { type: T.long, default: LONG_MAX, validate: long(1), synonym: 'log.cleaner.max.compaction.lag.ms', status: 'applied' },
  'max.message.bytes': { type: T.int, default: '1048588', validate: int(0), synonym: 'message.max.bytes', status: 'applied' },
  'message.downconversion.enable': { type: T.boolean, default: 'true', validate: bool, synonym: 'log.message.downconversion.enable', status: 'inert' },
  'message.format.version': { type: T.string, default: '3.0-IV1', validate: kafkaVersion, synonym: 'log.message.format.version', status: 'inert' },
  'message.timestamp.after.max.ms': {
    type: T.long,
    default: LONG_MAX,
    validate: long(0),
    synonym: 'log.message.timestamp.after.max.ms',
    status: 'applied',
  },
  'message.timestamp.before.max.ms': {
    type: T.long,
    default: LONG_MAX,
    validate: long(0),
    synonym: 'log.message.timestamp.before.max.ms',
    status: 'applied',
  },
  'message.timestamp.difference.max.ms': {
    type: T.long,
    default: LONG_MAX,
    validate: long(0),
    synonym: 'log.message.timestamp.difference.max.ms',
    status: 'applied',
  },
  'message.timestamp.type': {
    type: T.string,
    default: 'CreateTime',
    validate: oneOf('CreateTime', 'LogAppendTime'),
    synonym: 'log.message.timestamp.type',
    status: 'applied',
  },
  'min.cleanable.dirty.ratio': { type: T.double, default: '0.5', validate: double(0, 1), synonym: 'log.cleaner.min.cleanable.ratio', status: 'applied' },
  'min.compaction.lag.ms': { type: T.long, default: '0', validate: long(0), synonym: 'log.cleaner.min.compaction.lag.ms', status: 'applied' },
  'min.insync.replicas': { type: T.int, default: '1', validate: int(1), synonym: 'min.insync.replicas', status: 'stored' },
  'mq.delay.ms': { type: T.long, default: '0', validate: long(0, 365 * 24 * 60 * 60 * 1000), status: 'applied' },
  'mq.dlq.enable': { type: T.boolean, default: 'true', validate: bool, synonym: 'mq.dlq.enable', status: 'applied' },
  'mq.dlq.topic': { type: T.string, default: '', validate: dlqTopicName, status: 'applied' },
  'mq.message.ttl.ms': { type: T.long, default: '0', validate: long(0), synonym: 'mq.message.ttl.ms', status: 'applied' },
  'mq.priority.starvation.ms': { type: T.long, default: '30000', validate: long(0), synonym: 'mq.priority.starvation.ms', status: 'applied' },
  'mq.priority.strict': { type: T.boolean, default: 'false', validate: bool, synonym: 'mq.priority.strict', status: 'applied' },
  'mq.priority.weights': { type: T.list, default: '50,25,15,7,3', validate: priorityWeights, synonym: 'mq.priority.weights', status: 'applied' },
  'mq.priority.window.records': { type: T.int, default: '2000', validate: int(1, 1_000_000), synonym: 'mq.priority.window.records', status: 'applied' },
  'mq.flush.dsync': { type: T.boolean, default: 'false', validate: bool, synonym: 'mq.flush.dsync', status: 'applied' },
  'mq.key.schema.validation.payload': { type: T.boolean, default: 'false', validate: bool, status: 'applied' },
  'mq.value.schema.validation.payload': { type: T.boolean, default: 'false', validate: bool, status: 'applied' },
  preallocate: { type: T.boolean, default: 'false', validate: bool, synonym: 'log.preallocate', status: 'applied' },
  'remote.log.copy.disable': { type: T.boolean, default: 'false', validate: bool, status: 'inert' },
  'remote.log.delete.on.disable': { type: T.boolean, default: 'false', validate: bool, status: 'inert' },
  'remote.storage.enable': { type: T.boolean, default: 'false', validate: noTieredStorage, status: 'inert' },
  'retention.bytes': { type: T.long, default: '-1', validate: long(), synonym: 'log.retention.bytes', status: 'applied' },
  'retention.ms': { type: T.long, default: '604800000', validate: long(-1), synonym: 'log.retention.ms', status: 'applied' },
  'segment.bytes': { type: T.int, default: '1073741824', validate: int(128), synonym: 'log.segment.bytes', status: 'applied' },
  'segment.index.bytes': { type: T.int, default: '10485760', validate: int(4), synonym: 'log.index.size.max.bytes', status: 'applied' },
  'segment.jitter.ms': { type: T.long, default: '0', validate: long(0), synonym: 'log.roll.jitter.ms', status: 'applied' },
  'segment.ms': { type: T.long, default: '604800000', validate: long(1), synonym: 'log.roll.ms', status: 'applied' },
  'unclean.leader.election.enable': { type: T.boolean, default: 'false', validate: bool, synonym: 'unclean.leader.election.enable', status: 'stored' },
} satisfies Record<string, ConfigDef>;

/** A topic config's name (the keys of TOPIC_CONFIG_DEFS). */
export type TopicConfigName = keyof typeof DEFS;

export const TOPIC_CONFIG_DEFS: Readonly<Record<string, ConfigDef>> = DEFS;


function noTieredStorage(name: string, value: string): void {
  bool(name, value);
  if (value.trim().toLowerCase() === 'true') {
    throw new InvalidConfigError(`${name}: tiered storage is not available on this broker (remote.log.storage.system.enable=false)`);
  }
}

/** The topic config a broker property sets the default of ("log.retention.ms" → "retention.ms"), if any. */
export function topicConfigForBrokerProperty(brokerName: string): string | undefined {
  return BROKER_SYNONYMS.get(brokerName);
}

const BROKER_SYNONYMS = new Map<string, string>(
  Object.entries(TOPIC_CONFIG_DEFS).flatMap(([name, def]) => (def.synonym === undefined ? [] : [[def.synonym, name] as [string, string]])),
);

/** Broker properties in another unit (Kafka's ServerTopicConfigSynonyms), read only when the ms one is not set. */
export const UNIT_SYNONYMS: Readonly<Record<string, { readonly config: string; readonly factor: bigint; readonly priority: number }>> = {
  'log.retention.minutes': { config: 'retention.ms', factor: 60_000n, priority: 1 },
  'log.retention.hours': { config: 'retention.ms', factor: 3_600_000n, priority: 2 },
  'log.roll.hours': { config: 'segment.ms', factor: 3_600_000n, priority: 1 },
  'log.roll.jitter.hours': { config: 'segment.jitter.ms', factor: 3_600_000n, priority: 1 },
};

/** A topic default set by a broker property, in the topic config's unit; lower priority wins. */
export interface BrokerTopicDefault {
  readonly config: string;
  readonly value: string;
  readonly priority: number;
}

/**
 * The topic default a broker property sets ("log.retention.hours" 168 → retention.ms 604800000,
 * priority 2; "log.retention.ms" → priority 0), or undefined for a property that sets none.
 */
export function topicDefaultFromBrokerProperty(name: string, value: string): BrokerTopicDefault | undefined {
  const primary = BROKER_SYNONYMS.get(name);
  if (primary !== undefined) return { config: primary, value, priority: 0 };
  const unit = UNIT_SYNONYMS[name];
  if (unit === undefined) return undefined;
  const v = value.trim();
  if (!/^[-+]?\d+$/.test(v)) throw new InvalidConfigError(`${name}: "${value}" is not an integer`);
  const n = BigInt(v);
  // As Kafka's KafkaConfig.logRetentionTimeMillis: a negative retention in minutes or hours means unlimited.
  const converted = unit.config === 'retention.ms' && n < 0n ? -1n : n * unit.factor;
  return { config: unit.config, value: String(converted), priority: unit.priority };
}

/** Validates names and values; returns a normalized copy. */
export function validateTopicConfigs(configs: TopicConfigInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIG_DEFS[name];
    if (def === undefined) throw new InvalidConfigError(`unknown topic config ${name}`);
    if (typeof value !== 'string') throw new InvalidConfigError(`${name}: value must be a string`);
    def.validate(name, value);
    out[name] = value;
  }
  return out;
}

/** Clamp a Kafka long (may be Long.MAX_VALUE) to a JS number that timers and comparisons can use. */
function toNumber(value: string): number {
  const n = Number(value);
  return n > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
}

/** Effective value of one config: topic override, else broker default, else Kafka default. */
export function effectiveConfigValue(name: string, overrides: TopicConfigInput, brokerDefaults: TopicConfigInput): string {
  return overrides[name] ?? brokerDefaults[name] ?? TOPIC_CONFIG_DEFS[name]!.default;
}

/** Effective configs; throws InvalidConfigError where values conflict (Kafka's LogConfig.validateValues). */
export function resolveTopicConfig(overrides: TopicConfigInput, brokerDefaults: TopicConfigInput = {}): TopicConfig {
  const v = (name: string): string => effectiveConfigValue(name, overrides, brokerDefaults);
  const minLag = BigInt(v('min.compaction.lag.ms').trim());
  const maxLag = BigInt(v('max.compaction.lag.ms').trim());
  if (minLag > maxLag) {
    throw new InvalidConfigError(`conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`);
  }
  return {
    retentionMs: toNumber(v('retention.ms')),
    retentionBytes: toNumber(v('retention.bytes')),
    segmentBytes: toNumber(v('segment.bytes')),
    segmentMs: toNumber(v('segment.ms')),
    cleanupPolicy: v('cleanup.policy').split(',').map((s) => s.trim()) as ('delete' | 'compact')[],
    messageTimestampType: v('message.timestamp.type') as TopicConfig['messageTimestampType'],
    maxMessageBytes: toNumber(v('max.message.bytes')),
    flushMessages: toNumber(v('flush.messages')),
    flushMs: toNumber(v('flush.ms')),
    minInsyncReplicas: toNumber(v('min.insync.replicas')),
    segmentJitterMs: toNumber(v('segment.jitter.ms')),
    segmentIndexBytes: toNumber(v('segment.index.bytes')),
    indexIntervalBytes: toNumber(v('index.interval.bytes')),
    deleteRetentionMs: toNumber(v('delete.retention.ms')),
    minCompactionLagMs: toNumber(v('min.compaction.lag.ms')),
    maxCompactionLagMs: toNumber(v('max.compaction.lag.ms')),
    minCleanableDirtyRatio: Number(v('min.cleanable.dirty.ratio')),
    preallocate: v('preallocate').trim().toLowerCase() === 'true',
    flushDsync: v('mq.flush.dsync').trim().toLowerCase() === 'true',
    uncleanLeaderElectionEnable: v('unclean.leader.election.enable').trim().toLowerCase() === 'true',
    compressionType: v('compression.type').trim() as TopicConfig['compressionType'],
    messageTimestampBeforeMaxMs: timestampBound(v('message.timestamp.before.max.ms'), v('message.timestamp.difference.max.ms')),
    messageTimestampAfterMaxMs: timestampBound(v('message.timestamp.after.max.ms'), v('message.timestamp.difference.max.ms')),
    keySchemaValidation: schemaValidation(v, 'key'),
    valueSchemaValidation: schemaValidation(v, 'value'),
    delayMs: toNumber(v('mq.delay.ms')),
    share: {
      dlqEnable: v('mq.dlq.enable').trim().toLowerCase() === 'true',
      dlqTopic: v('mq.dlq.topic').trim(),
      messageTtlMs: toNumber(v('mq.message.ttl.ms')),
      priorityWeights: v('mq.priority.weights').split(',').map((w) => Number(w.trim())),
      priorityStrict: v('mq.priority.strict').trim().toLowerCase() === 'true',
      priorityStarvationMs: toNumber(v('mq.priority.starvation.ms')),
      priorityWindowRecords: toNumber(v('mq.priority.window.records')),
    },
    leaderThrottledReplicas: parseThrottledReplicas(v('leader.replication.throttled.replicas')),
    followerThrottledReplicas: parseThrottledReplicas(v('follower.replication.throttled.replicas')),
  };
}

function schemaValidation(v: (name: string) => string, side: 'key' | 'value'): SchemaValidationConfig {
  return {
    enabled: v(`confluent.${side}.schema.validation`).trim().toLowerCase() === 'true',
    subjectNameStrategy: shortStrategyName(v(`confluent.${side}.subject.name.strategy`)) ?? 'TopicNameStrategy',
    payload: v(`mq.${side}.schema.validation.payload`).trim().toLowerCase() === 'true',
  };
}

/** Kafka 3.6+: before/after.max.ms win when set; at Long.MAX_VALUE they inherit difference.max.ms. */
function timestampBound(value: string, difference: string): number {
  return toNumber(value.trim() === LONG_MAX ? difference.trim() : value.trim());
}

/** One DescribeConfigs synonym: where a value could come from, highest priority first. */
export interface ConfigSynonym {
  readonly name: string;
  readonly value: string;
  readonly source: number;
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly source: number;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly isSensitive: boolean;
  readonly configType: number;
  /** As Kafka lists them: the topic override, the static broker setting, the default (named by its broker property). */
  readonly synonyms: readonly ConfigSynonym[];
  /** DescribeConfigs v3+ documentation: the key's doc line. */
  readonly documentation?: string;
}

/** Every supported config with its effective value, where it came from and its synonyms (for DescribeConfigs). */
export function describeTopicConfig(overrides: TopicConfigInput, brokerDefaults: TopicConfigInput = {}): ConfigEntry[] {
  return Object.keys(TOPIC_CONFIG_DEFS)
    .sort()
    .map((name) => {
      const def = TOPIC_CONFIG_DEFS[name]!;
      const synonyms: ConfigSynonym[] = [];
      const override = overrides[name];
      if (override !== undefined) synonyms.push({ name, value: override, source: ConfigSource.dynamicTopic });
      const broker = brokerDefaults[name];
      if (broker !== undefined) synonyms.push({ name: def.synonym ?? name, value: broker, source: ConfigSource.staticBroker });
      if (def.synonym !== undefined) synonyms.push({ name: def.synonym, value: def.default, source: ConfigSource.default });
      const source = synonyms[0]?.source ?? ConfigSource.default;
      return {
        name,
        value: effectiveConfigValue(name, overrides, brokerDefaults),
        source,
        isDefault: source === ConfigSource.default,
        readOnly: false,
        isSensitive: false,
        configType: def.type,
        synonyms,
        documentation: TOPIC_CONFIG_DOCS[name as TopicConfigName],
      };
    });
}

