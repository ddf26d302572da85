// Public API of @mq/log: the log engine (the RecordBatch codec is @mq/records; the errors it raises,
// OffsetOutOfRangeError and KafkaStorageError among them, are @mq/errors').
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
export type { FileStat, FileSystem } from './file-system';
export { nodeFileSystem } from './node-file-system';
