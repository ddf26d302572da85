// Produce over HTTP for queues: REST Proxy v3's produce body takes mq's queue fields — delay_ms /
// deliver_at (the record is held in the durable delay store, __mq_delayed, and appended when due,
// as a Kafka produce with mq-delay-ms / mq-deliver-at headers is), priority (0 critical … 4
// background) and ttl_ms (never delivered to share consumers once expired). Each becomes the record
// header the broker reads; headers the client set itself travel as they are.
import { type DelayStore, DELAY_MS_HEADER, DELIVER_AT_HEADER } from '@mq/delay';
import { HttpError } from '@mq/http';
import type { AppendResult, Partition } from '@mq/partition';
import { RECORD_BATCH_OVERHEAD, type RecordHeader, readBatchHeader } from '@mq/records';
import { planDelayedBatch } from '@mq/delay';
import { PRIORITY_HEADER, TTL_HEADER } from '@mq/share';
import type { JsonObject } from '../request-input';

/** Lanes 0 (critical) … 4 (background), as @mq/share's priority lanes read mq-priority. */
export const MAX_PRIORITY = 4;

const positiveInt = (raw: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) throw HttpError.badRequest(`${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return raw;
};

/** The queue fields of a produce body as headers (400 for a bad one, or delay_ms with deliver_at). */
export function queueHeadersOf(body: JsonObject): RecordHeader[] {
  const out: RecordHeader[] = [];
  const has = (k: string) => body[k] !== undefined && body[k] !== null;
  if (has('delay_ms') && has('deliver_at')) throw HttpError.badRequest('give delay_ms or deliver_at, not both');
  if (has('delay_ms')) out.push({ key: DELAY_MS_HEADER, value: Buffer.from(String(positiveInt(body.delay_ms, 'delay_ms', 0))) });
  if (has('deliver_at')) out.push({ key: DELIVER_AT_HEADER, value: Buffer.from(String(positiveInt(body.deliver_at, 'deliver_at', 0))) });
  if (has('priority')) out.push({ key: PRIORITY_HEADER, value: Buffer.from(String(positiveInt(body.priority, 'priority', 0, MAX_PRIORITY))) });
  if (has('ttl_ms')) out.push({ key: TTL_HEADER, value: Buffer.from(String(positiveInt(body.ttl_ms, 'ttl_ms', 1))) });
  return out;
}

/**
 * Appends the one-record batch, or — when its headers or the topic's mq.delay.ms ask for a delay —
 * holds it in the delay store (durable when this resolves). Bad delay headers are a 400 (the
 * store's INVALID_RECORD, as a Kafka produce gets it).
 */
export async function appendOrSchedule(
  delayed: DelayStore | undefined,
  topic: string,
  p: Partition,
  batch: Buffer,
  now: number,
): Promise<{ appended: AppendResult } | { delayedIds: string[]; dueAt: number }> {
  if (delayed !== undefined) {
    const plan = planDelayedBatch(readBatchHeader(batch), batch.subarray(RECORD_BATCH_OVERHEAD), {
      topic,
      partition: p.index,
      now,
      maxDelayMs: delayed.config.maxDelayMs,
      defaultDelayMs: p.topicConfig.delayMs,
    });
    if (plan !== undefined) return { delayedIds: await delayed.schedule(plan), dueAt: Math.max(...plan.map((m) => Number(m.dueAt))) };
  }
  return { appended: await p.append(batch) };
}
