// How a topic's config (Kafka names) maps onto the settings of the @mq/log engine under a partition.
import type { CleanupPolicy, FlushPolicy, LogConfig } from '@mq/log';
import type { Clock } from '@mq/timerwheel';
import type { TopicConfig } from './topic-config';

/**
 * Maps Kafka's topic config names onto the log engine's settings; without `clock` the log runs on
 * its default (the system clock).
 */
export function toLogConfig(c: TopicConfig, clock?: Clock): Partial<LogConfig> {
  const byMessages = c.flushMessages < Number.MAX_SAFE_INTEGER;
  const byTime = c.flushMs < Number.MAX_SAFE_INTEGER;
  const flush: FlushPolicy =
    c.flushMessages <= 1
      ? 'always'
      : byMessages && byTime
        ? { messages: c.flushMessages, intervalMs: c.flushMs }
        : byTime
          ? { intervalMs: c.flushMs }
          : byMessages
            ? { messages: c.flushMessages }
            : 'none';
  const cleanupPolicy: CleanupPolicy = c.cleanupPolicy.includes('compact')
    ? c.cleanupPolicy.includes('delete')
      ? 'compact,delete'
      : 'compact'
    : 'delete';
  return {
    segmentBytes: c.segmentBytes,
    segmentMs: c.segmentMs,
    retentionMs: c.retentionMs,
    retentionBytes: c.retentionBytes,
    cleanupPolicy,
    maxMessageBytes: c.maxMessageBytes,
    indexIntervalBytes: c.indexIntervalBytes,
    deleteRetentionMs: c.deleteRetentionMs,
    minCompactionLagMs: c.minCompactionLagMs,
    maxCompactionLagMs: c.maxCompactionLagMs,
    minCleanableDirtyRatio: c.minCleanableDirtyRatio,
    segmentJitterMs: c.segmentJitterMs,
    segmentIndexBytes: c.segmentIndexBytes,
    flush,
    preallocate: c.preallocate,
    syncWrites: c.flushDsync,
    ...(clock !== undefined ? { clock } : {}),
  };
}
