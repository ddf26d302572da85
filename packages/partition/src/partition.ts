// One partition on a single node: wraps a Log, serialises appends, keeps the high watermark
// (offsets acknowledged under the flush policy), idempotent-producer state, and tells a listener
// when new data becomes readable so parked Fetch requests wake without polling.
import {
  Log,
  readBatchHeader,
  setLogAppendTime,
  validateBatch,
  iterateBatches,
  type CleanupPolicy,
  type FlushPolicy,
  type LogConfig,
} from '@mq/log';
import { CorruptMessageError, MessageTooLargeError, PartitionClosedError, OffsetOutOfRangeError } from './errors';
import { ProducerStateManager } from './producer-state';
import type { TopicConfig } from './topic-config';

export interface AppendResult {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** The broker time stamped on the batch under LogAppendTime, else -1. */
  readonly logAppendTime: bigint;
  readonly logStartOffset: bigint;
  /** True when an idempotent retry was recognised and answered from producer state. */
  readonly duplicate: boolean;
}

export interface PartitionOptions {
  readonly topic: string;
  readonly index: number;
  readonly dir: string;
  readonly config: TopicConfig;
  /** Called (synchronously) after the high watermark advances or the log start moves. */
  readonly onChange: (p: Partition) => void;
  readonly now: () => number;
}

/** Chunk size used when replaying batch headers to rebuild producer state. */
const REPLAY_READ_BYTES = 4 * 1024 * 1024;

export class Partition {
  readonly topic: string;
  readonly index: number;
  /** Always 0 until replication exists; stamped as partitionLeaderEpoch on appended batches. */
  readonly leaderEpoch = 0;
  private config: TopicConfig;
  private readonly log: Log;
  private readonly producers = new ProducerStateManager();
  private readonly onChange: (p: Partition) => void;
  private readonly now: () => number;
  private hw: bigint;
  /** Bytes appended since open; parked fetches compare it to decide whether min_bytes arrived. */
  private appended = 0;
  /** Batch holding the largest maxTimestamp (ListOffsets -3), kept from replay and appends. */
  private maxTs: { offset: bigint; timestamp: bigint } | undefined;
  /** Tail of the per-partition append chain: one append at a time, in arrival order. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(opts: PartitionOptions, log: Log) {
    this.topic = opts.topic;
    this.index = opts.index;
    this.config = opts.config;
    this.log = log;
    this.onChange = opts.onChange;
    this.now = opts.now;
    // Everything recovered from disk survived a restart, so all of it counts as acknowledged.
    this.hw = log.logEndOffset;
  }

  static async open(opts: PartitionOptions): Promise<Partition> {
    const log = await Log.open(opts.dir, toLogConfig(opts.config, opts.now));
    const p = new Partition(opts, log);
    await p.rebuildProducerState();
    return p;
  }

  get highWatermark(): bigint {
    return this.hw;
  }

  /** Monotonic count of bytes appended since open (not persisted). */
  get appendedBytes(): number {
    return this.appended;
  }

  get logStartOffset(): bigint {
    return this.log.logStartOffset;
  }

  get logEndOffset(): bigint {
    return this.log.logEndOffset;
  }

  /** Without transactions the last stable offset is the high watermark. */
  get lastStableOffset(): bigint {
    return this.hw;
  }

  get topicConfig(): TopicConfig {
    return this.config;
  }

  /**
   * Appends one client RecordBatch v2 (Produce v3+ carries exactly one per partition). The batch is
   * validated (length, magic, CRC) before queueing; the returned promise settles once the batch is
   * acknowledged under the flush policy and the high watermark has moved past it.
   */
  append(records: Buffer): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new PartitionClosedError(`${this.topic}-${this.index} is closed`));
    try {
      validateBatch(records, 0, true);
    } catch (err) {
      return Promise.reject(err instanceof Error && 'code' in err ? err : new CorruptMessageError(String(err), { cause: err }));
    }
    if (records.length > this.config.maxMessageBytes) {
      return Promise.reject(
        new MessageTooLargeError(`batch of ${records.length} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`),
      );
    }
    const result = this.tail.then(() => this.appendInOrder(records));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async appendInOrder(records: Buffer): Promise<AppendResult> {
    if (this.closed) throw new PartitionClosedError(`${this.topic}-${this.index} is closed`);
    const h = readBatchHeader(records, 0);
    const idempotent = h.producerId >= 0n;
    const lastSeq = h.baseSequence + h.lastOffsetDelta;
    if (idempotent) {
      const check = this.producers.check(h.producerId, h.producerEpoch, h.baseSequence, lastSeq);
      if (check.kind === 'duplicate') {
        return {
          baseOffset: check.batch.baseOffset,
          lastOffset: check.batch.lastOffset,
          logAppendTime: -1n,
          logStartOffset: this.log.logStartOffset,
          duplicate: true,
        };
      }
    }
    let logAppendTime = -1n;
    if (this.config.messageTimestampType === 'LogAppendTime') {
      logAppendTime = BigInt(this.now());
      setLogAppendTime(records, logAppendTime, 0);
    }
    const info = await this.log.append(records);
    if (idempotent) {
      this.producers.update(h.producerId, h.producerEpoch, {
        firstSeq: h.baseSequence,
        lastSeq,
        baseOffset: info.baseOffset,
        lastOffset: info.lastOffset,
        timestamp: h.maxTimestamp,
      });
    }
    this.noteTimestamp(logAppendTime >= 0n ? logAppendTime : h.maxTimestamp, info.lastOffset);
    if (info.lastOffset + 1n > this.hw) this.hw = info.lastOffset + 1n;
    this.appended += records.length;
    this.onChange(this);
    return {
      baseOffset: info.baseOffset,
      lastOffset: info.lastOffset,
      logAppendTime,
      logStartOffset: this.log.logStartOffset,
      duplicate: false,
    };
  }

  /**
   * Whole batches from `fetchOffset`, at most up to the high watermark (or `maxOffset` if lower).
   * The first batch is returned whole even when larger than maxBytes (Kafka's progress guarantee).
   */
  async read(fetchOffset: bigint, maxBytes: number, maxOffset: bigint = this.hw): Promise<Buffer> {
    if (this.closed) throw new PartitionClosedError(`${this.topic}-${this.index} is closed`);
    const start = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    if (fetchOffset < start || fetchOffset > end) {
      throw new OffsetOutOfRangeError(`offset ${fetchOffset} is outside [${start}, ${end}] of ${this.topic}-${this.index}`);
    }
    const limit = maxOffset < this.hw ? maxOffset : this.hw;
    if (fetchOffset >= limit) return EMPTY;
    return this.log.read(fetchOffset, maxBytes, { maxOffset: limit });
  }

  /** First offset whose timestamp is ≥ `timestamp`, with that timestamp; undefined past the end. */
  async offsetForTimestamp(timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    const r = await this.log.offsetForTimestamp(timestamp);
    if (r === undefined || r.offset >= this.hw) return undefined;
    return r;
  }

  /**
   * The largest record timestamp and the last offset of the batch holding it (Kafka before
   * KAFKA-16310 answered the same batch-level offset), or undefined for an empty log.
   */
  async maxTimestamp(): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    if (this.maxTs !== undefined && this.maxTs.offset < this.log.logStartOffset) {
      // Retention removed that batch: rescan what is left.
      this.maxTs = undefined;
      await this.replay(false);
    }
    return this.maxTs;
  }

  private noteTimestamp(timestamp: bigint, lastOffset: bigint): void {
    if (this.maxTs === undefined || timestamp > this.maxTs.timestamp) this.maxTs = { offset: lastOffset, timestamp };
  }

  /** DeleteRecords: moves the log start forward (to the high watermark when `offset` is -1). */
  deleteRecordsBefore(offset: bigint): Promise<bigint> {
    const run = this.tail.then(async () => {
      const target = offset === -1n ? this.hw : offset;
      if (target < 0n || target > this.hw) {
        throw new OffsetOutOfRangeError(`cannot delete before ${offset}: high watermark is ${this.hw}`);
      }
      if (target > this.log.logStartOffset) await this.log.deleteRecordsBefore(target);
      this.producers.removeBefore(this.log.logStartOffset);
      this.onChange(this);
      return this.log.logStartOffset;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Applies retention.ms / retention.bytes / segment.ms; run by the broker's single maintenance timer. */
  async runMaintenance(): Promise<void> {
    if (this.closed) return;
    const run = this.tail.then(async () => {
      const before = this.log.logStartOffset;
      await this.log.applyRetention(this.now());
      if (this.log.logStartOffset !== before) {
        this.producers.removeBefore(this.log.logStartOffset);
        this.onChange(this);
      }
    });
    this.tail = run.catch(() => undefined);
    await run;
  }

  updateConfig(config: TopicConfig): void {
    this.config = config;
    this.log.updateConfig(toLogConfig(config, this.now));
  }

  async flush(): Promise<void> {
    await this.tail;
    await this.log.flush();
  }

  /** Waits for queued appends, flushes and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.tail;
    this.closed = true;
    await this.log.flush();
    await this.log.close();
  }

  /** Closes and removes the partition's files (DeleteTopics). */
  async delete(): Promise<void> {
    await this.tail;
    this.closed = true;
    await this.log.delete();
  }

  private rebuildProducerState(): Promise<void> {
    return this.replay(true);
  }

  /**
   * Replays batch headers from the log start (no record parsing): rebuilds idempotent-producer
   * state (when `producers`) and the max-timestamp batch.
   */
  private async replay(producers: boolean): Promise<void> {
    let offset = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const chunk = await this.log.read(offset, REPLAY_READ_BYTES, { maxOffset: end });
      if (chunk.length === 0) break;
      let next = offset;
      for (const { batch } of iterateBatches(chunk, false)) {
        const h = readBatchHeader(batch, 0);
        const lastOffset = h.baseOffset + BigInt(h.lastOffsetDelta);
        this.noteTimestamp(h.maxTimestamp, lastOffset);
        if (producers && h.producerId >= 0n) {
          this.producers.update(h.producerId, h.producerEpoch, {
            firstSeq: h.baseSequence,
            lastSeq: h.baseSequence + h.lastOffsetDelta,
            baseOffset: h.baseOffset,
            lastOffset,
            timestamp: h.maxTimestamp,
          });
        }
        next = lastOffset + 1n;
      }
      if (next <= offset) break;
      offset = next;
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** Maps Kafka's topic config names onto the log engine's settings. */
export function toLogConfig(c: TopicConfig, now: () => number = Date.now): Partial<LogConfig> {
  const flush: FlushPolicy =
    c.flushMessages <= 1
      ? 'always'
      : c.flushMs < Number.MAX_SAFE_INTEGER
        ? { intervalMs: c.flushMs }
        : c.flushMessages < Number.MAX_SAFE_INTEGER
          ? { messages: c.flushMessages }
          : 'none';
  return {
    segmentBytes: c.segmentBytes,
    segmentMs: c.segmentMs,
    retentionMs: c.retentionMs,
    retentionBytes: c.retentionBytes,
    cleanupPolicy: (c.cleanupPolicy.includes('compact')
      ? c.cleanupPolicy.includes('delete')
        ? 'compact,delete'
        : 'compact'
      : 'delete') satisfies CleanupPolicy,
    maxMessageBytes: c.maxMessageBytes,
    flush,
    clock: { now },
  };
}
