// DescribeConfigs for the BROKER resource from the whole config table: every key of every
// component (the app's, @mq/server's, @mq/groups', the topic defaults) with its effective value,
// its source (STATIC_BROKER_CONFIG when set, else DEFAULT_CONFIG) and, as Kafka lists them, its
// synonyms: each name that was set for it (node.id and broker.id; log.retention.ms/.minutes/.hours), then the default.
import { CONFIG_TYPE_ID } from '@mq/config';
import type { GroupCoordinatorConfig } from '@mq/groups';
import { ConfigSource, type ConfigEntry, type ConfigSynonym, topicDefaultFromBrokerProperty } from '@mq/partition';
import type { BrokerConfig } from '@mq/server';
import type { AppConfigField } from './app-config-defs';
import type { WrittenSetting } from './config';
import { CONFIG_TABLE, type ConfigRow } from './config-table';
import type { BrokerTraceOptions } from './trace-config-defs';
import type { DelayStoreConfig } from '@mq/delay';
import type { ShareGroupConfig } from '@mq/share';
import type { TransactionCoordinatorConfig } from '@mq/transactions';
import type { SecurityConfigField } from './security-config-defs';

export interface BrokerConfigValues {
  readonly config: BrokerConfig;
  readonly groups: GroupCoordinatorConfig;
  readonly app: { readonly [K in AppConfigField]?: string | number | undefined };
  readonly settings: Readonly<Record<string, WrittenSetting>>;
  readonly trace?: BrokerTraceOptions;
  /** The share-group and delay-store keys that were set (the others are at their defaults). */
  readonly share?: Partial<ShareGroupConfig>;
  readonly delayed?: Partial<DelayStoreConfig>;
  /** The transaction keys that were set. */
  readonly transactions?: Partial<TransactionCoordinatorConfig>;
  /** The security keys' effective values as text (passwords included: DescribeConfigs marks them sensitive and hides them). */
  readonly security?: { readonly [K in SecurityConfigField]?: string | undefined };
}

/** The topic config a partition row defaults (log.retention.hours → retention.ms). */
function topicConfigOf(name: string): string | undefined {
  try {
    return topicDefaultFromBrokerProperty(name, '1')?.config;
  } catch {
    return undefined;
  }
}

function effective(row: ConfigRow, v: BrokerConfigValues): string | undefined {
  const t = row.target;
  if (t.component === 'server') return v.config[t.field] === undefined ? undefined : String(v.config[t.field]);
  if (t.component === 'groups') return String(v.groups[t.field] / t.toField);
  if (t.component === 'broker') return v.app[t.field] === undefined ? undefined : String(v.app[t.field]);
  if (t.component === 'trace') return v.trace?.[t.field] === undefined ? row.def.default : String(v.trace[t.field]);
  if (t.component === 'share') return v.share?.[t.field] === undefined ? row.def.default : String(v.share[t.field]);
  if (t.component === 'delay') return v.delayed?.[t.field] === undefined ? row.def.default : String(v.delayed[t.field]);
  if (t.component === 'transactions') return v.transactions?.[t.field] === undefined ? row.def.default : String(v.transactions[t.field]);
  if (t.component === 'security') return v.security?.[t.field] ?? row.def.default;
  const written = v.settings[row.def.name];
  if (row.def.default === undefined) return written?.value; // log.retention.hours and the like: only when set
  const topic = topicConfigOf(row.def.name);
  return (topic === undefined ? undefined : (v.config.topicDefaults as Record<string, string>)[topic]) ?? row.def.default;
}

/** The names whose setting feeds `row`: the key, its synonyms, and for a topic default its unit variants. */
function namesOf(row: ConfigRow): string[] {
  const names = [row.def.name, ...(row.def.synonyms ?? [])];
  const topic = row.target.component === 'partition' && row.def.default !== undefined ? topicConfigOf(row.def.name) : undefined;
  if (topic !== undefined) {
    for (const r of CONFIG_TABLE) {
      if (r !== row && r.target.component === 'partition' && r.def.default === undefined && topicConfigOf(r.def.name) === topic) names.push(r.def.name);
    }
  }
  return names;
}

export function describeBrokerKeys(v: BrokerConfigValues): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  for (const row of CONFIG_TABLE) {
    const value = effective(row, v);
    if (value === undefined) continue;
    const synonyms: ConfigSynonym[] = namesOf(row).flatMap((name) => {
      const s = v.settings[name];
      return s === undefined ? [] : [{ name, value: s.value, source: ConfigSource.staticBroker }];
    });
    // Set by an embedding program's options (no file, env or flag), it is still not the default.
    if (synonyms.length === 0 && row.def.default !== undefined && value !== row.def.default) {
      synonyms.push({ name: row.def.name, value, source: ConfigSource.staticBroker });
    }
    if (row.def.default !== undefined) synonyms.push({ name: row.def.name, value: row.def.default, source: ConfigSource.default });
    const source = synonyms[0]?.source ?? ConfigSource.staticBroker;
    out.push({
      name: row.def.name,
      value,
      source,
      isDefault: source === ConfigSource.default,
      readOnly: !row.def.dynamic,
      isSensitive: row.def.type === 'password',
      configType: CONFIG_TYPE_ID[row.def.type],
      synonyms,
      documentation: row.def.doc,
    });
  }
  return out;
}
