// Appending due messages to their topic: one idempotent RecordBatch per chunk (the delay partition's
// producer id, the chunk's epoch and sequences from its marker), each record with its key, value and
// headers plus `mq-delayed-from: <id>`, stamped with the chunk's delivery time. The batch is rebuilt
// identically for a chunk sent again, so the target's sequence check makes a repeat a duplicate.
// Which failures end a message, which are retried, and which need new sequences is decided here.
import { ErrorCode, kafkaErrorCode } from '@mq/errors';
import type { TopicManager } from '@mq/partition';
import { type RecordHeader, type RecordInput, buildRecordBatch } from '@mq/records';
import type { Clock } from '@mq/timerwheel';
import { DELAYED_FROM_HEADER } from './delay-headers';
import type { ChunkOutcome, DeliveryAttempt } from './delay-shard';
import { decodeDelayedMessage } from './delayed-message';
import { delayedId } from './delayed-id';
import type { DelayTarget } from './pending-delay';

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

/**
 * Where due messages go: a single node appends to its own partitions (localTargetWriter); a cluster
 * member to each target's leader, acknowledged by its ISR (apps/broker).
 */
export interface DelayTargetWriter {
  /** The target topic's max.message.bytes; undefined when the topic-partition does not exist. */
  maxMessageBytes(topic: string, partition: number): number | undefined;
  /** Appends `batch`; resolves with its base offset (a duplicate's: the first append's); rejects with a KafkaError. */
  append(topic: string, partition: number, batch: Buffer): Promise<bigint>;
}

/** The writer of a single node: the target partitions are all here. */
export function localTargetWriter(topics: TopicManager): DelayTargetWriter {
  return {
    maxMessageBytes: (topic, partition) => topics.get(topic)?.partitions[partition]?.topicConfig.maxMessageBytes,
    async append(topic, partition, batch) {
      return (await topics.partition(topic, partition).append(batch)).baseOffset;
    },
  };
}

/** Chunks stay well under the usual max.message.bytes (1 MiB) even when a topic allows more. */
const MAX_CHUNK_BYTES = 512 * 1024;

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

/** The target does not hold our sequence or epoch (its producer state is gone, or newer): start a new epoch. */
function needsNewSequence(code: number): boolean {
  return code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.UNKNOWN_PRODUCER_ID;
}

export class DelayDelivery {
  constructor(
    private readonly writer: DelayTargetWriter,
    private readonly clock: Clock,
    private readonly logger: DeliveryLogger,
    private readonly onDelivered: ((d: readonly Delivery[]) => void) | undefined,
  ) {}

  /** How many encoded bytes one chunk to `target` may carry; undefined: the target is gone. */
  chunkLimit(target: DelayTarget): number | undefined {
    const max = this.writer.maxMessageBytes(target.topic, target.partition);
    return max === undefined ? undefined : Math.min(MAX_CHUNK_BYTES, Math.floor(max * 0.9));
  }

  /** Messages whose target is gone: dropped, with a log line. */
  dropped(target: DelayTarget, messages: number): void {
    this.logger.warn({ topic: target.topic, partition: target.partition, messages }, 'delayed messages dropped: their topic-partition no longer exists');
  }

  /** Appends the attempt's chunk as one idempotent batch; never rejects. */
  async deliver(target: DelayTarget, attempt: DeliveryAttempt, storePartition: number): Promise<ChunkOutcome> {
    const { marker, entries } = attempt;
    const stamp = BigInt(marker.stamp);
    const records: RecordInput[] = entries.map((e) => {
      const m = decodeDelayedMessage(e.data);
      const headers = [...m.headers, { key: DELAYED_FROM_HEADER, value: Buffer.from(delayedId(storePartition, e.offset)) }];
      return { key: m.key, value: m.value, headers, timestamp: stamp };
    });
    try {
      const batch = await buildRecordBatch({
        records,
        producerId: attempt.producerId,
        producerEpoch: marker.producerEpoch,
        baseSequence: marker.firstSeq,
        now: () => marker.stamp,
      });
      const baseOffset = await this.writer.append(target.topic, target.partition, batch);
      this.report(target, attempt, records, baseOffset, storePartition);
      return 'delivered';
    } catch (err) {
      const code = kafkaErrorCode(err);
      const fields = { err, topic: target.topic, partition: target.partition, messages: entries.length };
      if (needsNewSequence(code)) {
        this.logger.warn(fields, 'the target refused the delivery sequence; sending again under a new producer epoch');
        return 'resequence';
      }
      if (isPermanent(code)) {
        this.logger.error(fields, 'delayed messages dropped: their topic refused them');
        return 'dropped';
      }
      this.logger.warn(fields, 'delivering delayed messages failed; retrying');
      return 'retry';
    }
  }

  private report(target: DelayTarget, attempt: DeliveryAttempt, records: readonly RecordInput[], baseOffset: bigint, storePartition: number): void {
    if (this.onDelivered === undefined) return;
    const deliveredAt = this.clock.now();
    this.onDelivered(
      attempt.entries.map((e, i) => ({
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
