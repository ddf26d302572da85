// Public API of @mq/records: the RecordBatch v2 codec (header layout and setters, validation, builder,
// decoder), compression, control batches, produce validation, and the repo's
// one varint implementation (unsigned and zigzag).
export {
  Compression,
  type CompressionCodec,
  compress,
  decompress,
  compressionName,
} from './compression';
export {
  type Crc32cFunction,
  type CompressionCodecImplementation,
  type RegistrableCodec,
  PURE_JS_CODECS,
  registerCompressionCodec,
  registerCrc32c,
  resetCodecs,
  codecImplementations,
  crc32c,
} from './codecs/registry';
export { crc32cPure } from './codecs/crc32c';
export {
  type RecordBatchHeader,
  type TimestampType,
  BASE_OFFSET_OFFSET,
  BATCH_LENGTH_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  MAGIC_OFFSET,
  CRC_OFFSET,
  ATTRIBUTES_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PRODUCER_ID_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  BASE_SEQUENCE_OFFSET,
  RECORDS_COUNT_OFFSET,
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
} from './batch-header';
export { validateBatch } from './validate-batch';
export { type ProduceValidationConfig, type ValidatedBatch, validateProducedBatch } from './produce-validator';
export { type BatchSlice, type SplitResult, iterateBatches, splitBatches } from './batch-iterator';
export { type BuildRecordBatchOptions, buildRecordBatch } from './build-record-batch';
export { type DecodedRecordBatch, decodeRecordBatch, decodeRecords } from './decode-record-batch';
export { findRecordHeader } from './record-header-scan';
export type { RecordHeader, RecordInput, DecodedRecord } from './record';
export {
  ControlRecordType,
  type EndTxnMarkerOptions,
  buildEndTxnMarker,
  readControlRecord,
} from './control-batch';
export {
  type Cursor,
  zigzagEncode32,
  zigzagDecode32,
  zigzagEncode64,
  zigzagDecode64,
  unsignedVarintSize,
  varintSize,
  unsignedVarlongSize,
  varlongSize,
  writeUnsignedVarint,
  writeVarint,
  writeUnsignedVarlong,
  writeVarlong,
  readUnsignedVarint,
  readVarint,
  readUnsignedVarlong,
  readVarlong,
} from './varint';
export { murmur2, murmur2Partition, toPositive } from './murmur2';
