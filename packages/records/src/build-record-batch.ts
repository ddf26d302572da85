// Builds a RecordBatch v2 from plain records, for tests, clients and embedders: sizes everything
// first, writes into one buffer, compresses the records section if asked, then stamps the CRC.
import { InvalidRecordError } from '@mq/errors';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  type TimestampType,
  computeBatchCrc,
} from './batch-header';
import { Compression, compress } from './compression';
import { type RecordInput, recordBodySize, writeRecord } from './record';
import { varintSize } from './varint';

export interface BuildRecordBatchOptions {
  records: RecordInput[];
  baseOffset?: bigint;
  compression?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  transactional?: boolean;
  /** Control batch (transaction markers): records carry control keys/values. */
  control?: boolean;
  timestampType?: TimestampType;
  /** Keep a larger lastOffsetDelta than the last record's (compaction preserves the original). */
  lastOffsetDelta?: number;
  /** Clock for records without a timestamp (ms since epoch). */
  now?: () => number;
}

export async function buildRecordBatch(opts: BuildRecordBatchOptions): Promise<Buffer> {
  const records = opts.records;
  if (records.length === 0) throw new InvalidRecordError('a record batch needs at least one record');
  const codec = opts.compression ?? Compression.none;
  const nowTs = BigInt(Math.trunc((opts.now ?? Date.now)()));

  const timestamps: bigint[] = new Array(records.length);
  const offsetDeltas: number[] = new Array(records.length);
  let maxTimestamp = -1n;
  let lastOffsetDelta = -1;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const ts = r.timestamp ?? nowTs;
    timestamps[i] = ts;
    if (ts > maxTimestamp) maxTimestamp = ts;
    const od = r.offsetDelta ?? i;
    if (!Number.isInteger(od) || od < 0 || od <= lastOffsetDelta) {
      throw new InvalidRecordError(`offsetDelta ${od} of record ${i} must be a non-negative integer above the previous one`);
    }
    offsetDeltas[i] = od;
    lastOffsetDelta = od;
  }
  const baseTimestamp = timestamps[0]!;
  if (opts.lastOffsetDelta !== undefined) {
    if (!Number.isInteger(opts.lastOffsetDelta) || opts.lastOffsetDelta < lastOffsetDelta) {
      throw new InvalidRecordError(`lastOffsetDelta ${opts.lastOffsetDelta} is below the last record's offsetDelta ${lastOffsetDelta}`);
    }
    lastOffsetDelta = opts.lastOffsetDelta;
  }

  const bodySizes: number[] = new Array(records.length);
  let recordsSize = 0;
  for (let i = 0; i < records.length; i++) {
    const body = recordBodySize(records[i]!, timestamps[i]! - baseTimestamp, offsetDeltas[i]!);
    bodySizes[i] = body;
    recordsSize += varintSize(body) + body;
  }

  let batch: Buffer;
  if (codec === Compression.none) {
    batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + recordsSize);
    writeRecords(batch, RECORD_BATCH_OVERHEAD);
  } else {
    const plain = Buffer.allocUnsafe(recordsSize);
    writeRecords(plain, 0);
    const packed = await compress(codec, plain);
    batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + packed.length);
    packed.copy(batch, RECORD_BATCH_OVERHEAD);
  }

  function writeRecords(target: Buffer, start: number): void {
    let pos = start;
    for (let i = 0; i < records.length; i++) {
      pos = writeRecord(target, pos, records[i]!, bodySizes[i]!, timestamps[i]! - baseTimestamp, offsetDeltas[i]!);
    }
  }

  let attributes = codec & 0x07;
  if (opts.timestampType === 'LogAppendTime') attributes |= TIMESTAMP_TYPE_MASK;
  if (opts.transactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (opts.control) attributes |= CONTROL_FLAG_MASK;

  batch.writeBigInt64BE(opts.baseOffset ?? 0n, BASE_OFFSET_OFFSET);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  batch.writeInt32BE(opts.partitionLeaderEpoch ?? -1, PARTITION_LEADER_EPOCH_OFFSET);
  batch.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET);
  batch.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  batch.writeInt32BE(lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET);
  batch.writeBigInt64BE(baseTimestamp, BASE_TIMESTAMP_OFFSET);
  batch.writeBigInt64BE(maxTimestamp, MAX_TIMESTAMP_OFFSET);
  batch.writeBigInt64BE(opts.producerId ?? -1n, PRODUCER_ID_OFFSET);
  batch.writeInt16BE(opts.producerEpoch ?? -1, PRODUCER_EPOCH_OFFSET);
  batch.writeInt32BE(opts.baseSequence ?? -1, BASE_SEQUENCE_OFFSET);
  batch.writeInt32BE(records.length, RECORDS_COUNT_OFFSET);
  batch.writeUInt32BE(computeBatchCrc(batch), CRC_OFFSET);
  return batch;
}
