// A partition's fetched bytes, readied once when the response arrives: whole batches checked (CRC)
// and decompressed, control batches dropped, the next fetch offset known. Records are not walked
// here: poll() creates each LazyRecord straight from these views into the array it hands the
// caller, so no per-record object exists before the caller's own.
import { Compression, RECORD_BATCH_OVERHEAD, TIMESTAMP_TYPE_MASK, batchCompression, batchLastOffset, decompress, isControlBatch, iterateBatches, readBatchHeader } from '@mq/records';
import type { ConsumerRecord } from './consumer-record';
import { type BatchView, collectRecords } from './lazy-record';

/** One data batch ready to be walked: its view, record count and the first offset to hand out. */
export interface FetchedBatch {
  readonly view: BatchView;
  readonly recordsCount: number;
  /** Records below this offset (a compressed batch starting before the fetch position) are skipped. */
  readonly fromOffset: bigint;
}

export interface FetchedPartition {
  readonly batches: readonly FetchedBatch[];
  /** Where the next fetch starts (the fetch offset when nothing whole came back). */
  readonly nextOffset: bigint;
  /** Bytes of the whole batches (before decompression): what a prefetch budget counts. */
  readonly bytes: number;
}

const EMPTY: readonly FetchedBatch[] = [];

/**
 * The whole batches of `data` (a trailing partial batch, cut by maxBytes, is left for the next
 * fetch). Throws CorruptMessageError on a bad batch.
 */
export async function readyBatches(topic: string, partition: number, data: Buffer | null, fetchOffset: bigint): Promise<FetchedPartition> {
  if (!data || data.length === 0) return { batches: EMPTY, nextOffset: fetchOffset, bytes: 0 };
  const batches: FetchedBatch[] = [];
  let nextOffset = fetchOffset;
  let bytes = 0;
  for (const slice of iterateBatches(data, true)) {
    bytes += slice.size;
    const header = readBatchHeader(slice.batch);
    const last = batchLastOffset(header);
    if (last < fetchOffset) continue;
    if (!isControlBatch(header)) {
      const codec = batchCompression(header);
      let body = slice.batch.subarray(RECORD_BATCH_OVERHEAD);
      if (codec !== Compression.none) body = await decompress(codec, body);
      const logAppendTime = header.attributes & TIMESTAMP_TYPE_MASK ? header.maxTimestamp : null;
      batches.push({ view: { topic, partition, baseOffset: header.baseOffset, baseTimestamp: header.baseTimestamp, logAppendTime, body }, recordsCount: header.recordsCount, fromOffset: fetchOffset });
    }
    if (last + 1n > nextOffset) nextOffset = last + 1n;
  }
  return { batches, nextOffset, bytes };
}

/** Appends the records of `batches` to `out`, in offset order. */
export function appendRecords(batches: readonly FetchedBatch[], out: ConsumerRecord[]): void {
  for (const b of batches) collectRecords(b.view, b.recordsCount, b.fromOffset, out);
}
