// Kafka's group coordinator properties (server.properties names) → @mq/groups' config, read from
// the broker's JSON config file alongside the other Kafka-named keys, and their range checks.
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from '@mq/groups';
import { ConfigError } from './config-error';
import { INT_MAX, checkRange } from './config-validation';

/** property → [config field, multiplier to milliseconds/units]. */
export const GROUP_PROPERTY_KEYS: Readonly<Record<string, readonly [keyof GroupCoordinatorConfig, number]>> = {
  'group.min.session.timeout.ms': ['minSessionTimeoutMs', 1],
  'group.max.session.timeout.ms': ['maxSessionTimeoutMs', 1],
  'group.initial.rebalance.delay.ms': ['initialRebalanceDelayMs', 1],
  'group.max.size': ['maxGroupSize', 1],
  'offset.metadata.max.bytes': ['offsetMetadataMaxBytes', 1],
  'offsets.retention.minutes': ['offsetsRetentionMs', 60_000],
  'offsets.retention.check.interval.ms': ['offsetsRetentionCheckIntervalMs', 1],
  'group.consumer.session.timeout.ms': ['consumerSessionTimeoutMs', 1],
  'group.consumer.heartbeat.interval.ms': ['consumerHeartbeatIntervalMs', 1],
};

/** Allowed values in property units (Kafka's ConfigDef ranges); keys not listed: [0, 2^31-1]. */
export const GROUP_PROPERTY_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  'group.max.session.timeout.ms': [1, INT_MAX],
  'group.max.size': [1, Number.MAX_SAFE_INTEGER],
  'offsets.retention.minutes': [1, INT_MAX],
  'offsets.retention.check.interval.ms': [1, INT_MAX],
  'group.consumer.session.timeout.ms': [1, INT_MAX],
  'group.consumer.heartbeat.interval.ms': [1, INT_MAX],
};

export class GroupConfigError extends ConfigError {}

/** `label` names the setting in the message; `multiplier` scales the range to field units. */
function checkGroupProperty(key: string, value: unknown, label = key, multiplier = 1): number {
  const [min, max] = GROUP_PROPERTY_RANGES[key] ?? [0, INT_MAX];
  try {
    return checkRange({ key: label, min: min * multiplier, max: Math.min(max * multiplier, Number.MAX_SAFE_INTEGER) }, value);
  } catch (err) {
    throw new GroupConfigError((err as Error).message);
  }
}

/** Picks the group properties out of a config file's object; a bad value is an error, not a default. */
export function groupCoordinatorProperties(props: Record<string, unknown>): Partial<GroupCoordinatorConfig> {
  const out: Partial<Record<keyof GroupCoordinatorConfig, number>> = {};
  for (const [key, value] of Object.entries(props)) {
    const entry = GROUP_PROPERTY_KEYS[key];
    if (entry === undefined) continue;
    const n = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    out[entry[0]] = checkGroupProperty(key, n) * entry[1];
  }
  return validateGroupConfig(out);
}

/** Ranges of a group config given in field units (startBroker's `groups`), and the cross-checks. */
export function validateGroupConfig(groups: Partial<GroupCoordinatorConfig>): Partial<GroupCoordinatorConfig> {
  for (const [key, [field, multiplier]] of Object.entries(GROUP_PROPERTY_KEYS)) {
    const value = groups[field];
    if (value !== undefined) checkGroupProperty(key, value, `groups.${field} (${key}${multiplier === 1 ? '' : ' in ms'})`, multiplier);
  }
  const c = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...groups };
  if (c.minSessionTimeoutMs > c.maxSessionTimeoutMs) {
    throw new GroupConfigError(
      `group.min.session.timeout.ms (${c.minSessionTimeoutMs}) must not exceed group.max.session.timeout.ms (${c.maxSessionTimeoutMs}): every join would fail`,
    );
  }
  if (c.consumerHeartbeatIntervalMs >= c.consumerSessionTimeoutMs) {
    throw new GroupConfigError(
      `group.consumer.heartbeat.interval.ms (${c.consumerHeartbeatIntervalMs}) must be less than group.consumer.session.timeout.ms (${c.consumerSessionTimeoutMs})`,
    );
  }
  return groups;
}
