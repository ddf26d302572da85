// Type and range checks of a merged BrokerConfig (startBroker()'s option or the parsed file), by
// the keys' definitions in @mq/server's BROKER_CONFIG_DEFS, plus the cross-checks no single key
// can make. Run before anything is opened. One ConfigError naming key, value and range.
import { ConfigValueError, INT_MAX, checkConfigValue } from '@mq/config';
import { TOPIC_CONFIG_DEFS, resolveTopicConfig, validateTopicConfigs } from '@mq/partition';
import { BROKER_CONFIG_DEFS, type BrokerConfig, type BrokerConfigKeyField, parsePerIpOverrides } from '@mq/server';
import { ConfigError } from './config-error';

function check(label: string, def: Parameters<typeof checkConfigValue>[0], value: unknown): void {
  try {
    checkConfigValue(def, value, label);
  } catch (err) {
    if (err instanceof ConfigValueError) throw new ConfigError(err.message, { cause: err });
    throw err;
  }
}

/** Validates a whole BrokerConfig; returns it unchanged. */
export function validateBrokerConfig(c: BrokerConfig): BrokerConfig {
  for (const [field, def] of Object.entries(BROKER_CONFIG_DEFS) as [BrokerConfigKeyField, (typeof BROKER_CONFIG_DEFS)[BrokerConfigKeyField]][]) {
    const value = c[field];
    if (value === undefined && def.default === undefined) continue; // optional: derived at start
    check(def.name, def, value);
  }
  // Not a Kafka key (no row in the table): the longest Fetch long poll, whatever the client asks.
  check('fetchMaxWaitMsCap', { ...BROKER_CONFIG_DEFS.connectionsMaxIdleMs, name: 'fetchMaxWaitMsCap', range: { min: 0, max: INT_MAX } }, c.fetchMaxWaitMsCap);
  validateTopicDefaults(c.topicDefaults as Readonly<Record<string, string>>);
  if (c.queuedMaxRequestBytes > 0 && c.queuedMaxRequestBytes < c.socketRequestMaxBytes) {
    // As Kafka: a request that fits socket.request.max.bytes must fit the budget too.
    throw new ConfigError(`queued.max.request.bytes (${c.queuedMaxRequestBytes}) must be at least socket.request.max.bytes (${c.socketRequestMaxBytes})`);
  }
  try {
    parsePerIpOverrides(c.maxConnectionsPerIpOverrides);
  } catch (err) {
    throw new ConfigError(`max.connections.per.ip.overrides: ${(err as Error).message}`, { cause: err });
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
