// The broker's static settings as DescribeConfigs entries (resource type BROKER), from
// BROKER_CONFIG_DEFS and the topic configs' broker synonyms; read-only (the dynamic broker configs
// are added by DynamicBrokerConfigs.describe). This is the
// default for a BrokerServer started without the broker app, which passes its own (every
// component's keys, with where each value came from) as BrokerServerOptions.describeBrokerConfig.
import { CONFIG_TYPE_ID } from '@mq/config';
import { ConfigSource, TOPIC_CONFIG_DEFS, type ConfigEntry, topicConfigKeyDefs } from '@mq/partition';
import type { BrokerConfig } from './broker-config';
import { BROKER_CONFIG_DEFS, type BrokerConfigKeyField } from './broker-config-defs';

const TOPIC_DOCS = new Map(topicConfigKeyDefs().map((d) => [d.name, d.doc]));

function entry(name: string, value: string, defaultValue: string | undefined, configType: number, documentation: string): ConfigEntry {
  const isDefault = value === defaultValue;
  const source = isDefault ? ConfigSource.default : ConfigSource.staticBroker;
  return {
    name,
    value,
    source,
    isDefault,
    readOnly: true,
    isSensitive: false,
    configType,
    synonyms: [
      ...(isDefault ? [] : [{ name, value, source }]),
      ...(defaultValue === undefined ? [] : [{ name, value: defaultValue, source: ConfigSource.default }]),
    ],
    documentation,
  };
}

export function describeBrokerConfig(c: BrokerConfig): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  for (const [field, def] of Object.entries(BROKER_CONFIG_DEFS) as [BrokerConfigKeyField, (typeof BROKER_CONFIG_DEFS)[BrokerConfigKeyField]][]) {
    const value = c[field];
    if (value === undefined) continue;
    out.push(entry(def.name, String(value), def.default, CONFIG_TYPE_ID[def.type], def.doc));
    for (const synonym of def.synonyms ?? []) out.push(entry(synonym, String(value), def.default, CONFIG_TYPE_ID[def.type], def.doc));
  }
  const defaults = c.topicDefaults as Record<string, string>;
  for (const [topicName, def] of Object.entries(TOPIC_CONFIG_DEFS)) {
    if (def.synonym === undefined || out.some((e) => e.name === def.synonym)) continue;
    out.push(entry(def.synonym, defaults[topicName] ?? def.default, def.default, def.type, TOPIC_DOCS.get(topicName) ?? ''));
  }
  return out;
}
