// ConfigDef: one configuration key as Kafka's ConfigDef declares it (name, type, default, valid
// values, doc, importance) plus what mq needs around it (synonyms, dynamic or not, broker or topic
// scope). Each component owns a list of these; the broker app composes them into one table.

/** Kafka's ConfigDef.Type names (DescribeConfigs reports them as numbers; see CONFIG_TYPE_ID). */
export type ConfigValueType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'password';

/** Where a key is set: the broker (server.properties) or a topic (CreateTopics / AlterConfigs). */
export type ConfigScope = 'broker' | 'topic';

/** Kafka's ConfigDef.Importance: how prominently the reference lists it. */
export type ConfigImportance = 'high' | 'medium' | 'low';

/** An inclusive integer range; `orElse` is a sentinel accepted outside it (Kafka's -1 "unlimited"). */
/** The largest value of a Kafka `int` key (Java's Integer.MAX_VALUE): Kafka's "no limit" for int keys. */
export const INT_MAX = 2_147_483_647;

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly orElse?: number;
}

export interface ConfigDef {
  /** Kafka's property name ("num.partitions"); mq's own keys follow the same style. */
  readonly name: string;
  readonly type: ConfigValueType;
  /** The default in Kafka's string form; undefined when unset by default (derived at start, or none). */
  readonly default: string | undefined;
  /** Numeric types: the allowed range (checked on the parsed number). */
  readonly range?: NumberRange;
  /** string / list types: the allowed values (a list must be made of them). */
  readonly validValues?: readonly string[];
  /** Further checks on the string form (before the range); returns the problem ("not a port: 70000") or undefined. */
  readonly check?: (value: string) => string | undefined;
  /** Human text of the valid values where `range` / `validValues` cannot say it ("a Kafka version"). */
  readonly validText?: string;
  /** One or two sentences: what it does in mq (not only in Kafka). */
  readonly doc: string;
  /**
   * Other names that set the same value, lowest priority last (Kafka's synonyms: broker.id for
   * node.id; log.retention.minutes/hours for log.retention.ms are declared as their own keys).
   */
  readonly synonyms?: readonly string[];
  /** Changeable at run time (AlterConfigs): topic configs, and the dynamic broker configs (@mq/server DYNAMIC_BROKER_CONFIG_DEFS). */
  readonly dynamic: boolean;
  readonly importance: ConfigImportance;
  readonly scope: ConfigScope;
}

/** DescribeConfigs ConfigType (KIP-226) for each ConfigDef type. */
export const CONFIG_TYPE_ID: Readonly<Record<ConfigValueType, number>> = {
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  password: 9,
};

/** The valid values as the reference prints them: "[1, 10000]", "[1, ...] or -1", "delete, compact". */
export function validValuesText(def: ConfigDef): string {
  if (def.validText !== undefined) return def.validText;
  if (def.range !== undefined) {
    const r = def.range;
    return `[${r.min}, ${r.max}]${r.orElse === undefined ? '' : ` or ${r.orElse}`}`;
  }
  if (def.validValues !== undefined) return def.validValues.join(', ');
  if (def.type === 'boolean') return 'true, false';
  return '';
}
