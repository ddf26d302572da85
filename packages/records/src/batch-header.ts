// RecordBatch v2 header layout: field offsets, a zero-copy header reader, derived flags, and the
// in-place setters a broker uses (baseOffset and leader epoch sit outside the CRC; LogAppendTime does not).
import { crc32c } from './codecs/registry';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
/** Size of the fixed header; records (or the compressed blob) start here. */
export const RECORD_BATCH_OVERHEAD = 61;
/** baseOffset + batchLength: bytes before what batchLength counts. */
export const LOG_OVERHEAD = 12;
export const CURRENT_MAGIC = 2;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface RecordBatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** Reads the 61-byte header at `offset`. The caller ensures the bytes exist (see validateBatch). */
export function readBatchHeader(buf: Buffer, offset = 0): RecordBatchHeader {
  return {
    baseOffset: buf.readBigInt64BE(offset + BASE_OFFSET_OFFSET),
    batchLength: buf.readInt32BE(offset + BATCH_LENGTH_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(offset + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(offset + MAGIC_OFFSET),
    crc: buf.readUInt32BE(offset + CRC_OFFSET),
    attributes: buf.readInt16BE(offset + ATTRIBUTES_OFFSET),
    lastOffsetDelta: buf.readInt32BE(offset + LAST_OFFSET_DELTA_OFFSET),
    baseTimestamp: buf.readBigInt64BE(offset + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: buf.readBigInt64BE(offset + MAX_TIMESTAMP_OFFSET),
    producerId: buf.readBigInt64BE(offset + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(offset + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(offset + BASE_SEQUENCE_OFFSET),
    recordsCount: buf.readInt32BE(offset + RECORDS_COUNT_OFFSET),
  };
}

// Derived views of a header (functions, so the header object keeps a plain stable shape).
export function batchCompression(h: Pick<RecordBatchHeader, 'attributes'>): number {
  return h.attributes & COMPRESSION_CODEC_MASK;
}
export function batchTimestampType(h: Pick<RecordBatchHeader, 'attributes'>): TimestampType {
  return h.attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime';
}
export function isTransactionalBatch(h: Pick<RecordBatchHeader, 'attributes'>): boolean {
  return (h.attributes & TRANSACTIONAL_FLAG_MASK) !== 0;
}
export function isControlBatch(h: Pick<RecordBatchHeader, 'attributes'>): boolean {
  return (h.attributes & CONTROL_FLAG_MASK) !== 0;
}
export function batchLastOffset(h: Pick<RecordBatchHeader, 'baseOffset' | 'lastOffsetDelta'>): bigint {
  return h.baseOffset + BigInt(h.lastOffsetDelta);
}
/** Total bytes the batch occupies: batchLength plus the 12 bytes before it. */
export function batchSize(h: Pick<RecordBatchHeader, 'batchLength'>): number {
  return h.batchLength + LOG_OVERHEAD;
}

// Single-field readers for hot paths that must not allocate a header object.
export function readBaseOffset(buf: Buffer, offset = 0): bigint {
  return buf.readBigInt64BE(offset + BASE_OFFSET_OFFSET);
}
export function readBatchLength(buf: Buffer, offset = 0): number {
  return buf.readInt32BE(offset + BATCH_LENGTH_OFFSET);
}
export function readLastOffsetDelta(buf: Buffer, offset = 0): number {
  return buf.readInt32BE(offset + LAST_OFFSET_DELTA_OFFSET);
}
export function readMaxTimestamp(buf: Buffer, offset = 0): bigint {
  return buf.readBigInt64BE(offset + MAX_TIMESTAMP_OFFSET);
}
export function readAttributes(buf: Buffer, offset = 0): number {
  return buf.readInt16BE(offset + ATTRIBUTES_OFFSET);
}

/** CRC-32C of bytes 21..end of the batch at `offset` spanning `size` bytes. */
export function computeBatchCrc(buf: Buffer, offset = 0, size = buf.length - offset): number {
  return crc32c(buf.subarray(offset + ATTRIBUTES_OFFSET, offset + size)) >>> 0;
}

/** Stamps baseOffset in place. Outside the CRC, so no recompute. */
export function setBaseOffset(buf: Buffer, baseOffset: bigint, offset = 0): void {
  buf.writeBigInt64BE(baseOffset, offset + BASE_OFFSET_OFFSET);
}

/** Stamps partitionLeaderEpoch in place. Outside the CRC, so no recompute. */
export function setPartitionLeaderEpoch(buf: Buffer, epoch: number, offset = 0): void {
  buf.writeInt32BE(epoch, offset + PARTITION_LEADER_EPOCH_OFFSET);
}

/**
 * Marks the batch LogAppendTime with `timestamp` as maxTimestamp (every record then reads as that
 * time) and recomputes the CRC, since attributes and maxTimestamp are covered by it.
 */
export function setLogAppendTime(buf: Buffer, timestamp: bigint, offset = 0): void {
  const size = buf.readInt32BE(offset + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  const attrs = buf.readInt16BE(offset + ATTRIBUTES_OFFSET);
  buf.writeInt16BE(attrs | TIMESTAMP_TYPE_MASK, offset + ATTRIBUTES_OFFSET);
  buf.writeBigInt64BE(timestamp, offset + MAX_TIMESTAMP_OFFSET);
  buf.writeUInt32BE(computeBatchCrc(buf, offset, size), offset + CRC_OFFSET);
}

/**
 * Rewrites maxTimestamp (CreateTime batches whose client sent a wrong one, as Kafka's LogValidator
 * does) and recomputes the CRC, which covers it.
 */
export function setMaxTimestamp(buf: Buffer, timestamp: bigint, offset = 0): void {
  const size = buf.readInt32BE(offset + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  buf.writeBigInt64BE(timestamp, offset + MAX_TIMESTAMP_OFFSET);
  buf.writeUInt32BE(computeBatchCrc(buf, offset, size), offset + CRC_OFFSET);
}
