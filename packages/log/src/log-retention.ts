// Which old segments retention removes: whole segments only, oldest first, never the active one.
// A segment goes when it lies entirely below logStartOffset, when its largest timestamp is older than
// retentionMs, or while the log minus it still holds at least retentionBytes. A segment whose batches
// carry no valid timestamp (maxTimestamp -1, e.g. Sarama <= 1.22 data) is aged by its file's mtime, as Kafka does.
import type { LogConfig } from './log-config';
import type { LogSegment } from './log-segment';

export interface RetentionPlan {
  /** Number of leading segments to delete. */
  count: number;
  /** True when the active segment itself expired and must be rolled first. */
  rollActive: boolean;
}

export async function planRetention(segments: readonly LogSegment[], logStartOffset: bigint, config: LogConfig, now: number): Promise<RetentionPlan> {
  const last = segments.length - 1;
  let k = 0;
  while (k < last && segments[k + 1]!.baseOffset <= logStartOffset) k++;
  let rollActive = false;
  if (!config.cleanupPolicy.includes('delete')) return { count: k, rollActive };

  if (config.retentionMs >= 0) {
    while (k <= last) {
      const seg = segments[k]!;
      if (now - (await retentionTimestamp(seg)) <= config.retentionMs) break;
      if (k === last) {
        if (seg.size > 0) {
          rollActive = true;
          k++;
        }
        break;
      }
      k++;
    }
  }
  if (config.retentionBytes >= 0 && !rollActive) {
    let total = 0;
    for (let j = k; j <= last; j++) total += segments[j]!.size;
    let diff = total - config.retentionBytes;
    while (k < last && diff - segments[k]!.size >= 0) {
      diff -= segments[k]!.size;
      k++;
    }
  }
  return { count: k, rollActive };
}

/** Kafka's LogSegment.largestTimestamp: the largest batch maxTimestamp, else the file's last-modified time. */
async function retentionTimestamp(seg: LogSegment): Promise<number> {
  const largest = await seg.largestTimestamp();
  if (largest >= 0n || seg.size === 0) return Number(largest);
  return (await seg.fs.stat(seg.logPath)).mtimeMs;
}
