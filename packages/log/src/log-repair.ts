// Per-partition recovery from a failed write. Before each append group the log marks where its
// active segment ends; when a write, fsync or roll of the group fails, nothing of the group is
// acknowledged and the mark becomes a repair point: the bytes after it (in that segment and in any
// segment the group rolled into) are cut off before the log takes another write. The cut is tried at
// once and again before every later append, so the partition serves again as soon as the fault clears.
import type { FileSystem } from './file-system';
import { syncDir } from './fs-ops';
import type { LogSegment, SegmentMark } from './log-segment';

export interface RepairPoint {
  /** The segment that was active when the failed group started. */
  readonly segment: LogSegment;
  readonly mark: SegmentMark;
  /** Segments the failed group rolled into: they hold nothing acknowledged. */
  readonly doomed: readonly LogSegment[];
}

export function repairPointOf(segment: LogSegment, nextOffset: bigint): RepairPoint {
  return { segment, mark: segment.mark(nextOffset), doomed: [] };
}

/** The point with the segments rolled in after it (taken from the log's list when the group failed). */
export function withDoomed(point: RepairPoint, segments: readonly LogSegment[]): RepairPoint {
  const i = segments.indexOf(point.segment);
  const later = i < 0 ? [] : segments.slice(i + 1);
  return later.length === 0 ? point : { ...point, doomed: [...point.doomed, ...later] };
}

/**
 * Cuts the log back to the repair point: deletes the doomed segments (newest first, so a crash part
 * way leaves a longer log, never one with a hole), truncates the marked segment and fdatasyncs it.
 * Throws on a filesystem failure; safe to run again.
 */
export async function cutBack(fs: FileSystem, dir: string, point: RepairPoint): Promise<void> {
  for (const s of [...point.doomed].reverse()) await s.markDeleted(true);
  const seg = point.segment;
  const fd = await seg.acquire();
  try {
    await seg.cutBackTo(fd, point.mark);
    await seg.flush(fd);
  } finally {
    seg.release();
  }
  if (point.doomed.length > 0) await syncDir(fs, dir);
}
