// When the active segment rolls (Kafka's LogSegment.shouldRoll): it would pass segment.bytes, its
// offsets would overflow a relative index entry, an index is full (segment.index.bytes), or it is
// older than segment.ms (minus its jitter; for compacted logs also max.compaction.lag.ms).
import type { LogConfig } from './log-config';
import type { LogSegment } from './log-segment';

const MAX_RELATIVE_OFFSET = 0x7fffffffn;
const OFFSET_INDEX_ENTRY_BYTES = 8;
const TIME_INDEX_ENTRY_BYTES = 12;

export interface RollCheck {
  /** Bytes assigned to the active segment but not yet written. */
  readonly pendingBytes: number;
  readonly batchBytes: number;
  readonly lastOffset: bigint;
  readonly now: number;
  /** Drawn by pickRollJitter when the active segment was created. */
  readonly rollJitterMs: number;
}

export function shouldRollSegment(seg: LogSegment, config: LogConfig, c: RollCheck): boolean {
  const size = seg.size + c.pendingBytes;
  if (c.lastOffset - seg.baseOffset > MAX_RELATIVE_OFFSET) return true;
  if (size === 0) return false;
  if (size + c.batchBytes > config.segmentBytes) return true;
  if (indexFull(seg, config.segmentIndexBytes)) return true;
  return c.now - (seg.rollingBasedTimestamp ?? seg.createdMs) > maxSegmentMs(config) - c.rollJitterMs;
}

/** Kafka's rule: uniform in [0, min(segment.jitter.ms, segment.ms)), drawn once per segment. */
export function pickRollJitter(config: LogConfig): number {
  const { segmentJitterMs, segmentMs } = config;
  return segmentJitterMs > 0 ? Math.floor(config.random() * Math.min(segmentJitterMs, segmentMs)) : 0;
}

/** Records in the active segment cannot be compacted, so a compacted log also rolls by max.compaction.lag.ms. */
function maxSegmentMs(config: LogConfig): number {
  const { segmentMs, maxCompactionLagMs, cleanupPolicy } = config;
  return cleanupPolicy.includes('compact') ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
}

/** The active segment always holds its indexes in memory; full = as many entries as segment.index.bytes holds. */
function indexFull(seg: LogSegment, segmentIndexBytes: number): boolean {
  const oi = seg.offsetIndex?.entries ?? 0;
  const ti = seg.timeIndex?.entries ?? 0;
  return oi >= Math.floor(segmentIndexBytes / OFFSET_INDEX_ENTRY_BYTES) || ti >= Math.floor(segmentIndexBytes / TIME_INDEX_ENTRY_BYTES);
}
