// LRU over segments that hold an open fd (and, when sealed, loaded indexes), so descriptors and
// memory stay bounded however many segments — and, when one cache is shared by every log of a
// broker, however many partitions — there are. Segments in use by a reader or the writer are pinned;
// evicting an idle active segment closes only its fd (its indexes live in memory until sealed).

export interface Evictable {
  readonly pinned: boolean;
  unload(): void;
}

export class OpenSegmentCache {
  private readonly lru = new Map<Evictable, true>();

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`open segment limit must be >= 1 (got ${max})`);
  }

  /** Segments currently holding an fd or indexes (pinned ones may push it above max for a while). */
  get size(): number {
    return this.lru.size;
  }

  touch(seg: Evictable): void {
    this.lru.delete(seg);
    this.lru.set(seg, true);
    if (this.lru.size > this.max) this.evict();
  }

  remove(seg: Evictable): void {
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
