// Validation of one produced RecordBatch before anything is stored: what Kafka's
// analyzeAndValidateRecords and LogValidator check for a client append, in one pass — framing,
// magic, CRC, header rules, then every record (decompressed first). It also fixes what Kafka fixes:
// a wrong CreateTime maxTimestamp is restamped (CRC recomputed), and a topic compression.type other
// than `producer` recompresses the records. Otherwise the producer's bytes are stored as they came.
import {
  CorruptMessageError,
  InvalidRecordError,
  InvalidTimestampError,
  UnsupportedCompressionTypeError,
  UnsupportedForMessageFormatError,
} from '@mq/errors';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  type TimestampType,
  computeBatchCrc,
  readBaseOffset,
  readLastOffsetDelta,
  readMaxTimestamp,
  setMaxTimestamp,
  BASE_TIMESTAMP_OFFSET,
  BASE_SEQUENCE_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORDS_COUNT_OFFSET,
} from './batch-header';
import { type CompressionCodec, Compression, compress, compressionName, decompress } from './compression';
import { type RecordRules, type WalkResult, walkRecords } from './record-walker';

/** The topic settings a produced batch is checked against. */
export interface ProduceValidationConfig {
  /** message.timestamp.type of the topic. */
  readonly timestampType: TimestampType;
  /** cleanup.policy includes compact: every record needs a key. */
  readonly compacted: boolean;
  /** message.timestamp.before.max.ms / after.max.ms (ms; Number.MAX_SAFE_INTEGER = unbounded). */
  readonly timestampBeforeMaxMs: number;
  readonly timestampAfterMaxMs: number;
  /** The codec the topic stores (compression.type), or null for `producer` (keep the producer's). */
  readonly compression: CompressionCodec | null;
  /** Bound on a batch's decompressed records (MESSAGE_TOO_LARGE beyond); default unbounded. */
  readonly maxDecompressedBytes?: number;
}

export interface ValidatedBatch {
  /** The bytes to store: the producer's buffer (maxTimestamp restamped if it was wrong) or a recompressed copy. */
  readonly batch: Buffer;
  /** The batch's maxTimestamp as computed from its records (what is now in its header). */
  readonly maxTimestamp: bigint;
}

/**
 * Validates `batch` (exactly one RecordBatch v2 from a producer) at time `now` (ms). Returns the
 * result synchronously when no codec work is needed (uncompressed, stored uncompressed), else a
 * promise. Throws (or rejects) a KafkaError (@mq/errors): CorruptMessageError (2) for bytes
 * that are not a batch, fail the CRC or do not decompress; InvalidRecordError (87) for rule breaks
 * and malformed records; InvalidTimestampError (32) for timestamps out of bounds;
 * UnsupportedForMessageFormatError (43) for legacy message sets; MessageTooLargeError (10) for
 * records that decompress beyond maxDecompressedBytes. Nothing is modified unless it passes.
 */
export function validateProducedBatch(batch: Buffer, config: ProduceValidationConfig, now: number): ValidatedBatch | Promise<ValidatedBatch> {
  const codec = checkHeader(batch);
  const rules: RecordRules = {
    requireKey: config.compacted,
    minTimestamp: config.timestampBeforeMaxMs >= Number.MAX_SAFE_INTEGER ? Number.NEGATIVE_INFINITY : now - config.timestampBeforeMaxMs,
    maxTimestamp: config.timestampAfterMaxMs >= Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : now + config.timestampAfterMaxMs,
    logAppendTimeSet: (batch.readInt16BE(ATTRIBUTES_OFFSET) & TIMESTAMP_TYPE_MASK) !== 0,
  };
  const target = config.compression ?? codec;
  if (codec === Compression.none) {
    const walk = checkRecords(batch, RECORD_BATCH_OVERHEAD, batch.length, rules);
    if (target === Compression.none) return finish(batch, walk, config);
    return recompress(batch, batch.subarray(RECORD_BATCH_OVERHEAD), target, walk, config);
  }
  return decompress(codec, batch.subarray(RECORD_BATCH_OVERHEAD), config.maxDecompressedBytes).then((records) => {
    const walk = checkRecords(batch, 0, records.length, rules, records);
    return target === codec ? finish(batch, walk, config) : recompress(batch, records, target, walk, config);
  });
}

/** Framing, magic, CRC and header rules; returns the batch's codec. */
function checkHeader(batch: Buffer): CompressionCodec {
  if (batch.length < RECORD_BATCH_OVERHEAD) {
    if (batch.length > MAGIC_OFFSET && batch[MAGIC_OFFSET]! < CURRENT_MAGIC) throw legacyFormat();
    throw new CorruptMessageError(`record batch of ${batch.length} bytes is shorter than its ${RECORD_BATCH_OVERHEAD}-byte header`);
  }
  const magic = batch.readInt8(MAGIC_OFFSET);
  // A legacy MessageSet has magic at the same position but another layout: check it first.
  if (magic < CURRENT_MAGIC && magic >= 0) throw legacyFormat();
  if (magic !== CURRENT_MAGIC) throw new CorruptMessageError(`record batch magic ${magic} is not 2`);
  const size = batch.readInt32BE(BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  if (size < RECORD_BATCH_OVERHEAD || size > batch.length) {
    throw new CorruptMessageError(`record batch length ${size - LOG_OVERHEAD} does not match the ${batch.length} bytes given`);
  }
  if (size < batch.length) throw new InvalidRecordError('Produce requests with version 3 and above must contain exactly one record batch');
  const stored = batch.readUInt32BE(CRC_OFFSET);
  const computed = computeBatchCrc(batch, 0, size);
  if (stored !== computed) {
    throw new CorruptMessageError(`record batch CRC mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})`);
  }
  const baseOffset = readBaseOffset(batch);
  if (baseOffset !== 0n) throw new InvalidRecordError(`the baseOffset of a produced record batch must be 0, but it is ${baseOffset}`);
  const attributes = batch.readInt16BE(ATTRIBUTES_OFFSET);
  if (attributes & CONTROL_FLAG_MASK) throw new InvalidRecordError('Clients are not allowed to write control records');
  const codec = attributes & COMPRESSION_CODEC_MASK;
  if (codec > Compression.zstd) throw new UnsupportedCompressionTypeError(`unsupported compression codec ${codec}`);
  const count = batch.readInt32BE(RECORDS_COUNT_OFFSET);
  if (count <= 0) throw new InvalidRecordError(`Invalid reported count for record batch: ${count}`);
  const lastOffsetDelta = readLastOffsetDelta(batch);
  if (lastOffsetDelta !== count - 1) {
    throw new InvalidRecordError(`Inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${count}`);
  }
  // A transactional batch belongs to a producer id (Kafka's "transactional records ... without a producer id").
  if (attributes & TRANSACTIONAL_FLAG_MASK && batch.readBigInt64BE(PRODUCER_ID_OFFSET) < 0n) {
    throw new InvalidRecordError('a transactional record batch must carry a producer id');
  }
  if (batch.readBigInt64BE(PRODUCER_ID_OFFSET) >= 0n && batch.readInt32BE(BASE_SEQUENCE_OFFSET) < 0) {
    throw new InvalidRecordError(`Invalid sequence number ${batch.readInt32BE(BASE_SEQUENCE_OFFSET)} in an idempotent record batch`);
  }
  return codec as CompressionCodec;
}

function legacyFormat(): UnsupportedForMessageFormatError {
  return new UnsupportedForMessageFormatError('only RecordBatch v2 (magic 2) is supported');
}

/** Walks the records (in `records`, default the batch itself) and turns rule breaks into the batch's error. */
function checkRecords(batch: Buffer, start: number, end: number, rules: RecordRules, records: Buffer = batch): WalkResult {
  const count = batch.readInt32BE(RECORDS_COUNT_OFFSET);
  const walk = walkRecords(records, start, end, count, batch.readBigInt64BE(BASE_TIMESTAMP_OFFSET), rules);
  const errors = walk.recordErrors;
  if (errors !== null) {
    if (walk.timestampError) {
      throw new InvalidTimestampError('One or more records have been rejected due to invalid timestamp', { recordErrors: errors });
    }
    const first = errors.slice(0, 3).map((e) => `${e.batchIndex}: ${e.message}`);
    throw new InvalidRecordError(
      `One or more records have been rejected due to ${errors.length} record errors in total, and only showing the first three errors at most: [${first.join('; ')}]`,
      { recordErrors: errors },
    );
  }
  return walk;
}

/** Stores the producer's bytes; restamps maxTimestamp under CreateTime when the producer's was wrong. */
function finish(batch: Buffer, walk: WalkResult, config: ProduceValidationConfig): ValidatedBatch {
  // LogAppendTime batches get the broker's clock when the log appends them.
  if (config.timestampType === 'CreateTime' && readMaxTimestamp(batch) !== walk.maxTimestamp) setMaxTimestamp(batch, walk.maxTimestamp);
  return { batch, maxTimestamp: walk.maxTimestamp };
}

/** A new batch: the same header fields with `target` as codec, the same records compressed with it. */
async function recompress(batch: Buffer, records: Buffer, target: CompressionCodec, walk: WalkResult, config: ProduceValidationConfig): Promise<ValidatedBatch> {
  let packed: Buffer;
  try {
    packed = await compress(target, records);
  } catch (err) {
    throw new CorruptMessageError(`cannot recompress records with ${compressionName(target)}`, { cause: err });
  }
  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + packed.length);
  batch.copy(out, 0, 0, RECORD_BATCH_OVERHEAD);
  packed.copy(out, RECORD_BATCH_OVERHEAD);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  out.writeInt16BE((batch.readInt16BE(ATTRIBUTES_OFFSET) & ~COMPRESSION_CODEC_MASK) | target, ATTRIBUTES_OFFSET);
  // finish() restamps maxTimestamp (and the CRC) when needed; stamp the CRC here in case it does not.
  out.writeUInt32BE(computeBatchCrc(out), CRC_OFFSET);
  return finish(out, walk, config);
}
