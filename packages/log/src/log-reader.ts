// Read paths over a snapshot of a log's segments: fetch-style reads of whole batches and the
// timestamp lookup. Run concurrently with the writer; segments pin themselves while in use.
import type { LogSegment } from './log-segment';

export interface TimestampOffset {
  offset: bigint;
  timestamp: bigint;
}

const EMPTY = Buffer.alloc(0);

/** Index of the last segment with baseOffset <= offset (0 if none). */
export function floorSegmentIndex(segs: readonly LogSegment[], offset: bigint): number {
  let lo = 0;
  let hi = segs.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segs[mid]!.baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Whole batches from the one containing `offset`, within one segment (the first that has any). */
export async function readSegments(
  segs: readonly LogSegment[],
  offset: bigint,
  maxBytes: number,
  maxOffset: bigint,
  minOneBatch = true,
): Promise<Buffer> {
  for (let i = floorSegmentIndex(segs, offset); i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.baseOffset >= maxOffset) break;
    const fd = await seg.acquire();
    try {
      await seg.ensureIndexes(fd);
      const data = await seg.read(fd, offset > seg.baseOffset ? offset : seg.baseOffset, maxBytes, maxOffset, minOneBatch);
      if (data !== null) return data;
    } finally {
      seg.release();
    }
  }
  return EMPTY;
}

/** The first record at or after logStartOffset whose timestamp is >= `timestamp`, or null. */
export async function findOffsetForTimestamp(
  segs: readonly LogSegment[],
  timestamp: bigint,
  logStartOffset: bigint,
  logEndOffset: bigint,
): Promise<TimestampOffset | null> {
  for (let i = floorSegmentIndex(segs, logStartOffset); i < segs.length; i++) {
    const seg = segs[i]!;
    // A segment without any valid timestamp (-1: batches from clients that sent none) is scanned.
    const largest = await seg.largestTimestamp();
    if (largest >= 0n && largest < timestamp) continue;
    const fd = await seg.acquire();
    try {
      await seg.ensureIndexes(fd);
      const found = await seg.findByTimestamp(fd, timestamp, logStartOffset);
      if (found !== null && found.offset < logEndOffset) return found;
    } finally {
      seg.release();
    }
  }
  return null;
}
