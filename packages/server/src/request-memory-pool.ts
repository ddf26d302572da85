// queued.max.request.bytes: one broker-wide budget for the bytes of requests in flight (received,
// not yet answered and flushed) plus the Fetch response bytes read for them. Connections stop
// reading their sockets while it is spent and resume when responses complete (Kafka's MemoryPool).

/** A connection as the pool sees it: bytes of the frame it is still receiving, and a way to wake it. */
export interface PoolReader {
  /** Bytes received for a frame that is not complete yet (already charged to the pool). */
  readonly partialBytes: number;
  resumeReading(): void;
}

export class RequestMemoryPool {
  readonly capacity: number;
  private usedBytes = 0;
  /** Part of usedBytes that belongs to frames still arriving (no handler will release them). */
  private partialTotal = 0;
  private readonly readers = new Set<PoolReader>();
  private readonly waiting = new Set<PoolReader>();

  /** capacity <= 0 means unbounded (Kafka's -1). */
  constructor(capacity: number) {
    this.capacity = capacity > 0 ? capacity : Number.POSITIVE_INFINITY;
  }

  get used(): number {
    return this.usedBytes;
  }

  get available(): number {
    return Math.max(0, this.capacity - this.usedBytes);
  }

  /** Connections waiting for memory (for tests and logs). */
  get waitingReaders(): number {
    return this.waiting.size;
  }

  /** Bytes just read from a socket, before they form a whole frame. */
  chargePartial(n: number): void {
    this.usedBytes += n;
    this.partialTotal += n;
  }

  /** `n` partial bytes became a whole frame: a handler now owns them and will release them. */
  settle(n: number): void {
    this.partialTotal -= n;
  }

  /** Takes up to `max` of what is free, never waiting (a Fetch reads less when memory is short). */
  take(max: number): number {
    const n = Math.max(0, Math.min(max, this.capacity - this.usedBytes));
    this.usedBytes += n;
    return n;
  }

  /** Holds `n` bytes even past the budget (KIP-74's first batch, which must go out whole). */
  charge(n: number): void {
    this.usedBytes += n;
  }

  release(n: number, partial = false): void {
    if (n <= 0) return;
    this.usedBytes -= n;
    if (partial) this.partialTotal -= n;
    if (this.waiting.size > 0) this.wakeEligible();
  }

  /**
   * Whether `r` may read more. Its own unfinished frame does not count against it, so a frame that
   * started arriving is finished rather than left half-read. When nothing but unfinished frames
   * holds the pool, no response will ever free it: the reader with the most received goes on alone.
   */
  mayRead(r: PoolReader): boolean {
    if (this.usedBytes - r.partialBytes < this.capacity) return true;
    if (this.usedBytes - this.partialTotal > 0 || r.partialBytes === 0) return false;
    for (const o of this.readers) if (o !== r && o.partialBytes > r.partialBytes) return false;
    return true;
  }

  /** A new connection (the deadlock rule compares every reader's half-received frame). */
  add(r: PoolReader): void {
    this.readers.add(r);
  }

  /** Parks a reader that may not read; it is resumed once mayRead allows it. */
  wait(r: PoolReader): void {
    this.waiting.add(r);
    this.wakeEligible();
  }

  /** A closed connection leaves the queue. */
  forget(r: PoolReader): void {
    this.readers.delete(r);
    this.waiting.delete(r);
  }

  private wakeEligible(): void {
    for (const w of this.waiting) {
      if (this.mayRead(w)) {
        this.waiting.delete(w);
        w.resumeReading();
      }
    }
  }
}
