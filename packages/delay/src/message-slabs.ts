// Where a delay shard keeps its pending messages' bytes: copied into shared slabs, so a pending
// message costs the GC one plain object, not a Buffer of its own. With a million pending, a Buffer
// per message (a typed array each full GC marks and sweeps, pooled or not) made the mark-compact
// pauses during delivery 100–300 ms — the delivery lateness tail (BENCHMARKS.md, bench:delayed).
// A slab lives while any of its messages is pending; at 8 KiB it pins no more than Node's own
// Buffer pool did (each message's copy was a view into an 8 KiB pool slab).
import { type DelayTarget, PendingDelay } from './pending-delay';

const SLAB_BYTES = 8 * 1024;

export class MessageSlabs {
  private slab = Buffer.allocUnsafe(0);
  private used = 0;

  /** A pending message holding a copy of `data` (a view the caller may reuse; a large message gets a Buffer of its own). */
  hold(offset: number, dueAt: number, target: DelayTarget, data: Buffer): PendingDelay {
    if (data.length > SLAB_BYTES / 2) return new PendingDelay(offset, dueAt, target, Buffer.from(data), 0, data.length);
    if (this.used + data.length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const start = this.used;
    data.copy(this.slab, start);
    this.used += data.length;
    return new PendingDelay(offset, dueAt, target, this.slab, start, data.length);
  }
}
