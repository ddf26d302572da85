// Public API of @mq/log: the log engine and its typed errors (the RecordBatch codec is @mq/records).
export { LogError, OffsetOutOfRangeError, KafkaStorageError } from './errors';
export { Log, type AppendOptions, type AppendResult, type LogOptions, type ReadOptions, type TimestampOffset } from './log';
export type { LogLogger } from './log-logger';
export { OpenSegmentCache } from './open-segment-cache';
export {
  type LogConfig,
  type FlushPolicy,
  type CleanupPolicy,
  type Clock,
  DEFAULT_LOG_CONFIG,
  systemClock,
  resolveLogConfig,
} from './log-config';
export type { CompactionStats } from './log-compactor';
export { makeDirectory } from './make-directory';
