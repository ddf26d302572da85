// Walks concatenated RecordBatch v2 bytes (a fetch response, a segment file). Stops cleanly at a
// partial trailing batch and reports how many leading bytes held whole batches.
import { CorruptMessageError } from '@mq/errors';
import { BATCH_LENGTH_OFFSET, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD } from './batch-header';
import { validateBatch } from './validate-batch';

export interface BatchSlice {
  /** Byte position of the batch inside the scanned buffer. */
  position: number;
  /** Total bytes of the batch (batchLength + 12). */
  size: number;
  /** A view (no copy) of the batch bytes. */
  batch: Buffer;
}

export interface SplitResult {
  batches: BatchSlice[];
  /** Bytes from the start covered by whole batches; anything after is a partial trailing batch. */
  validBytes: number;
}

/**
 * Yields each whole batch. With `validate` (default) every batch is checked (length, magic, CRC) and
 * a bad one throws; a batch cut off by the end of the buffer just ends the iteration.
 */
export function* iterateBatches(buf: Buffer, validate = true): Generator<BatchSlice, number> {
  let pos = 0;
  while (buf.length - pos >= LOG_OVERHEAD) {
    const batchLength = buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
    if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      throw new CorruptMessageError(`record batch at byte ${pos} has invalid length ${batchLength}`);
    }
    const size = batchLength + LOG_OVERHEAD;
    if (pos + size > buf.length) break;
    if (validate) validateBatch(buf.subarray(pos, pos + size));
    yield { position: pos, size, batch: buf.subarray(pos, pos + size) };
    pos += size;
  }
  return pos;
}

/** Splits `buf` into whole batches (views, no copies). */
export function splitBatches(buf: Buffer, validate = true): SplitResult {
  const batches: BatchSlice[] = [];
  const it = iterateBatches(buf, validate);
  for (;;) {
    const r = it.next();
    if (r.done) return { batches, validBytes: r.value };
    batches.push(r.value);
  }
}
