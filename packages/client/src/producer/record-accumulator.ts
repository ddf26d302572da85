// Collects records per topic-partition into batches and hands a batch to the sender when it is
// full (batchBytes) or has waited lingerMs. Each record's promise settles when its batch is acked.

export interface ProducerRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly timestamp: bigint;
}

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1n when acks=0 (the broker sends no response). */
  readonly offset: bigint;
  readonly timestamp: bigint;
}

interface Waiter {
  resolve(meta: RecordMetadata): void;
  reject(err: unknown): void;
}

/** One open or sealed batch of records for one partition. */
export class PartitionBatch {
  readonly records: ProducerRecord[] = [];
  readonly waiters: Waiter[] = [];
  sizeBytes = 0;
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdAtMs: number,
  ) {}

  /** Settles every record: offsets are baseOffset + index, as the broker assigned them. */
  complete(baseOffset: bigint, logAppendTime: bigint | null): void {
    for (let i = 0; i < this.waiters.length; i++) {
      const rec = this.records[i]!;
      this.waiters[i]!.resolve({
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: logAppendTime !== null && logAppendTime >= 0n ? logAppendTime : rec.timestamp,
      });
    }
  }

  fail(err: unknown): void {
    for (const w of this.waiters) w.reject(err);
  }
}

/** Rough v2 record size: enough to decide when a batch is full, not an exact encoding. */
export function estimateRecordSize(rec: ProducerRecord): number {
  let n = 21 + (rec.key?.length ?? 0) + (rec.value?.length ?? 0);
  for (const h of rec.headers) n += 10 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return n;
}

export interface AccumulatorOptions {
  lingerMs: number;
  batchBytes: number;
  /** Receives sealed batches (full, lingered or flushed); must not throw. */
  onReady(batches: PartitionBatch[]): void;
  /** Told when a partition's batch was sealed (sticky partitioners move on). */
  onBatchSealed?(topic: string, partition: number): void;
  now?: () => number;
}

/** Batch header (61 bytes) counts toward batchBytes like Kafka's batch.size. */
const BATCH_OVERHEAD = 61;

export class RecordAccumulator {
  private readonly open = new Map<string, PartitionBatch>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: AccumulatorOptions) {
    this.now = opts.now ?? Date.now;
  }

  append(topic: string, partition: number, rec: ProducerRecord): Promise<RecordMetadata> {
    const key = `${topic}\u0000${partition}`;
    const size = estimateRecordSize(rec);
    let batch = this.open.get(key);
    if (batch && batch.records.length > 0 && BATCH_OVERHEAD + batch.sizeBytes + size > this.opts.batchBytes) {
      this.seal(key, batch);
      batch = undefined;
    }
    if (!batch) {
      batch = new PartitionBatch(topic, partition, this.now());
      this.open.set(key, batch);
    }
    const b = batch;
    const promise = new Promise<RecordMetadata>((resolve, reject) => b.waiters.push({ resolve, reject }));
    b.records.push(rec);
    b.sizeBytes += size;
    if (BATCH_OVERHEAD + b.sizeBytes >= this.opts.batchBytes) this.seal(key, b);
    else this.armTimer();
    return promise;
  }

  /** Seals every open batch now (flush(), close()). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const sealed = [...this.open.values()];
    this.open.clear();
    for (const b of sealed) this.opts.onBatchSealed?.(b.topic, b.partition);
    if (sealed.length > 0) this.opts.onReady(sealed);
  }

  /** Fails every open batch (the producer is closing without flushing). */
  abort(err: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const b of this.open.values()) b.fail(err);
    this.open.clear();
  }

  get openBatches(): number {
    return this.open.size;
  }

  private seal(key: string, batch: PartitionBatch): void {
    this.open.delete(key);
    this.opts.onBatchSealed?.(batch.topic, batch.partition);
    this.opts.onReady([batch]);
  }

  /**
   * One timer for the oldest open batch. lingerMs 0 still waits a macrotask so that the records of
   * one send() call share a batch.
   */
  private armTimer(): void {
    if (this.timer) return;
    let oldest = Infinity;
    for (const b of this.open.values()) oldest = Math.min(oldest, b.createdAtMs);
    if (oldest === Infinity) return;
    const wait = Math.max(0, oldest + this.opts.lingerMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sealExpired();
    }, wait);
  }

  private sealExpired(): void {
    const now = this.now();
    const ready: PartitionBatch[] = [];
    for (const [key, b] of this.open) {
      if (b.createdAtMs + this.opts.lingerMs <= now) {
        this.open.delete(key);
        this.opts.onBatchSealed?.(b.topic, b.partition);
        ready.push(b);
      }
    }
    if (ready.length > 0) this.opts.onReady(ready);
    this.armTimer();
  }
}
