// Reading a produced RecordBatch for delay: a cheap scan for the headers' common prefix decides
// whether a batch needs a closer look (false positives only cost a decode); the plan decodes the
// records and turns each into a DelayedMessage with its due time. A batch with any delayed record
// is held whole: its records without delay headers are due at once (see the README, "Mixed batches").
import { InvalidRecordError, type RecordError } from '@mq/errors';
import { RECORD_BATCH_OVERHEAD, type RecordBatchHeader, decodeRecords, isTransactionalBatch } from '@mq/records';
import { DELAY_MS_HEADER, DELIVER_AT_HEADER, dueTimeOf, isDelayHeader } from './delay-headers';
import type { DelayedMessage } from './delayed-message';

/** The prefix both delay headers share ("mq-del"): absent from a batch's bytes, no record is delayed. */
const MARKER = Buffer.from('mq-del', 'latin1');

/** Allocation-free: whether `records` (an uncompressed batch, or a decompressed records section) may ask for a delay. */
export function mayCarryDelay(records: Buffer, from = RECORD_BATCH_OVERHEAD): boolean {
  return records.indexOf(MARKER, from) >= 0;
}

export interface DelayPlanOptions {
  readonly topic: string;
  readonly partition: number;
  /** Broker time (epoch ms) the delays count from. */
  readonly now: number;
  readonly maxDelayMs: number;
  /** The topic's mq.delay.ms: the delay of records without delay headers (0 = none). */
  readonly defaultDelayMs?: number;
}

/**
 * The batch's records as delayed messages, or undefined when none asks for a delay (the batch is
 * appended as usual). `body` is the records section, decompressed. Throws InvalidRecordError (with
 * per-record errors) for malformed delay headers, and for delayed records in an idempotent or
 * transactional batch: their sequence numbers belong to the partition, which never sees them.
 */
export function planDelayedBatch(header: RecordBatchHeader, body: Buffer, opts: DelayPlanOptions): DelayedMessage[] | undefined {
  const records = decodeRecords(header, body);
  const dues: number[] = new Array(records.length);
  const errors: RecordError[] = [];
  let delayed = 0;
  for (let i = 0; i < records.length; i++) {
    const due = dueTimeOf(records[i]!.headers, opts.now, opts.maxDelayMs, opts.defaultDelayMs ?? 0);
    if (due === undefined) {
      dues[i] = opts.now;
    } else if ('error' in due) {
      errors.push({ batchIndex: i, message: due.error });
    } else {
      dues[i] = due.dueAt;
      delayed++;
    }
  }
  if (errors.length > 0) {
    throw new InvalidRecordError(`record ${errors[0]!.batchIndex}: ${errors[0]!.message}`, { recordErrors: errors });
  }
  if (delayed === 0) return undefined;
  if (header.producerId >= 0n || isTransactionalBatch(header)) {
    throw new InvalidRecordError(
      `records with ${DELAY_MS_HEADER} / ${DELIVER_AT_HEADER} cannot be produced idempotently or in a transaction (set enable.idempotence=false)`,
    );
  }
  return records.map((r, i) => ({
    topic: opts.topic,
    partition: opts.partition,
    dueAt: dues[i]!,
    timestamp: Number(r.timestamp),
    key: r.key,
    value: r.value,
    headers: r.headers.filter((h) => !isDelayHeader(h.key)),
  }));
}
