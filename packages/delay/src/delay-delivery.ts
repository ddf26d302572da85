// Appending due messages to their topic: one RecordBatch per chunk (under the target's
// max.message.bytes), each record with its key, value and headers plus `mq-delayed-from: <id>`,
// stamped with the delivery time. Which failures end a message (the topic is gone, the batch is
// refused for good) and which are retried (storage, leadership) is decided here.
import { ErrorCode, kafkaErrorCode } from '@mq/errors';
import type { TopicManager } from '@mq/partition';
import { type RecordHeader, type RecordInput, buildRecordBatch } from '@mq/records';
import type { Clock } from '@mq/timerwheel';
import { DELAYED_FROM_HEADER } from './delay-headers';
import type { DeliveryOutcome } from './delay-shard';
import { decodeDelayedMessage } from './delayed-message';
import { delayedId } from './delayed-id';
import type { DelayTarget, PendingDelay } from './pending-delay';

/** One message appended to its topic (the store's onDelivered hook: metrics, benchmarks). */
export interface Delivery {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  /** When it was due and when its append completed (epoch ms, the store's clock). */
  readonly dueAt: number;
  readonly deliveredAt: number;
  /** Where it landed in its topic-partition. */
  readonly offset: bigint;
  /** The producer's headers it carried (without the delay headers and mq-delayed-from): a traceparent is among them. */
  readonly headers: readonly RecordHeader[];
}

export interface DeliveryLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Chunks stay well under the usual max.message.bytes (1 MiB) even when a topic allows more. */
const MAX_CHUNK_BYTES = 512 * 1024;
/** Record framing, the mq-delayed-from header and varints, over the encoded message's size. */
const RECORD_OVERHEAD = 64;

/** Codes after which trying again cannot help: the message is dropped (and logged). */
function isPermanent(code: number): boolean {
  return (
    code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ||
    code === ErrorCode.MESSAGE_TOO_LARGE ||
    code === ErrorCode.RECORD_LIST_TOO_LARGE ||
    code === ErrorCode.INVALID_RECORD ||
    code === ErrorCode.CORRUPT_MESSAGE ||
    code === ErrorCode.INVALID_TIMESTAMP
  );
}

export class DelayDelivery {
  constructor(
    private readonly topics: TopicManager,
    private readonly clock: Clock,
    private readonly logger: DeliveryLogger,
    private readonly onDelivered: ((d: readonly Delivery[]) => void) | undefined,
  ) {}

  /** Appends `due` (one target, in due order) chunk by chunk; never rejects. */
  async deliver(target: DelayTarget, due: readonly PendingDelay[], storePartition: number): Promise<DeliveryOutcome> {
    const partition = this.topics.get(target.topic)?.partitions[target.partition];
    if (partition === undefined) {
      this.logger.warn({ topic: target.topic, partition: target.partition, messages: due.length }, 'delayed messages dropped: their topic-partition no longer exists');
      return { delivered: 0, rest: 'dropped' };
    }
    let delivered = 0;
    const limit = Math.min(MAX_CHUNK_BYTES, Math.floor(partition.topicConfig.maxMessageBytes * 0.9));
    try {
      for (let i = 0; i < due.length; ) {
        const now = this.clock.now();
        const stamp = BigInt(now);
        const records: RecordInput[] = [];
        const chunk: PendingDelay[] = [];
        let bytes = 0;
        for (; i < due.length && (records.length === 0 || bytes + due[i]!.data.length + RECORD_OVERHEAD <= limit); i++) {
          const e = due[i]!;
          const m = decodeDelayedMessage(e.data);
          const headers = [...m.headers, { key: DELAYED_FROM_HEADER, value: Buffer.from(delayedId(storePartition, e.offset)) }];
          records.push({ key: m.key, value: m.value, headers, timestamp: stamp });
          chunk.push(e);
          bytes += e.data.length + RECORD_OVERHEAD;
        }
        const { baseOffset } = await partition.append(await buildRecordBatch({ records, now: () => now }));
        delivered = i;
        this.report(target, chunk, records, baseOffset, storePartition);
      }
      return { delivered, rest: 'dropped' };
    } catch (err) {
      const code = kafkaErrorCode(err);
      const fields = { err, topic: target.topic, partition: target.partition, messages: due.length };
      if (isPermanent(code)) {
        this.logger.error(fields, 'delayed messages dropped: their topic refused them');
        return { delivered, rest: 'dropped' };
      }
      this.logger.warn(fields, 'delivering delayed messages failed; retrying');
      return { delivered, rest: 'retry' };
    }
  }

  private report(target: DelayTarget, chunk: readonly PendingDelay[], records: readonly RecordInput[], baseOffset: bigint, storePartition: number): void {
    if (this.onDelivered === undefined) return;
    const deliveredAt = this.clock.now();
    this.onDelivered(
      chunk.map((e, i) => ({
        id: delayedId(storePartition, e.offset),
        topic: target.topic,
        partition: target.partition,
        dueAt: e.dueAt,
        deliveredAt,
        offset: baseOffset + BigInt(i),
        // The last header is the mq-delayed-from this delivery added.
        headers: (records[i]!.headers ?? []).slice(0, -1),
      })),
    );
  }
}
