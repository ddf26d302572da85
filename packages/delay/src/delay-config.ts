// The delay store's settings (the broker's mq.delayed.* keys) and their checks.
import { DEFAULT_MAX_DELAY_MS } from './delay-headers';
import { DelayError } from './errors';

export interface DelayStoreConfig {
  /** mq.delayed.topic.num.partitions: partitions of __mq_delayed when it is created (default 4). */
  readonly topicPartitions: number;
  /** mq.delayed.topic.replication.factor: replicas of __mq_delayed in a cluster (default 3). */
  readonly topicReplicationFactor: number;
  /** mq.delayed.topic.segment.bytes: its segment size, so delivered messages compact away (default 64 MiB). */
  readonly topicSegmentBytes: number;
  /** mq.delayed.max.delay.ms: the longest delay a record may ask for (default 365 days). */
  readonly maxDelayMs: number;
  /** mq.delayed.retry.backoff.ms: wait before appending again after a retriable failure (default 1000). */
  readonly retryBackoffMs: number;
}

export const DEFAULT_DELAY_STORE_CONFIG: DelayStoreConfig = {
  topicPartitions: 4,
  topicReplicationFactor: 3,
  topicSegmentBytes: 64 * 1024 * 1024,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  retryBackoffMs: 1000,
};

function positiveInt(name: string, v: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(v) || v < 1 || v > max) throw new DelayError('INVALID_CONFIG', `${name} must be an integer in [1, ${max}], got ${v}`);
}

export function resolveDelayStoreConfig(c: Partial<DelayStoreConfig> = {}): DelayStoreConfig {
  const out = { ...DEFAULT_DELAY_STORE_CONFIG, ...c };
  positiveInt('mq.delayed.topic.num.partitions', out.topicPartitions, 1000);
  positiveInt('mq.delayed.topic.replication.factor', out.topicReplicationFactor, 32767);
  positiveInt('mq.delayed.topic.segment.bytes', out.topicSegmentBytes, 2 ** 31 - 1);
  positiveInt('mq.delayed.max.delay.ms', out.maxDelayMs);
  positiveInt('mq.delayed.retry.backoff.ms', out.retryBackoffMs, 3_600_000);
  return out;
}
