// Value validators for topic configs, after Kafka's ConfigDef types and validators (atLeast,
// between, ValidString.in, ValidList.in, ThrottledReplicaListValidator). Each throws
// InvalidConfigError naming the config and the value, so the client sees why on the wire.
import { InvalidConfigError } from '@mq/errors';

/** Throws InvalidConfigError for a bad value; `text` says what is valid, for the config reference. */
export type ConfigValidator = ((name: string, value: string) => void) & { readonly text?: string };

function described(text: string, check: (name: string, value: string) => void): ConfigValidator {
  return Object.assign(check, { text });
}

function bound(n: bigint | number, limit: string): string {
  return String(n) === limit ? '...' : String(n);
}

export const LONG_MAX = '9223372036854775807';
const LONG_MIN = '-9223372036854775808';
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

function integer(name: string, value: string): bigint {
  const v = value.trim();
  if (!/^[-+]?\d+$/.test(v)) throw new InvalidConfigError(`${name}: "${value}" is not an integer`);
  return BigInt(v);
}

/** Kafka LONG, optionally with atLeast(min) / between(min, max). */
export function long(min: bigint | number = BigInt(LONG_MIN), max: bigint | number = BigInt(LONG_MAX)): ConfigValidator {
  return described(`[${bound(min, LONG_MIN)}, ${bound(max, LONG_MAX)}]`, (name, value) => {
    const n = integer(name, value);
    if (n < BigInt(LONG_MIN) || n > BigInt(LONG_MAX)) throw new InvalidConfigError(`${name}: ${value} does not fit a 64-bit long`);
    if (n < BigInt(min) || n > BigInt(max)) throw new InvalidConfigError(`${name}: ${value} is outside [${min}, ${max}]`);
  });
}

/** Kafka INT, optionally with atLeast(min) / between(min, max). */
export function int(min = INT_MIN, max = INT_MAX): ConfigValidator {
  return described(`[${bound(min, String(INT_MIN))}, ${bound(max, String(INT_MAX))}]`, (name, value) => {
    const n = integer(name, value);
    if (n < BigInt(INT_MIN) || n > BigInt(INT_MAX)) throw new InvalidConfigError(`${name}: ${value} does not fit a 32-bit int`);
    if (n < BigInt(min) || n > BigInt(max)) throw new InvalidConfigError(`${name}: ${value} is outside [${min}, ${max}]`);
  });
}

/** Kafka DOUBLE with between(min, max). */
export function double(min: number, max: number): ConfigValidator {
  return described(`[${min}, ${max}]`, (name, value) => {
    const v = value.trim();
    const n = Number(v);
    if (v === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) || !Number.isFinite(n)) {
      throw new InvalidConfigError(`${name}: "${value}" is not a number`);
    }
    if (n < min || n > max) throw new InvalidConfigError(`${name}: ${value} is outside [${min}, ${max}]`);
  });
}

/** Kafka BOOLEAN: "true" or "false", any case. */
export const bool: ConfigValidator = described('true, false', (name, value) => {
  const v = value.trim().toLowerCase();
  if (v !== 'true' && v !== 'false') throw new InvalidConfigError(`${name}: "${value}" is not true or false`);
});

/** Kafka STRING with ValidString.in(...). */
export function oneOf(...allowed: string[]): ConfigValidator {
  return described(allowed.join(', '), (name, value) => {
    if (!allowed.includes(value)) throw new InvalidConfigError(`${name}: "${value}" is not one of ${allowed.join(', ')}`);
  });
}

/** Kafka LIST with ValidList.in(...): comma-separated, at least one item, each allowed. */
export function listOf(...allowed: string[]): ConfigValidator {
  return described(`a list of ${allowed.join(', ')}`, (name, value) => {
    const items = value.split(',').map((s) => s.trim());
    if (items.length === 0 || items.some((i) => !allowed.includes(i))) {
      throw new InvalidConfigError(`${name}: "${value}" must be a list of ${allowed.join(', ')}`);
    }
  });
}

/** An INT that is either `sentinel` (the codec's default level) or within [min, max]. */
export function levelOrDefault(sentinel: number, min: number, max: number): ConfigValidator {
  const range = int(min, max);
  return described(`${sentinel} or [${min}, ${max}]`, (name, value) => {
    if (/^[-+]?\d+$/.test(value.trim()) && Number(value) === sentinel) return;
    range(name, value);
  });
}

/** ThrottledReplicaListValidator: empty, "*", or "partition:broker" pairs. */
export const throttledReplicas: ConfigValidator = described('empty, *, or partition:brokerId pairs', (name, value) => {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0 || (items.length === 1 && items[0] === '*')) return;
  if (items.some((i) => !/^\d+:\d+$/.test(i))) {
    throw new InvalidConfigError(`${name}: "${value}" must be "*" or a list of partition:brokerId pairs`);
  }
});

/** message.format.version (Kafka 3.x, removed in 4.0): a Kafka release such as 0.10.2, 2.8 or 3.0-IV1. */
export const kafkaVersion: ConfigValidator = described('a Kafka version (0.8 ... 3.x)', (name, value) => {
  if (!/^(0\.(8|9|10|11)(\.\d+)?|[123]\.\d+)(-IV\d+)?$/.test(value.trim())) {
    throw new InvalidConfigError(`${name}: "${value}" is not a Kafka message format version (e.g. 2.8, 3.0-IV1)`);
  }
});

/**
 * A subject name strategy as Confluent Server's confluent.*.subject.name.strategy takes it: the short
 * name or the serializer's full class name (io.confluent.kafka.serializers.subject.RecordNameStrategy).
 */
export const SUBJECT_NAME_STRATEGIES = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'] as const;
export const subjectNameStrategy: ConfigValidator = described(`${SUBJECT_NAME_STRATEGIES.join(', ')} (short or full class name)`, (name, value) => {
  if (shortStrategyName(value) === undefined) {
    throw new InvalidConfigError(`${name}: "${value}" is not a subject name strategy (one of ${SUBJECT_NAME_STRATEGIES.join(', ')}, short or full class name)`);
  }
});

/** The short name of a strategy given short or as a class name; undefined for anything else. */
export function shortStrategyName(value: string): (typeof SUBJECT_NAME_STRATEGIES)[number] | undefined {
  const v = value.trim();
  const short = v.slice(v.lastIndexOf('.') + 1);
  const found = SUBJECT_NAME_STRATEGIES.find((s) => s === short);
  // A class name must be a dotted Java name ending in one of the strategies.
  if (found === undefined || (short !== v && !/^([A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*$/.test(v))) return undefined;
  return found;
}

/** mq.priority.weights: five non-negative integers (lanes 0…4), at least one above 0. */
export const priorityWeights: ConfigValidator = described('five non-negative integers, lanes 0 … 4 (e.g. 50,25,15,7,3)', (name, value) => {
  const items = value.split(',').map((s) => s.trim());
  if (items.length !== 5 || items.some((i) => !/^\d{1,9}$/.test(i)) || items.every((i) => Number(i) === 0)) {
    throw new InvalidConfigError(`${name}: "${value}" must be five non-negative integers (lanes 0 … 4), not all 0`);
  }
});

/** mq.dlq.topic: '' (the default `<topic>.dlq`) or a topic name, where `{group}` and `{topic}` stand for the share group and the topic. */
export const dlqTopicName: ConfigValidator = described('empty (`<topic>.dlq`) or a topic name; `{group}` / `{topic}` are replaced', (name, value) => {
  const v = value.trim().replace(/\{group\}|\{topic\}/g, 'x');
  if (v !== '' && (!/^[a-zA-Z0-9._-]+$/.test(v) || v === '.' || v === '..' || v.length > 249)) {
    throw new InvalidConfigError(`${name}: "${value}" is not a topic name (characters [a-zA-Z0-9._-], {group} and {topic} allowed)`);
  }
});
