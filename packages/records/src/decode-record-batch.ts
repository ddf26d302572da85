// Decodes one RecordBatch v2 (validated first) into its header and records with absolute offsets and
// timestamps. Keys and values are views into the batch (or the decompressed buffer), not copies.
import { CorruptMessageError } from '@mq/errors';
import {
  type RecordBatchHeader,
  RECORD_BATCH_OVERHEAD,
  TIMESTAMP_TYPE_MASK,
  batchCompression,
  readBatchHeader,
} from './batch-header';
import { Compression, decompress } from './compression';
import { type DecodedRecord, readRecord } from './record';
import type { Cursor } from './varint';
import { validateBatch } from './validate-batch';

export interface DecodedRecordBatch {
  header: RecordBatchHeader;
  records: DecodedRecord[];
}

export async function decodeRecordBatch(buf: Buffer): Promise<DecodedRecordBatch> {
  validateBatch(buf);
  const header = readBatchHeader(buf);
  const codec = batchCompression(header);
  let body = buf.subarray(RECORD_BATCH_OVERHEAD);
  if (codec !== Compression.none) body = await decompress(codec, body);
  return { header, records: decodeRecords(header, body) };
}

/** Parses `header.recordsCount` records filling `body` exactly. */
export function decodeRecords(header: RecordBatchHeader, body: Buffer): DecodedRecord[] {
  const c: Cursor = { buf: body, pos: 0, end: body.length };
  const logAppendTime = header.attributes & TIMESTAMP_TYPE_MASK ? header.maxTimestamp : null;
  // Each record takes at least 7 bytes, which bounds a corrupt count before we allocate for it.
  if (header.recordsCount > body.length) {
    throw new CorruptMessageError(`record count ${header.recordsCount} cannot fit in ${body.length} bytes`);
  }
  const records: DecodedRecord[] = [];
  for (let i = 0; i < header.recordsCount; i++) {
    records.push(readRecord(c, header.baseOffset, header.baseTimestamp, logAppendTime));
  }
  if (c.pos !== c.end) {
    throw new CorruptMessageError(`${c.end - c.pos} bytes left over after ${header.recordsCount} records`);
  }
  return records;
}
