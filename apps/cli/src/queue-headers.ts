// `mq produce`'s queue options, turned into the record headers the broker reads: --delay → mq-delay-ms,
// --deliver-at → mq-deliver-at (epoch ms), --priority → mq-priority (0 critical … 4 background),
// --ttl → mq-ttl-ms. The broker validates them again; these checks give a usage error first.
import { type Command, InvalidArgumentError } from 'commander';
import { UsageError } from './cli-error';
import { parseIntOption } from './parse';

export interface QueueHeaderOptions {
  delay?: number;
  deliverAt?: number;
  priority?: number;
  ttl?: number;
}

/** Epoch milliseconds or an ISO-8601 date/time (2026-12-24T18:00:00Z). */
export function parseDeliverAt(value: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new InvalidArgumentError(`"${value}" is neither epoch milliseconds nor an ISO-8601 date/time.`);
  return t;
}

export function registerQueueHeaderOptions(cmd: Command): Command {
  return cmd
    .option('--delay <ms>', 'deliver every message this many ms after the broker receives it (header mq-delay-ms)', parseIntOption(0))
    .option('--deliver-at <time>', 'deliver every message at this time: epoch ms or ISO-8601 (header mq-deliver-at)', parseDeliverAt)
    .option('--priority <0-4>', 'priority lane for share consumers, 0 critical … 4 background (header mq-priority)', parseIntOption(0, 4))
    .option('--ttl <ms>', 'expire undelivered messages after this many ms (header mq-ttl-ms)', parseIntOption(1));
}

export function queueHeaders(opts: QueueHeaderOptions): { key: string; value: string }[] {
  if (opts.delay !== undefined && opts.deliverAt !== undefined) throw new UsageError('use either --delay or --deliver-at');
  const out: { key: string; value: string }[] = [];
  if (opts.delay !== undefined) out.push({ key: 'mq-delay-ms', value: String(opts.delay) });
  if (opts.deliverAt !== undefined) out.push({ key: 'mq-deliver-at', value: String(opts.deliverAt) });
  if (opts.priority !== undefined) out.push({ key: 'mq-priority', value: String(opts.priority) });
  if (opts.ttl !== undefined) out.push({ key: 'mq-ttl-ms', value: String(opts.ttl) });
  return out;
}
