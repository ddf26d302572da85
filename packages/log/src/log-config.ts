// LogConfig: Kafka-named settings of one log (segment.bytes → segmentBytes, ...) with Kafka's
// defaults, and the injectable clock.

export type FlushPolicy = 'always' | 'none' | { intervalMs: number } | { messages: number };
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

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
  /** max.message.bytes: largest batch accepted by append. */
  maxMessageBytes: number;
  flush: FlushPolicy;
  /** Cap on segments holding an open fd and loaded indexes (the active segment always does). */
  maxOpenSegments: number;
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
  maxMessageBytes: 1048588,
  flush: 'none',
  maxOpenSegments: 16,
  clock: systemClock,
};

export function resolveLogConfig(partial: Partial<LogConfig> = {}): LogConfig {
  const c: LogConfig = { ...DEFAULT_LOG_CONFIG };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  if (!(c.segmentBytes >= 128)) throw new RangeError(`segmentBytes must be at least 128 (got ${c.segmentBytes})`);
  if (!(c.indexIntervalBytes >= 0)) throw new RangeError('indexIntervalBytes must be >= 0');
  if (!(c.maxOpenSegments >= 1)) throw new RangeError('maxOpenSegments must be >= 1');
  if (!(c.segmentMs > 0)) throw new RangeError('segmentMs must be > 0');
  return c;
}
