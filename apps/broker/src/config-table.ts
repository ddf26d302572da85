// The broker's one config table, composed from the components that own the keys: the app's own
// (listeners, data dir, logs), @mq/server's BrokerConfig keys, @mq/groups' coordinator keys,
// @mq/partition's topic configs (as broker defaults, and per topic) and the trace.* keys. Parsing from file / env /
// flags, validation, DescribeConfigs, --help and the README reference all read it.
import type { ConfigDef } from '@mq/config';
import { GROUP_CONFIG_DEFS, type GroupCoordinatorConfig } from '@mq/groups';
import { brokerTopicDefaultKeyDefs, topicConfigKeyDefs } from '@mq/partition';
import { BROKER_CONFIG_DEFS, type BrokerConfigKeyField } from '@mq/server';
import { APP_CONFIG_DEFS, type AppConfigField, COMPONENT_FLAGS, FLAG_FOR } from './app-config-defs';
import { DELAY_CONFIG_DEFS, type DelayConfigField, SHARE_CONFIG_DEFS, type ShareConfigField } from './queue-config-defs';
import { SECURITY_CONFIG_DEFS, type SecurityConfigField } from './security-config-defs';
import { TRACE_CONFIG_DEFS, type TraceConfigField } from './trace-config-defs';
import { TXN_CONFIG_DEFS, type TxnConfigField } from './txn-config-defs';

/** Where a key's value goes once parsed. */
export type ConfigTarget =
  | { readonly component: 'broker'; readonly field: AppConfigField }
  | { readonly component: 'server'; readonly field: BrokerConfigKeyField }
  | { readonly component: 'groups'; readonly field: keyof GroupCoordinatorConfig; readonly toField: number }
  | { readonly component: 'share'; readonly field: ShareConfigField }
  | { readonly component: 'delay'; readonly field: DelayConfigField }
  | { readonly component: 'transactions'; readonly field: TxnConfigField }
  | { readonly component: 'partition' }
  | { readonly component: 'trace'; readonly field: TraceConfigField }
  | { readonly component: 'security'; readonly field: SecurityConfigField };

export interface ConfigRow {
  readonly def: ConfigDef;
  readonly target: ConfigTarget;
  /** The env var that sets it: MQ_ and the name in upper snake case (num.partitions → MQ_NUM_PARTITIONS). */
  readonly env: string;
  /** The command-line flag, for the app's keys; any key can be given as `--override name=value`. */
  readonly flag?: string;
}

export function envName(key: string): string {
  return `MQ_${key.toUpperCase().replace(/[.-]/g, '_')}`;
}

function row(def: ConfigDef, target: ConfigTarget, flag?: string): ConfigRow {
  return { def, target, env: envName(def.name), ...(flag === undefined ? {} : { flag }) };
}

/** Every broker-scope key, in the order the reference lists them (app, server, groups, share groups, delay store, transactions, topic defaults, trace, security). */
export const CONFIG_TABLE: readonly ConfigRow[] = [
  ...(Object.entries(APP_CONFIG_DEFS) as [AppConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'broker', field }, FLAG_FOR[field])),
  ...(Object.entries(BROKER_CONFIG_DEFS) as [BrokerConfigKeyField, ConfigDef][]).map(([field, def]) => row(def, { component: 'server', field }, COMPONENT_FLAGS[def.name])),
  ...(Object.entries(GROUP_CONFIG_DEFS) as [keyof GroupCoordinatorConfig, (typeof GROUP_CONFIG_DEFS)[keyof GroupCoordinatorConfig]][]).map(
    ([field, key]) => row(key.def, { component: 'groups', field, toField: key.toField }),
  ),
  ...(Object.entries(SHARE_CONFIG_DEFS) as [ShareConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'share', field })),
  ...(Object.entries(DELAY_CONFIG_DEFS) as [DelayConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'delay', field })),
  ...(Object.entries(TXN_CONFIG_DEFS) as [TxnConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'transactions', field })),
  ...brokerTopicDefaultKeyDefs().map((def) => row(def, { component: 'partition' })),
  ...(Object.entries(TRACE_CONFIG_DEFS) as [TraceConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'trace', field })),
  ...(Object.entries(SECURITY_CONFIG_DEFS) as [SecurityConfigField, ConfigDef][]).map(([field, def]) => row(def, { component: 'security', field })),
];

/** Every topic config (scope topic): set per topic by CreateTopics / AlterConfigs, or `topic.<name>` in the broker's file. */
export const TOPIC_CONFIG_TABLE: readonly ConfigDef[] = topicConfigKeyDefs();

const BY_NAME = new Map<string, { row: ConfigRow; synonymRank: number }>();
for (const r of CONFIG_TABLE) {
  if (BY_NAME.has(r.def.name)) throw new Error(`config key ${r.def.name} is defined twice`);
  BY_NAME.set(r.def.name, { row: r, synonymRank: 0 });
}
for (const r of CONFIG_TABLE) {
  (r.def.synonyms ?? []).forEach((s, i) => {
    if (BY_NAME.has(s)) throw new Error(`config key ${s} is defined twice`);
    BY_NAME.set(s, { row: r, synonymRank: i + 1 });
  });
}

const BY_ENV = new Map<string, string>([...BY_NAME.keys()].map((name) => [envName(name), name]));

/** The row a key (or one of its synonyms) belongs to; synonymRank 0 for the key itself. */
export function configRow(name: string): { readonly row: ConfigRow; readonly synonymRank: number } | undefined {
  return BY_NAME.get(name);
}

/** The key an MQ_* env var sets, if any. */
export function keyOfEnv(env: string): string | undefined {
  return BY_ENV.get(env);
}
