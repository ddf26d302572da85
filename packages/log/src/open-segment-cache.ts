// LRU over segments that hold an open fd and loaded indexes, so memory and descriptors stay bounded
// however many segments a log has. The active segment and segments in use by a reader are never evicted.

export interface Evictable {
  readonly pinned: boolean;
  unload(): void;
}

export class OpenSegmentCache<T extends Evictable> {
  private readonly lru = new Map<T, true>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.lru.size;
  }

  touch(seg: T): void {
    this.lru.delete(seg);
    this.lru.set(seg, true);
    if (this.lru.size > this.max) this.evict();
  }

  remove(seg: T): void {
    this.lru.delete(seg);
  }

  private evict(): void {
    for (const seg of this.lru.keys()) {
      if (this.lru.size <= this.max) return;
      if (seg.pinned) continue;
      this.lru.delete(seg);
      seg.unload();
    }
  }
}
