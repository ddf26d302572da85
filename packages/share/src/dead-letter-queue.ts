// DeadLetterQueue: appends the records a share group gives up on — rejected, past
// group.share.delivery.count.limit, or expired — to the topic's dead-letter topic (`<topic>.dlq`
// unless mq.dlq.topic names another), auto-created with the source's partition count through the
// DeadLetterSink (this broker's log on one node, the controller and the DLQ leader in a cluster), keeping key,
// value, headers and timestamp and adding mq-dlq-* headers that say where each came from and why.
// The coordinator awaits write() before it persists the state that archives them (at-least-once).
import type { Partition, Topic } from '@mq/partition';
import { type DecodedRecord, type RecordHeader, type RecordInput, buildRecordBatch, decodeRecordBatch, iterateBatches, readBaseOffset, readLastOffsetDelta } from '@mq/records';
import type { DeadLetterSink } from './dead-letter-sink';
import type { ArchiveReason } from './share-partition';
import type { DeadLetteredRecord } from './share-step';

/** The headers a dead letter carries besides the original record's own. */
export const DLQ_HEADERS = Object.freeze({
  topic: 'mq-dlq-topic',
  partition: 'mq-dlq-partition',
  offset: 'mq-dlq-offset',
  group: 'mq-dlq-group',
  deliveryCount: 'mq-dlq-delivery-count',
  reason: 'mq-dlq-reason',
  /** When it was dead-lettered (epoch ms). */
  time: 'mq-dlq-time',
} as const);

/** One record to dead-letter: its offset in the source partition, how often it was delivered, why. */
export interface DeadLetter {
  readonly offset: bigint;
  readonly deliveryCount: number;
  readonly reason: ArchiveReason;
}

/** Where write() put the dead letters: the DLQ partition, and each source offset's offset there. */
export interface DeadLetterPlacement {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly DeadLetteredRecord[];
}

/** Records per appended batch: keeps each batch well under max.message.bytes' default for small records. */
const RECORDS_PER_BATCH = 200;
/** Bytes read per log read while collecting the originals. */
const READ_BYTES = 1 << 20;

/** The dead-letter topic of `topic` for `groupId` by mq.dlq.topic ('' → `<topic>.dlq`; `{group}`, `{topic}` replaced). */
export function deadLetterTopicName(template: string, topic: string, groupId: string): string {
  if (template === '') return `${topic}.dlq`;
  return template.replace(/\{group\}/g, groupId).replace(/\{topic\}/g, topic);
}

export class DeadLetterQueue {
  constructor(
    private readonly sink: DeadLetterSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether records of `topic` given up on by `groupId` are dead-lettered (mq.dlq.enable, and not into itself). */
  enabledFor(topic: Topic, groupId: string): boolean {
    const c = topic.config.share;
    return c.dlqEnable && !topic.isInternal && deadLetterTopicName(c.dlqTopic, topic.name, groupId) !== topic.name;
  }

  /**
   * Appends the originals of `letters` (from `partition` of `topic`) to the dead-letter topic and
   * resolves once they are durable there. Records the log no longer has (retention, compaction)
   * are skipped: there is nothing left to keep. Resolves with where they went; undefined when
   * dead letters are off for this topic and group.
   */
  async write(groupId: string, topic: Topic, partition: Partition, letters: readonly DeadLetter[]): Promise<DeadLetterPlacement | undefined> {
    if (letters.length === 0 || !this.enabledFor(topic, groupId)) return undefined;
    const dlqName = deadLetterTopicName(topic.config.share.dlqTopic, topic.name, groupId);
    const dlqPartitions = await this.sink.ensureTopic(dlqName, topic);
    // Same partition index where the DLQ has it, so one source partition's dead letters stay in order.
    const target = partition.index % dlqPartitions;
    const byOffset = new Map<bigint, DeadLetter>();
    for (const l of letters) byOffset.set(l.offset, l);
    const originals = await readRecords(partition, [...byOffset.keys()]);
    const at = Buffer.from(String(this.now()));
    const out: RecordInput[] = [];
    const placed: { offset: bigint; dlqOffset: bigint }[] = [];
    for (const r of originals) {
      const l = byOffset.get(r.offset)!;
      const headers: RecordHeader[] = [
        ...r.headers.filter((h) => !h.key.startsWith('mq-dlq-')),
        { key: DLQ_HEADERS.topic, value: Buffer.from(topic.name) },
        { key: DLQ_HEADERS.partition, value: Buffer.from(String(partition.index)) },
        { key: DLQ_HEADERS.offset, value: Buffer.from(String(r.offset)) },
        { key: DLQ_HEADERS.group, value: Buffer.from(groupId) },
        { key: DLQ_HEADERS.deliveryCount, value: Buffer.from(String(l.deliveryCount)) },
        { key: DLQ_HEADERS.reason, value: Buffer.from(l.reason) },
        { key: DLQ_HEADERS.time, value: at },
      ];
      out.push({ key: r.key, value: r.value, headers, timestamp: r.timestamp });
    }
    for (let i = 0; i < out.length; i += RECORDS_PER_BATCH) {
      const baseOffset = await this.sink.append(dlqName, target, await buildRecordBatch({ records: out.slice(i, i + RECORDS_PER_BATCH), now: this.now }));
      const end = Math.min(out.length, i + RECORDS_PER_BATCH);
      for (let j = i; j < end; j++) placed.push({ offset: originals[j]!.offset, dlqOffset: baseOffset + BigInt(j - i) });
    }
    return { topic: dlqName, partition: target, records: placed };
  }
}

/** The records at `offsets` (any order) that the log still has, in offset order. */
async function readRecords(partition: Partition, offsets: readonly bigint[]): Promise<DecodedRecord[]> {
  const wanted = [...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const found: DecodedRecord[] = [];
  let i = 0;
  while (i < wanted.length) {
    const from = wanted[i]!;
    if (from < partition.logStartOffset) {
      i++; // deleted by retention meanwhile
      continue;
    }
    const buf = await partition.read(from, READ_BYTES, partition.highWatermark, true);
    let readEnd = from;
    for (const slice of iterateBatches(buf, false)) {
      const last = readBaseOffset(slice.batch) + BigInt(readLastOffsetDelta(slice.batch));
      readEnd = last + 1n;
      if (last < wanted[i]!) continue;
      const batch = await decodeRecordBatch(slice.batch);
      for (const r of batch.records) {
        while (i < wanted.length && wanted[i]! < r.offset) i++; // compacted away
        if (i < wanted.length && wanted[i] === r.offset) {
          found.push(r);
          i++;
        }
      }
      while (i < wanted.length && wanted[i]! <= last) i++;
    }
    if (readEnd <= from) break; // nothing more in the log
    while (i < wanted.length && wanted[i]! < readEnd) i++;
  }
  return found;
}
