// Pure helpers of TopicManager's admin operations: topic ids, partition-count checks, stored
// configs against today's defaults, and IncrementalAlterConfigs' op application.
import { randomBytes } from 'node:crypto';
import { InvalidConfigError, InvalidPartitionsError } from '@mq/errors';
import { ConfigType, TOPIC_CONFIG_DEFS, resolveTopicConfig, type TopicConfigInput } from './topic-config';

/** Kafka caps partitions per topic only by cluster limits; we cap to keep one bad request from exhausting fds. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

export type AlterConfigOp =
  | { readonly name: string; readonly op: 'set'; readonly value: string }
  | { readonly name: string; readonly op: 'delete' }
  | { readonly name: string; readonly op: 'append' | 'subtract'; readonly value: string };

/** Kafka's Uuid.randomUuid(): 16 random bytes, never the zero id and never text starting with '-'. */
export function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

/** A stored topic's configs against today's broker defaults; a conflict names the topic (start is refused). */
export function resolveStoredConfig(topic: string, overrides: TopicConfigInput, defaults: TopicConfigInput): ReturnType<typeof resolveTopicConfig> {
  try {
    return resolveTopicConfig(overrides, defaults);
  } catch (err) {
    if (!(err instanceof InvalidConfigError)) throw err;
    throw new InvalidConfigError(`topic ${topic}: ${err.message} (its overrides against the broker defaults)`, { cause: err });
  }
}

export function checkPartitionCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidPartitionsError(`number of partitions must be at least 1, got ${n}`);
  if (n > MAX_PARTITIONS_PER_TOPIC) throw new InvalidPartitionsError(`number of partitions ${n} exceeds ${MAX_PARTITIONS_PER_TOPIC}`);
}

export function applyOps(current: Readonly<Record<string, string>>, ops: readonly AlterConfigOp[], defaults: TopicConfigInput): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const op of ops) {
    switch (op.op) {
      case 'set':
        next[op.name] = op.value;
        break;
      case 'delete':
        delete next[op.name];
        break;
      case 'append':
      case 'subtract': {
        // Only list-typed configs take APPEND/SUBTRACT (Kafka rule).
        const def = TOPIC_CONFIG_DEFS[op.name];
        if (def?.type !== ConfigType.list) throw new InvalidConfigError(`${op.op} is only valid for list configs, not ${op.name}`);
        const base = (next[op.name] ?? defaults[op.name] ?? def.default).split(',').map((s) => s.trim()).filter(Boolean);
        const items = op.value.split(',').map((s) => s.trim()).filter(Boolean);
        const result = op.op === 'append' ? [...base, ...items.filter((i) => !base.includes(i))] : base.filter((b) => !items.includes(b));
        next[op.name] = result.join(',');
        break;
      }
    }
  }
  return next;
}
