// Reads a share-partition's records from the log and acquires them for a member: from the first
// available offset, batch by batch up to the high watermark, within maxRecords and maxBytes. Only
// batches holding an acquired record are returned (whole, as stored: the client filters by the
// acquired ranges); control batches are never delivered.
import type { Partition } from '@mq/partition';
import { CONTROL_FLAG_MASK, iterateBatches, readAttributes, readBaseOffset, readLastOffsetDelta } from '@mq/records';
import type { AcquiredRecords, LogRange, SharePartition } from './share-partition';

export interface AcquiredFromLog {
  readonly records: Buffer[];
  readonly acquired: AcquiredRecords[];
}

/** Reads per call at most this many times (each read starts past the last): bounds one fetch's work. */
const MAX_READS = 4;

export async function acquireFromLog(sp: SharePartition, partition: Partition, memberId: string, maxRecords: number, maxBytes: number): Promise<AcquiredFromLog> {
  const records: Buffer[] = [];
  const acquired: AcquiredRecords[] = [];
  if (partition.logStartOffset > sp.startOffset) sp.archiveBefore(partition.logStartOffset);
  let budget = maxRecords;
  let bytesLeft = maxBytes;
  let from = sp.nextFetchOffset();
  for (let read = 0; read < MAX_READS && budget > 0 && bytesLeft > 0 && sp.acquirable(memberId) > 0; read++) {
    const hw = partition.highWatermark;
    if (from >= hw) break;
    const buf = await partition.read(from, bytesLeft, hw, records.length === 0);
    if (buf.length === 0) break;
    const slices: { batch: Buffer; range: LogRange }[] = [];
    for (const slice of iterateBatches(buf, false)) {
      const firstOffset = readBaseOffset(slice.batch);
      const lastOffset = firstOffset + BigInt(readLastOffsetDelta(slice.batch));
      slices.push({ batch: slice.batch, range: { firstOffset, lastOffset, skip: (readAttributes(slice.batch) & CONTROL_FLAG_MASK) !== 0 } });
    }
    if (slices.length === 0) break;
    // Synchronous from here to the end of the loop body: the acquisition sees one state.
    const got = sp.acquire(memberId, slices.map((s) => s.range), budget);
    for (const s of slices) {
      if (got.some((g) => g.firstOffset <= s.range.lastOffset && g.lastOffset >= s.range.firstOffset)) {
        records.push(s.batch);
        bytesLeft -= s.batch.length;
      }
    }
    for (const g of got) budget -= Number(g.lastOffset - g.firstOffset + 1n);
    acquired.push(...got);
    const readEnd = slices[slices.length - 1]!.range.lastOffset + 1n;
    const next = sp.nextFetchOffset();
    from = next > readEnd ? next : readEnd;
  }
  return { records, acquired };
}
