// LogConfig: Kafka-named settings of one log (segment.bytes → segmentBytes, ...) with Kafka's
// defaults, and the injectable clock.
import { type Clock, SystemClock } from '@mq/timerwheel';

/**
 * When appends are fsynced: before every acknowledgement, never (roll and close only), or — as
 * Kafka's flush.messages / flush.ms — when `messages` unflushed messages have accumulated and/or
 * every `intervalMs` while there is unflushed data, whichever comes first.
 */
export type FlushPolicy = 'always' | 'none' | { intervalMs: number; messages?: number } | { messages: number; intervalMs?: number };
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export type { Clock } from '@mq/timerwheel';

/**
 * The clock of a log opened without one (a Log used alone). A broker passes its own: one Clock for
 * every timer of the process, a ManualClock in tests.
 */
export const systemClock: Clock = new SystemClock();

export interface LogConfig {
  /** segment.bytes: roll when the active segment would exceed this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment is older than this. */
  segmentMs: number;
  /** index.interval.bytes: bytes between sparse offset/time index entries. */
  indexIntervalBytes: number;
  /** retention.ms (-1 = unlimited). */
  retentionMs: number;
  /** retention.bytes (-1 = unlimited). */
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  /** delete.retention.ms: how long tombstones survive compaction. */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: records younger than this are not compacted. */
  minCompactionLagMs: number;
  /**
   * max.compaction.lag.ms: a dirty segment whose first batch is older than this is compacted whatever
   * the dirty ratio, and the active segment of a compacted log rolls by then so its records can be.
   */
  maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: compact once dirty bytes / cleanable bytes reach this. */
  minCleanableDirtyRatio: number;
  /** segment.jitter.ms: each new segment rolls up to this much (random) before segmentMs. */
  segmentJitterMs: number;
  /** segment.index.bytes: roll when the active segment's offset or time index would outgrow this. */
  segmentIndexBytes: number;
  /** max.message.bytes: largest batch accepted by append. */
  maxMessageBytes: number;
  flush: FlushPolicy;
  /**
   * preallocate: the active segment zero-fills its file ahead of the appends (PREALLOCATE_STEP_BYTES
   * at a time, never past segmentBytes) and trims it on roll and close, so an fdatasync after an
   * append commits no size or extent change. Costs the zero writes in disk bandwidth (see BENCHMARKS.md).
   */
  preallocate: boolean;
  /**
   * With flush 'always': the active segment's file is opened O_DSYNC, so each group's write is also
   * its sync — one system call and one thread-pool round trip per group instead of a writev and an
   * fdatasync (two wake-ups of the event loop, each a chance to wait for a CPU on a busy machine).
   */
  syncWrites: boolean;
  /** Source of segment roll jitter, in [0, 1) (injectable so tests are deterministic). */
  random: () => number;
  /** Cap on segments holding an open fd and loaded indexes (the active segment always does). */
  maxOpenSegments: number;
  /** Wall time (segment.ms, retention.ms, LogAppendTime) and the flush.ms timer. */
  clock: Clock;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableDirtyRatio: 0.5,
  segmentJitterMs: 0,
  segmentIndexBytes: 10 * 1024 * 1024,
  maxMessageBytes: 1048588,
  flush: 'none',
  preallocate: false,
  syncWrites: false,
  random: Math.random,
  maxOpenSegments: 16,
  clock: systemClock,
};

/** Whether the active segment opens O_DSYNC: syncWrites only means something under flush 'always'. */
export function syncsWrites(config: LogConfig): boolean {
  return config.syncWrites && config.flush === 'always';
}

export function resolveLogConfig(partial: Partial<LogConfig> = {}): LogConfig {
  const c: LogConfig = { ...DEFAULT_LOG_CONFIG };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  if (!(c.segmentBytes >= 128)) throw new RangeError(`segmentBytes must be at least 128 (got ${c.segmentBytes})`);
  if (!(c.indexIntervalBytes >= 0)) throw new RangeError('indexIntervalBytes must be >= 0');
  if (!(c.maxOpenSegments >= 1)) throw new RangeError('maxOpenSegments must be >= 1');
  if (!(c.segmentMs > 0)) throw new RangeError('segmentMs must be > 0');
  if (!(c.minCleanableDirtyRatio >= 0 && c.minCleanableDirtyRatio <= 1)) throw new RangeError('minCleanableDirtyRatio must be in [0, 1]');
  if (!(c.maxCompactionLagMs > 0)) throw new RangeError('maxCompactionLagMs must be > 0');
  if (!(c.segmentJitterMs >= 0)) throw new RangeError('segmentJitterMs must be >= 0');
  if (!(c.segmentIndexBytes >= 4)) throw new RangeError('segmentIndexBytes must be >= 4');
  return c;
}
