// Reads a whole log through Log.read, decoding every batch: what a consumer would see.
import { type DecodedRecord, decodeRecordBatch, splitBatches } from '@mq/records';
import type { Log } from '../../src/index';

export async function readAll(log: Log, from = log.logStartOffset, maxBytes = 1 << 20): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const data = await log.read(offset, maxBytes);
    const { batches, validBytes } = splitBatches(data);
    if (validBytes !== data.length) throw new Error('read returned a partial batch');
    if (batches.length === 0) break;
    for (const b of batches) {
      const { header, records } = await decodeRecordBatch(b.batch);
      for (const r of records) if (r.offset >= offset) out.push(r);
      offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}
