// The record headers that ask for a delay and how they become a due time: `mq-delay-ms` (ms after
// the broker received the record) or `mq-deliver-at` (epoch ms); `mq-delayed-from` is what the
// delivered copy carries instead, naming the delay record it came from.
import type { RecordHeader } from '@mq/records';

export const DELAY_MS_HEADER = 'mq-delay-ms';
export const DELIVER_AT_HEADER = 'mq-deliver-at';
export const DELAYED_FROM_HEADER = 'mq-delayed-from';

/** Longest delay accepted by default (mq.delayed.max.delay.ms): 365 days. */
export const DEFAULT_MAX_DELAY_MS = 365 * 24 * 60 * 60 * 1000;

/** A due time, or why the record's delay headers are refused (an INVALID_RECORD message). */
export type DueTime = { readonly dueAt: number } | { readonly error: string } | undefined;

const DIGITS = /^\d{1,16}$/;

/** Whether `key` is one of the headers that ask for a delay (dropped from the delivered copy). */
export function isDelayHeader(key: string): boolean {
  return key === DELAY_MS_HEADER || key === DELIVER_AT_HEADER;
}

function readMs(h: RecordHeader): number | string {
  const text = h.value === null ? '' : h.value.toString('latin1').trim();
  if (text.startsWith('-')) return `${h.key} is negative: ${text}`;
  if (!DIGITS.test(text)) return `${h.key} is not a whole number of milliseconds: ${JSON.stringify(text.slice(0, 40))}`;
  return Number(text);
}

/**
 * When a record is due, from its headers, at broker time `now` (epoch ms). A record without delay
 * headers gets `defaultDelayMs` (the topic's mq.delay.ms) if that is positive, else undefined.
 * `mq-deliver-at` in the past is due at once; beyond now + maxDelayMs, and any malformed value, is
 * an error. Both headers, or one twice, is an error too: which one wins would be a guess.
 */
export function dueTimeOf(headers: readonly RecordHeader[], now: number, maxDelayMs: number, defaultDelayMs = 0): DueTime {
  let found: RecordHeader | undefined;
  for (const h of headers) {
    if (!isDelayHeader(h.key)) continue;
    if (found !== undefined) return { error: `a record takes one of ${DELAY_MS_HEADER} and ${DELIVER_AT_HEADER}, once; it has ${found.key} and ${h.key}` };
    found = h;
  }
  if (found === undefined) return defaultDelayMs > 0 ? { dueAt: now + defaultDelayMs } : undefined;
  const ms = readMs(found);
  if (typeof ms === 'string') return { error: ms };
  if (found.key === DELAY_MS_HEADER) {
    if (ms > maxDelayMs) return { error: `${DELAY_MS_HEADER} ${ms} exceeds the longest delay, ${maxDelayMs} ms` };
    return { dueAt: now + ms };
  }
  if (ms > now + maxDelayMs) return { error: `${DELIVER_AT_HEADER} ${ms} is more than ${maxDelayMs} ms ahead of the broker's clock (${now})` };
  return { dueAt: Math.max(ms, now) };
}
