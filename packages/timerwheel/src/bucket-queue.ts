// Min-heap of non-empty buckets by expiration (the role of Kafka's DelayQueue): it holds buckets,
// not timers, so its O(log n) is over at most wheelSize × levels entries, whatever the timer count.
import type { TimerBucket } from './timer-bucket';

export class BucketQueue {
  private readonly heap: TimerBucket[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): TimerBucket | undefined {
    return this.heap[0];
  }

  push(b: TimerBucket): void {
    b.heapIndex = this.heap.length;
    this.heap.push(b);
    this.up(b.heapIndex);
  }

  pop(): TimerBucket | undefined {
    const top = this.heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(b: TimerBucket): void {
    const i = b.heapIndex;
    const last = this.heap.pop()!;
    b.heapIndex = -1;
    if (last === b) return;
    this.heap[i] = last;
    last.heapIndex = i;
    this.down(i);
    this.up(last.heapIndex);
  }

  /** Drops every bucket (their entries are the caller's to discard). */
  clear(): void {
    for (const b of this.heap) b.heapIndex = -1;
    this.heap.length = 0;
  }

  private up(i: number): void {
    const h = this.heap;
    const b = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.expiration <= b.expiration) break;
      h[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    h[i] = b;
    b.heapIndex = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const b = h[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1]!.expiration < h[c]!.expiration) c++;
      const child = h[c]!;
      if (child.expiration >= b.expiration) break;
      h[i] = child;
      child.heapIndex = i;
      i = c;
    }
    h[i] = b;
    b.heapIndex = i;
  }
}
