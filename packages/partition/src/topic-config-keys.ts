// The topic configs as @mq/config ConfigDefs, for the broker's one config table: each topic config
// (scope topic, dynamic: AlterConfigs changes it) and each broker property that sets its default
// (log.retention.ms, log.retention.hours, ... — Kafka's ServerTopicConfigSynonyms; scope broker).
import { InvalidConfigError } from '@mq/errors';
import { CONFIG_TYPE_ID, type ConfigDef, type ConfigValueType } from '@mq/config';
import { TOPIC_CONFIG_DOCS } from './topic-config-docs';
import { TOPIC_CONFIG_DEFS, type TopicConfigName, UNIT_SYNONYMS } from './topic-config';

const TYPE_NAME = new Map<number, ConfigValueType>(Object.entries(CONFIG_TYPE_ID).map(([name, id]) => [id, name as ConfigValueType]));

/** The problem a topic validator reports, without the "name: " it starts with. */
function checkWith(name: string): (value: string) => string | undefined {
  const def = TOPIC_CONFIG_DEFS[name]!;
  return (value) => {
    try {
      def.validate(name, value);
      return undefined;
    } catch (err) {
      if (!(err instanceof InvalidConfigError)) throw err;
      return err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message;
    }
  };
}

function keyDef(name: string, as: string, scope: 'broker' | 'topic'): ConfigDef {
  const def = TOPIC_CONFIG_DEFS[name]!;
  const doc = TOPIC_CONFIG_DOCS[name as TopicConfigName];
  return {
    name: as,
    type: TYPE_NAME.get(def.type)!,
    default: def.default,
    check: checkWith(name),
    ...(def.validate.text === undefined ? {} : { validText: def.validate.text }),
    doc: scope === 'topic' ? doc : `Default of the topic config \`${name}\`: ${doc.charAt(0).toLowerCase()}${doc.slice(1)}`,
    ...(scope === 'topic' && def.synonym !== undefined ? { synonyms: [def.synonym] } : {}),
    dynamic: scope === 'topic',
    importance: def.status === 'applied' ? 'medium' : 'low',
    scope,
  };
}

/** Every topic config, sorted by name. */
export function topicConfigKeyDefs(): ConfigDef[] {
  return Object.keys(TOPIC_CONFIG_DEFS)
    .sort()
    .map((name) => keyDef(name, name, 'topic'));
}

/**
 * Every broker property that defaults a topic config, sorted by name: the synonym itself (same type
 * and range as the topic config) and the hour/minute variants (converted to ms, the ms one winning).
 */
export function brokerTopicDefaultKeyDefs(): ConfigDef[] {
  const out: ConfigDef[] = [];
  for (const name of Object.keys(TOPIC_CONFIG_DEFS)) {
    const synonym = TOPIC_CONFIG_DEFS[name]!.synonym;
    if (synonym !== undefined) out.push(keyDef(name, synonym, 'broker'));
  }
  for (const [unitName, unit] of Object.entries(UNIT_SYNONYMS)) {
    const ms = TOPIC_CONFIG_DEFS[unit.config]!.synonym!;
    const unitWord = unit.factor === 60_000n ? 'minutes' : 'hours';
    out.push({
      name: unitName,
      type: 'int',
      default: undefined,
      validText: 'an integer',
      doc: `\`${ms}\` in ${unitWord}, read only when \`${ms}\` is not set${unit.config === 'retention.ms' ? ' (negative: unlimited, as Kafka)' : ''}.`,
      dynamic: false,
      importance: 'low',
      scope: 'broker',
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
