// The produce path's turn to the delay store (@mq/delay): a batch with a record asking for a delay
// (`mq-delay-ms` / `mq-deliver-at`, or the topic's mq.delay.ms) is held there instead of appended.
// Uncompressed batches are decided synchronously by an allocation-free scan; a compressed one must
// be decompressed first, so until that is decided every later batch for its partition waits behind
// it (pipelined produces keep their order). A delayed batch's answer: baseOffset -1 (it has no offset
// yet), logAppendTime -1, the partition's logStartOffset — once its records are in __mq_delayed.
// The topic's produce check (broker-side schema validation) runs on a delayed batch before it is held.
import { type DelayStore, type DelayedMessage, mayCarryDelay, planDelayedBatch } from '@mq/delay';
import type { AppendResult, BatchCheck, Partition } from '@mq/partition';
import {
  ATTRIBUTES_OFFSET,
  COMPRESSION_CODEC_MASK,
  CURRENT_MAGIC,
  Compression,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
  decompress,
  readBatchHeader,
  validateBatch,
} from '@mq/records';

/** Per partition: the decision in progress that later batches for it must wait behind. */
const gates = new WeakMap<Partition, Promise<void>>();

/** Decompressed records a delayed batch may expand to (the partition applies the same kind of bound). */
const MAX_DECOMPRESSED_FACTOR = 64;
const MIN_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

function delayedAnswer(partition: Partition): AppendResult {
  return { baseOffset: -1n, lastOffset: -1n, logAppendTime: -1n, logStartOffset: partition.logStartOffset, duplicate: false };
}

/** The batch's compression codec, or -1 when its bytes are not a v2 batch (the partition answers those). */
function codecOf(records: Buffer): number {
  if (records.length < RECORD_BATCH_OVERHEAD || records.readInt8(MAGIC_OFFSET) !== CURRENT_MAGIC) return -1;
  return records.readInt16BE(ATTRIBUTES_OFFSET) & COMPRESSION_CODEC_MASK;
}

/** Holds a delayed batch's messages in the store (the produce handler traces it on mq:delay); resolves with their ids. */
export type ScheduleDelayed = (plan: readonly DelayedMessage[]) => Promise<readonly string[]>;

/**
 * Appends `records` through `append` — or, when a record asks for a delay, hands the batch to the
 * store through `schedule`. Rejects with INVALID_RECORD for bad delay headers; a batch the scan cannot read (not a
 * v2 batch, a bad CRC, a codec that fails) is appended, so the partition answers it as any produce.
 */
export function appendOrDelay(
  store: DelayStore | undefined,
  topic: string,
  partition: Partition,
  records: Buffer,
  now: number,
  check: BatchCheck | undefined,
  append: () => Promise<AppendResult>,
  schedule: ScheduleDelayed,
): Promise<AppendResult> {
  if (store === undefined) return append();
  const codec = codecOf(records);
  const gate = gates.get(partition);
  if (gate !== undefined || (codec !== -1 && codec !== Compression.none)) return behind(gate, store, topic, partition, records, now, check, append, schedule);
  // The hot path: an uncompressed batch without the headers' prefix costs one indexOf.
  if (codec === -1 || (partition.topicConfig.delayMs === 0 && !mayCarryDelay(records))) return append();
  let plan: DelayedMessage[] | undefined;
  try {
    plan = readable(records) ? planBody(store, topic, partition, records, records.subarray(RECORD_BATCH_OVERHEAD), now) : undefined;
  } catch (err) {
    return Promise.reject(err);
  }
  if (plan === undefined) return append();
  return hold(schedule, partition, records, plan, check);
}

/** Runs the topic's check on the producer's batch, then holds its records in the store. */
async function hold(schedule: ScheduleDelayed, partition: Partition, records: Buffer, plan: DelayedMessage[], check: BatchCheck | undefined): Promise<AppendResult> {
  if (check !== undefined) await check(records);
  await schedule(plan);
  return delayedAnswer(partition);
}

function readable(records: Buffer): boolean {
  try {
    validateBatch(records);
    return true;
  } catch {
    return false;
  }
}

/** The delayed messages of a batch given its records section; undefined: append it as it is. */
function planBody(store: DelayStore, topic: string, partition: Partition, records: Buffer, body: Buffer, now: number): DelayedMessage[] | undefined {
  const defaultDelayMs = partition.topicConfig.delayMs;
  if (defaultDelayMs === 0 && !mayCarryDelay(body, 0)) return undefined;
  return planDelayedBatch(readBatchHeader(records), body, { topic, partition: partition.index, now, maxDelayMs: store.config.maxDelayMs, defaultDelayMs });
}

/** Decides after `gate`, so the append (if it is one) starts in the order the batches arrived. */
function behind(
  gate: Promise<void> | undefined,
  store: DelayStore,
  topic: string,
  partition: Partition,
  records: Buffer,
  now: number,
  check: BatchCheck | undefined,
  append: () => Promise<AppendResult>,
  schedule: ScheduleDelayed,
): Promise<AppendResult> {
  let release!: () => void;
  const link = new Promise<void>((resolve) => {
    release = resolve;
  });
  gates.set(partition, link);
  const done = () => {
    release();
    if (gates.get(partition) === link) gates.delete(partition);
  };
  return (gate ?? Promise.resolve()).then(async () => {
    let plan: DelayedMessage[] | undefined;
    try {
      plan = await planOf(store, topic, partition, records, now);
    } catch (err) {
      done();
      throw err;
    }
    if (plan === undefined) {
      const appended = append(); // started before the next batch's turn
      done();
      return appended;
    }
    done();
    return hold(schedule, partition, records, plan, check);
  });
}

/** planBody for a batch that may be compressed (decompressed first, bounded as the partition bounds it). */
async function planOf(store: DelayStore, topic: string, partition: Partition, records: Buffer, now: number): Promise<DelayedMessage[] | undefined> {
  const codec = codecOf(records);
  if (codec === -1 || !readable(records)) return undefined;
  let body = records.subarray(RECORD_BATCH_OVERHEAD);
  if (codec !== Compression.none) {
    const max = Math.max(MIN_DECOMPRESSED_BYTES, MAX_DECOMPRESSED_FACTOR * partition.topicConfig.maxMessageBytes);
    try {
      body = await decompress(codec, body, max);
    } catch {
      return undefined; // the partition's own validation answers it
    }
  }
  return planBody(store, topic, partition, records, body, now);
}
