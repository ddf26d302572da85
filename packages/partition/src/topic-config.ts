// Per-topic configuration: the Kafka names we support, their defaults, validation (INVALID_CONFIG),
// and resolution of overrides over broker defaults into a typed TopicConfig.
import { InvalidConfigError } from './errors';

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
}

interface ConfigDef {
  readonly type: number;
  readonly default: string;
  /** Throws InvalidConfigError for a bad value. */
  readonly validate: (name: string, value: string) => void;
}

const LONG_MAX = '9223372036854775807';

function long(min: number): ConfigDef['validate'] {
  return (name, value) => {
    if (!/^-?\d+$/.test(value)) throw new InvalidConfigError(`${name}: "${value}" is not an integer`);
    const n = BigInt(value);
    if (n < BigInt(min) || n > BigInt(LONG_MAX)) throw new InvalidConfigError(`${name}: ${value} is below ${min} or out of range`);
  };
}

function int(min: number): ConfigDef['validate'] {
  return (name, value) => {
    if (!/^-?\d+$/.test(value)) throw new InvalidConfigError(`${name}: "${value}" is not an integer`);
    const n = Number(value);
    if (n < min || n > 2147483647) throw new InvalidConfigError(`${name}: ${value} is below ${min} or out of range`);
  };
}

function oneOf(...allowed: string[]): ConfigDef['validate'] {
  return (name, value) => {
    if (!allowed.includes(value)) throw new InvalidConfigError(`${name}: "${value}" is not one of ${allowed.join(', ')}`);
  };
}

function listOf(...allowed: string[]): ConfigDef['validate'] {
  return (name, value) => {
    const items = value.split(',').map((s) => s.trim());
    if (items.length === 0 || items.some((i) => !allowed.includes(i))) {
      throw new InvalidConfigError(`${name}: "${value}" must be a list of ${allowed.join(', ')}`);
    }
  };
}

/**
 * Supported topic configs (Kafka's names and defaults, except flush.messages: mq acknowledges only
 * durable writes by default — single node, no replicas to lean on — with group commit keeping it fast).
 */
export const TOPIC_CONFIG_DEFS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { type: ConfigType.list, default: 'delete', validate: listOf('delete', 'compact') },
  'compression.type': { type: ConfigType.string, default: 'producer', validate: oneOf('producer') },
  'flush.messages': { type: ConfigType.long, default: '1', validate: long(1) },
  'flush.ms': { type: ConfigType.long, default: LONG_MAX, validate: long(0) },
  'max.message.bytes': { type: ConfigType.int, default: '1048588', validate: int(0) },
  'message.timestamp.type': { type: ConfigType.string, default: 'CreateTime', validate: oneOf('CreateTime', 'LogAppendTime') },
  'min.insync.replicas': { type: ConfigType.int, default: '1', validate: int(1) },
  'retention.bytes': { type: ConfigType.long, default: '-1', validate: long(-1) },
  'retention.ms': { type: ConfigType.long, default: '604800000', validate: long(-1) },
  'segment.bytes': { type: ConfigType.int, default: '1073741824', validate: int(128) },
  'segment.ms': { type: ConfigType.long, default: '604800000', validate: long(1) },
};

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

export function resolveTopicConfig(overrides: TopicConfigInput, brokerDefaults: TopicConfigInput = {}): TopicConfig {
  const v = (name: string): string => effectiveConfigValue(name, overrides, brokerDefaults);
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
  };
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly source: number;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly isSensitive: boolean;
  readonly configType: number;
}

/** Every supported config with its effective value and where it came from (for DescribeConfigs). */
export function describeTopicConfig(overrides: TopicConfigInput, brokerDefaults: TopicConfigInput = {}): ConfigEntry[] {
  return Object.keys(TOPIC_CONFIG_DEFS)
    .sort()
    .map((name) => {
      const def = TOPIC_CONFIG_DEFS[name]!;
      const source =
        overrides[name] !== undefined
          ? ConfigSource.dynamicTopic
          : brokerDefaults[name] !== undefined
            ? ConfigSource.staticBroker
            : ConfigSource.default;
      return {
        name,
        value: effectiveConfigValue(name, overrides, brokerDefaults),
        source,
        isDefault: source === ConfigSource.default,
        readOnly: false,
        isSensitive: false,
        configType: def.type,
      };
    });
}
