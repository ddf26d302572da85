// The group coordinator's keys (GROUP_CONFIG_DEFS, owned by @mq/groups) checked in the units the
// broker is given them: property units from a config file, field units (ms) from startBroker().
import { ConfigValueError, checkConfigValue } from '@mq/config';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, GROUP_CONFIG_DEFS, type GroupConfigKey, type GroupCoordinatorConfig } from '@mq/groups';
import { ConfigError } from './config-error';

export class GroupConfigError extends ConfigError {}

/** `label` names the setting in the message; `scale` turns the key's range into field units. */
function checkGroupKey(key: GroupConfigKey, value: unknown, label = key.def.name, scale = 1): number {
  const r = key.def.range!;
  const def = scale === 1 ? key.def : { ...key.def, range: { min: r.min * scale, max: Math.min(r.max * scale, Number.MAX_SAFE_INTEGER) } };
  try {
    return checkConfigValue(def, value, label) as number;
  } catch (err) {
    if (err instanceof ConfigValueError) throw new GroupConfigError(err.message, { cause: err });
    throw err;
  }
}

const BY_NAME = new Map<string, [keyof GroupCoordinatorConfig, GroupConfigKey]>(
  (Object.entries(GROUP_CONFIG_DEFS) as [keyof GroupCoordinatorConfig, GroupConfigKey][]).map(([field, key]) => [key.def.name, [field, key]]),
);

/** Picks the group properties out of a config file's object; a bad value is an error, not a default. */
export function groupCoordinatorProperties(props: Record<string, unknown>): Partial<GroupCoordinatorConfig> {
  const out: Partial<Record<keyof GroupCoordinatorConfig, number>> = {};
  for (const [name, value] of Object.entries(props)) {
    const entry = BY_NAME.get(name);
    if (entry === undefined) continue;
    const n = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    out[entry[0]] = checkGroupKey(entry[1], n) * entry[1].toField;
  }
  return validateGroupConfig(out);
}

/** Ranges of a group config given in field units (startBroker's `groups`), and the cross-checks. */
export function validateGroupConfig(groups: Partial<GroupCoordinatorConfig>): Partial<GroupCoordinatorConfig> {
  for (const [field, key] of Object.entries(GROUP_CONFIG_DEFS) as [keyof GroupCoordinatorConfig, GroupConfigKey][]) {
    const value = groups[field];
    if (value !== undefined) checkGroupKey(key, value, `groups.${field} (${key.def.name}${key.toField === 1 ? '' : ' in ms'})`, key.toField);
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
