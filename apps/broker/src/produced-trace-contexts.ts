// The trace context each produced record carries in its `traceparent` header, by offset delta,
// read from the batch as produced (never from, or into, the stored bytes). Most batches carry none:
// one native search for the header name over an uncompressed batch then settles it.
import {
  Compression,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  batchCompression,
  decompress,
  findRecordHeader,
  readAttributes,
} from '@mq/records';
import { TRACEPARENT_HEADER, type TraceContext, parseTraceparent } from '@mq/trace';

const NONE: ReadonlyMap<number, TraceContext> = new Map();

/** Sync for uncompressed batches (the common case); a compressed one is decompressed first. */
export function producedTraceContexts(batch: Buffer): ReadonlyMap<number, TraceContext> | Promise<ReadonlyMap<number, TraceContext>> {
  if (batch.length < RECORD_BATCH_OVERHEAD) return NONE;
  const count = batch.readInt32BE(RECORDS_COUNT_OFFSET);
  const body = batch.subarray(RECORD_BATCH_OVERHEAD);
  const codec = batchCompression({ attributes: readAttributes(batch) });
  if (codec === Compression.none) return contextsIn(body, count);
  return decompress(codec, body).then((plain) => contextsIn(plain, count));
}

function contextsIn(body: Buffer, count: number): ReadonlyMap<number, TraceContext> {
  if (body.indexOf(TRACEPARENT_HEADER) < 0) return NONE;
  const out = new Map<number, TraceContext>();
  for (const [delta, value] of findRecordHeader(body, count, TRACEPARENT_HEADER)) {
    const ctx = parseTraceparent(value);
    if (ctx !== undefined) out.set(delta, ctx);
  }
  return out;
}
