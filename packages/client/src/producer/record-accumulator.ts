// Collects records per topic-partition into open ProducerBatches and seals a batch when the next
// record would pass batchBytes, when it has waited lingerMs, or on flush(). Sealed batches go to the
// sender synchronously and in seal order, which fixes their idempotent sequence order.
// A batch whose linger is over but whose partition cannot send now (maxInFlight reached, or batches
// already queued) stays open and keeps taking records until the sender has room (ready()), as
// Kafka's accumulator drains a batch only when it can be sent: under a slow broker the records of
// many send() calls then share one batch instead of queueing as many small ones.
import type { BufferPool } from './buffer-pool';
import { type FieldBytes, type HeaderField, ProducerBatch } from './producer-batch';
import type { SendTracker } from './send-tracker';

export type { RecordMetadata } from './send-tracker';

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface AccumulatorOptions {
  lingerMs: number;
  batchBytes: number;
  pool?: BufferPool;
  /** Receives each sealed batch (full, lingered or flushed), in seal order; must not throw. */
  onSealed(batch: ProducerBatch): void;
  /** Whether a batch of this partition sealed now would be sent at once; default always. */
  canSend?(topic: string, partition: number): boolean;
  now?: () => number;
}

export class RecordAccumulator {
  /** Open batch per partition, per topic: two lookups per send(), an array index per record. */
  private readonly open = new Map<string, Array<ProducerBatch | undefined>>();
  private openCount = 0;
  /** Open batches past their linger, waiting for their partition to have room. */
  private readonly held = new Set<ProducerBatch>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: AccumulatorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The open-batch slots of a topic, for a run of append() calls from one send(). */
  slots(topic: string): Array<ProducerBatch | undefined> {
    let s = this.open.get(topic);
    if (!s) this.open.set(topic, (s = []));
    return s;
  }

  append(
    slots: Array<ProducerBatch | undefined>,
    topic: string,
    partition: number,
    key: FieldBytes,
    value: FieldBytes,
    headers: readonly HeaderField[] | null,
    timestamp: number,
    tracker: SendTracker,
    sendIndex: number,
  ): void {
    let batch = slots[partition];
    let body = batch === undefined ? 0 : batch.bodySize(key, value, headers, timestamp);
    if (batch !== undefined && !batch.fits(body)) {
      this.seal(slots, batch);
      batch = undefined;
    }
    if (batch === undefined) {
      const pool = this.opts.pool;
      const buf = pool ? pool.take() : Buffer.allocUnsafe(this.opts.batchBytes);
      batch = new ProducerBatch(topic, partition, this.now(), buf, pool, this.opts.batchBytes);
      slots[partition] = batch;
      this.openCount++;
      this.armTimer();
      // A first record's timestamp delta is 0: its size differs from the one against the old batch.
      body = batch.bodySize(key, value, headers, timestamp);
    }
    batch.append(key, value, headers, timestamp, body, tracker, sendIndex);
    if (batch.sizeBytes >= this.opts.batchBytes) this.seal(slots, batch);
  }

  /** The sender has room for this partition: a batch held past its linger is sealed now. */
  ready(topic: string, partition: number): void {
    const slots = this.open.get(topic);
    const batch = slots?.[partition];
    if (slots !== undefined && batch !== undefined && this.held.has(batch)) this.seal(slots, batch);
  }

  /** Seals every open batch now (flush(), close()). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const slots of this.open.values()) for (const b of slots) if (b !== undefined) this.seal(slots, b);
  }

  /** Fails every open batch (the producer is closing without flushing). */
  abort(err: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const slots of this.open.values()) {
      for (const b of slots) b?.fail(err);
      slots.length = 0;
    }
    this.openCount = 0;
    this.held.clear();
  }

  get openBatches(): number {
    return this.openCount;
  }

  private seal(slots: Array<ProducerBatch | undefined>, batch: ProducerBatch): void {
    slots[batch.partition] = undefined;
    this.openCount--;
    this.held.delete(batch);
    this.opts.onSealed(batch);
  }

  /**
   * One timer for the oldest open batch. lingerMs 0 still waits a macrotask so that the records of
   * one send() call share a batch.
   */
  private armTimer(): void {
    if (this.timer || this.openCount === 0) return;
    let oldest = Infinity;
    for (const slots of this.open.values()) for (const b of slots) if (b !== undefined && b.createdAtMs < oldest && !this.held.has(b)) oldest = b.createdAtMs;
    if (oldest === Infinity) return;
    const wait = Math.max(0, oldest + this.opts.lingerMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sealExpired();
    }, wait);
  }

  private sealExpired(): void {
    const now = this.now();
    const canSend = this.opts.canSend;
    for (const slots of this.open.values()) {
      for (const b of slots) {
        if (b === undefined || this.held.has(b) || b.createdAtMs + this.opts.lingerMs > now) continue;
        if (canSend === undefined || canSend(b.topic, b.partition)) this.seal(slots, b);
        else this.held.add(b);
      }
    }
    this.armTimer();
  }
}
