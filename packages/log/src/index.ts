// Public API of @mq/log: the RecordBatch v2 codec and compression, typed errors, and the log engine.
export {
  LogError,
  CorruptRecordError,
  InvalidRecordError,
  InvalidTimestampError,
  UnsupportedForMessageFormatError,
  type RecordError,
  OffsetOutOfRangeError,
  UnsupportedCompressionTypeError,
  RecordBatchTooLargeError,
  KafkaStorageError,
} from './errors';
export {
  Compression,
  type CompressionCodec,
  compress,
  decompress,
  compressionName,
} from './record-batch/compression';
export {
  type RecordBatchHeader,
  type TimestampType,
  RECORD_BATCH_OVERHEAD,
  LOG_OVERHEAD,
  CURRENT_MAGIC,
  COMPRESSION_CODEC_MASK,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  CONTROL_FLAG_MASK,
  DELETE_HORIZON_FLAG_MASK,
  readBatchHeader,
  batchCompression,
  batchTimestampType,
  isTransactionalBatch,
  isControlBatch,
  batchLastOffset,
  batchSize,
  readBaseOffset,
  readBatchLength,
  readLastOffsetDelta,
  readMaxTimestamp,
  readAttributes,
  computeBatchCrc,
  setBaseOffset,
  setPartitionLeaderEpoch,
  setLogAppendTime,
  setMaxTimestamp,
} from './record-batch/batch-header';
export { validateBatch } from './record-batch/validate-batch';
export { type ProduceValidationConfig, type ValidatedBatch, validateProducedBatch } from './record-batch/produce-validator';
export { type BatchSlice, type SplitResult, iterateBatches, splitBatches } from './record-batch/batch-iterator';
export { type BuildRecordBatchOptions, buildRecordBatch } from './record-batch/build-record-batch';
export { type DecodedRecordBatch, decodeRecordBatch, decodeRecords } from './record-batch/decode-record-batch';
export type { RecordHeader, RecordInput, DecodedRecord } from './record-batch/record';
export {
  ControlRecordType,
  type EndTxnMarkerOptions,
  buildEndTxnMarker,
  readControlRecord,
} from './record-batch/control-batch';
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
