// The pending messages of one delay partition by due time: a binary min-heap on (dueAt, offset),
// so a shard arms one clock timer (for the earliest) instead of one per message — with a million
// pending, per-message timers (entry, callbacks, the shard's tracking) were most of the heap.
// Removal is lazy: a cancelled or delivering message stays until it reaches the top (or a rebuild).
import type { PendingDelay } from './pending-delay';

function before(a: PendingDelay, b: PendingDelay): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.offset < b.offset);
}

export class DueQueue {
  private heap: PendingDelay[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest, or undefined when empty. */
  peek(): PendingDelay | undefined {
    return this.heap[0];
  }

  push(e: PendingDelay): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  pop(): PendingDelay | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    this.siftDown(last, 0);
    return top;
  }

  /** Replaces the contents with `entries` (O(n)): a load, or dropping what was removed lazily. */
  rebuild(entries: PendingDelay[]): void {
    this.heap = entries;
    for (let i = (entries.length >> 1) - 1; i >= 0; i--) this.siftDown(entries[i]!, i);
  }

  private siftDown(e: PendingDelay, at: number): void {
    const h = this.heap;
    const n = h.length;
    let i = at;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(h[child + 1]!, h[child]!)) child++;
      if (!before(h[child]!, e)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = e;
  }
}
