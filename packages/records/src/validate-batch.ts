// Structural validation of one RecordBatch v2: length, magic and CRC-32C. This is all the log checks
// on append (no per-record parsing), so it must stay cheap: one native CRC pass over the batch.
import { CorruptMessageError, InvalidRecordError } from '@mq/errors';
import {
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  computeBatchCrc,
} from './batch-header';

/**
 * Checks the batch at `offset` and returns its total size in bytes. By default the buffer must hold
 * exactly one batch from `offset` to its end; pass `exact: false` to allow trailing bytes.
 */
export function validateBatch(buf: Buffer, offset = 0, exact = true): number {
  const available = buf.length - offset;
  if (available < RECORD_BATCH_OVERHEAD) {
    throw new CorruptMessageError(`record batch of ${available} bytes is shorter than its ${RECORD_BATCH_OVERHEAD}-byte header`);
  }
  const batchLength = buf.readInt32BE(offset + BATCH_LENGTH_OFFSET);
  const size = batchLength + LOG_OVERHEAD;
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
    throw new CorruptMessageError(`record batch length ${batchLength} is smaller than the header`);
  }
  if (size > available || (exact && size !== available)) {
    throw new CorruptMessageError(`record batch length ${batchLength} does not match the ${available} bytes given`);
  }
  const magic = buf.readInt8(offset + MAGIC_OFFSET);
  if (magic !== CURRENT_MAGIC) {
    throw new InvalidRecordError(`record batch magic ${magic} is not supported (only v2)`);
  }
  const stored = buf.readUInt32BE(offset + CRC_OFFSET);
  const computed = computeBatchCrc(buf, offset, size);
  if (stored !== computed) {
    throw new CorruptMessageError(
      `record batch CRC mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})`,
    );
  }
  if (buf.readInt32BE(offset + RECORDS_COUNT_OFFSET) < 0) {
    throw new CorruptMessageError('record batch has a negative record count');
  }
  if (buf.readInt32BE(offset + LAST_OFFSET_DELTA_OFFSET) < 0) {
    throw new CorruptMessageError('record batch has a negative lastOffsetDelta');
  }
  return size;
}
