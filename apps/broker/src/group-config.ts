// Kafka's group coordinator properties (server.properties names) → @mq/groups' config, read from
// the broker's JSON config file alongside the other Kafka-named keys.
import type { GroupCoordinatorConfig } from '@mq/groups';

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

export class GroupConfigError extends Error {
  override readonly name = 'GroupConfigError';
}

/** Picks the group properties out of a config file's object; a bad value is an error, not a default. */
export function groupCoordinatorProperties(props: Record<string, unknown>): Partial<GroupCoordinatorConfig> {
  const out: Partial<Record<keyof GroupCoordinatorConfig, number>> = {};
  for (const [key, value] of Object.entries(props)) {
    const entry = GROUP_PROPERTY_KEYS[key];
    if (entry === undefined) continue;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n) || n < 0) throw new GroupConfigError(`${key}: not a non-negative number: ${String(value)}`);
    out[entry[0]] = n * entry[1];
  }
  return out;
}
