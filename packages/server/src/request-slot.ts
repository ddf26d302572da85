// One request's place in its connection's response queue, and the bytes of queued.max.request.bytes
// it holds: its frame from arrival, plus what its handler took, until the response is flushed.
import type { RequestMemory } from './handler';
import type { RequestMemoryPool } from './request-memory-pool';

export class RequestSlot implements RequestMemory {
  done = false;
  /** The handler asked to close the connection after this response. */
  closeAfter = false;
  /** KIP-219: after this response is written the connection stops reading for this long (ms). */
  throttleMs = 0;
  /** Response chunks (size prefix included), or null for "no response" (acks=0). */
  chunks: Buffer[] | null = null;
  private held: number;
  /** Set once everything is released: later takes (a handler outliving its connection) hold nothing. */
  private finished = false;

  constructor(
    private readonly pool: RequestMemoryPool,
    frameBytes: number,
  ) {
    this.held = frameBytes;
  }

  get capacity(): number {
    return this.pool.capacity - this.held;
  }

  take(max: number): number {
    if (this.finished) return max;
    const n = this.pool.take(max);
    this.held += n;
    return n;
  }

  charge(n: number): void {
    if (this.finished || n <= 0) return;
    this.pool.charge(n);
    this.held += n;
  }

  release(n: number): void {
    if (this.finished) return;
    const give = Math.min(n, this.held);
    this.held -= give;
    this.pool.release(give);
  }

  /** The response is flushed (or the connection is gone): give everything back, once. */
  readonly releaseAll = (): void => {
    if (this.finished) return;
    this.finished = true;
    const n = this.held;
    this.held = 0;
    this.pool.release(n);
  };
}
