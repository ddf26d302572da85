// Type and range checks of every broker setting (Kafka's ConfigDef ranges, tighter where a value
// cannot work on one node or in a Node timer), run on the merged BrokerConfig by both
// loadBrokerOptions() and startBroker() before anything is opened. One table, one ConfigError.
import { MAX_PARTITIONS_PER_TOPIC, TOPIC_CONFIG_DEFS, resolveTopicConfig, validateTopicConfigs } from '@mq/partition';
import type { BrokerConfig } from '@mq/server';
import { ConfigError } from './config-error';

export interface SettingRange {
  /** The Kafka property name the user wrote. */
  readonly key: string;
  readonly min: number;
  readonly max: number;
  /** A sentinel accepted outside the range (Kafka's -1 "unlimited"). */
  readonly orElse?: number;
}

/** Node timers take at most 2^31-1 ms; a larger value silently becomes 1 ms. */
export const INT_MAX = 2_147_483_647;

type NumericSetting = { [K in keyof BrokerConfig]-?: BrokerConfig[K] extends number ? K : never }[keyof BrokerConfig];

/** Every numeric BrokerConfig field (the type makes a new field without a range a compile error). */
export const BROKER_SETTING_RANGES: { readonly [K in NumericSetting]: SettingRange } = {
  nodeId: { key: 'node.id', min: 0, max: INT_MAX },
  numPartitions: { key: 'num.partitions', min: 1, max: MAX_PARTITIONS_PER_TOPIC },
  // Single node: a topic can only have one replica, so any other default fails every create.
  defaultReplicationFactor: { key: 'default.replication.factor', min: 1, max: 1 },
  socketRequestMaxBytes: { key: 'socket.request.max.bytes', min: 1, max: INT_MAX },
  // A socket timer; 0 or negative would silently mean "never" here but "at once" in Kafka.
  connectionsMaxIdleMs: { key: 'connections.max.idle.ms', min: 1, max: INT_MAX },
  retentionCheckIntervalMs: { key: 'log.retention.check.interval.ms', min: 1, max: INT_MAX },
  logCleanerBackoffMs: { key: 'log.cleaner.backoff.ms', min: 1, max: INT_MAX },
  fetchMaxWaitMsCap: { key: 'fetchMaxWaitMsCap', min: 0, max: INT_MAX },
  fetchMaxBytes: { key: 'fetch.max.bytes', min: 1024, max: INT_MAX },
  queuedMaxRequestBytes: { key: 'queued.max.request.bytes', min: 1, max: Number.MAX_SAFE_INTEGER, orElse: -1 },
  maxConnections: { key: 'max.connections', min: 0, max: INT_MAX },
  maxConnectionsPerIp: { key: 'max.connections.per.ip', min: 0, max: INT_MAX },
  maxPartitions: { key: 'max.partitions', min: 1, max: INT_MAX },
};

/** Optional (unset: derived from the fd limit at start), so outside the table of required numbers. */
const MAX_OPEN_FILES_RANGE: SettingRange = { key: 'log.max.open.files', min: 1, max: INT_MAX };

const RANGE_BY_KEY = new Map<string, SettingRange>([
  ...Object.values(BROKER_SETTING_RANGES).map((r): [string, SettingRange] => [r.key, r]),
  ['broker.id', BROKER_SETTING_RANGES.nodeId],
  [MAX_OPEN_FILES_RANGE.key, MAX_OPEN_FILES_RANGE],
]);

/** " (allowed: [min, max])" for a property with a range, for messages about unparsable values. */
export function allowedRange(key: string): string {
  const r = RANGE_BY_KEY.get(key);
  return r === undefined ? '' : ` (allowed: [${r.min}, ${r.max}]${r.orElse === undefined ? '' : ` or ${r.orElse}`})`;
}

/** Throws ConfigError "key: value is outside [min, max]" unless `value` is an integer in range. */
export function checkRange(range: SettingRange, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ConfigError(`${range.key}: ${JSON.stringify(value)} is not an integer${allowedRange(range.key) || ` (allowed: [${range.min}, ${range.max}])`}`);
  }
  if (value === range.orElse) return value;
  if (value < range.min || value > range.max) {
    const orElse = range.orElse === undefined ? '' : ` or ${range.orElse}`;
    throw new ConfigError(`${range.key}: ${value} is outside [${range.min}, ${range.max}]${orElse}`);
  }
  return value;
}

/** Validates a whole BrokerConfig; returns it unchanged. */
export function validateBrokerConfig(c: BrokerConfig): BrokerConfig {
  for (const [field, range] of Object.entries(BROKER_SETTING_RANGES) as [NumericSetting, SettingRange][]) {
    checkRange(range, c[field]);
  }
  if (c.maxOpenFiles !== undefined) checkRange(MAX_OPEN_FILES_RANGE, c.maxOpenFiles);
  if (typeof c.autoCreateTopicsEnable !== 'boolean') {
    throw new ConfigError(`auto.create.topics.enable: ${JSON.stringify(c.autoCreateTopicsEnable)} is not true or false`);
  }
  validateTopicDefaults(c.topicDefaults as Readonly<Record<string, string>>);
  if (c.queuedMaxRequestBytes > 0 && c.queuedMaxRequestBytes < c.socketRequestMaxBytes) {
    // As Kafka: a request that fits socket.request.max.bytes must fit the budget too.
    throw new ConfigError(`queued.max.request.bytes (${c.queuedMaxRequestBytes}) must be at least socket.request.max.bytes (${c.socketRequestMaxBytes})`);
  }
  return c;
}

/** Topic defaults with the broker property name the user wrote (log.retention.ms, not retention.ms). */
function validateTopicDefaults(defaults: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(defaults)) {
    const key = TOPIC_CONFIG_DEFS[name]?.synonym ?? `topic.${name}`;
    try {
      validateTopicConfigs({ [name]: value });
    } catch (err) {
      const detail = (err as Error).message;
      throw new ConfigError(`${key}: ${detail.startsWith(`${name}: `) ? detail.slice(name.length + 2) : detail}`, { cause: err });
    }
  }
  try {
    resolveTopicConfig({}, defaults);
  } catch (err) {
    throw new ConfigError(`topic defaults: ${(err as Error).message}`, { cause: err });
  }
}
