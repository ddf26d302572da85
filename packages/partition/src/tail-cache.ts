// The most recently acknowledged batches of one partition, as stored (offsets and timestamps
// assigned), so a consumer tailing the log is answered from memory instead of a threadpool pread
// of bytes written a moment ago. Invariant: cached batches are whole, in offset order, contiguous.

/** Batches below this size are copied, so the cache never pins a request's whole socket chunk. */
const COPY_BELOW_BYTES = 16 * 1024;
const EMPTY = Buffer.alloc(0);

export interface TailCacheLimits {
  /** Total batch bytes kept (oldest evicted first). */
  readonly maxBytes: number;
  /** Batches kept, whatever their size. */
  readonly maxBatches: number;
}

export class TailCache {
  private batches: Buffer[] = [];
  private baseOffsets: bigint[] = [];
  private lastOffsets: bigint[] = [];
  /** Index of the oldest live entry: eviction moves it forward, compaction of the arrays is amortised. */
  private start = 0;
  private bytes = 0;

  constructor(private readonly limits: TailCacheLimits) {}

  /** Number of batches held (for tests). */
  get size(): number {
    return this.batches.length - this.start;
  }

  /** Adds the batch that was just acknowledged; a gap in offsets restarts the cache. */
  add(batch: Buffer, baseOffset: bigint, lastOffset: bigint): void {
    if (batch.length > this.limits.maxBytes) {
      this.clear();
      return;
    }
    const n = this.lastOffsets.length;
    if (n > this.start && this.lastOffsets[n - 1]! + 1n !== baseOffset) this.clear();
    const stored = batch.length < COPY_BELOW_BYTES ? Buffer.from(batch) : batch;
    this.batches.push(stored);
    this.baseOffsets.push(baseOffset);
    this.lastOffsets.push(lastOffset);
    this.bytes += stored.length;
    while (this.bytes > this.limits.maxBytes || this.batches.length - this.start > this.limits.maxBatches) {
      this.bytes -= this.batches[this.start]!.length;
      this.batches[this.start] = EMPTY;
      this.start++;
    }
    if (this.start >= this.limits.maxBatches) {
      this.batches.splice(0, this.start);
      this.baseOffsets.splice(0, this.start);
      this.lastOffsets.splice(0, this.start);
      this.start = 0;
    }
  }

  /**
   * Whole batches from the one holding `fetchOffset`, like Log.read: the first always, then more
   * while they fit in maxBytes and start below maxOffset. Undefined when `fetchOffset` is not cached.
   */
  read(fetchOffset: bigint, maxBytes: number, maxOffset: bigint, minOneBatch = true): Buffer | undefined {
    const n = this.batches.length;
    if (n === this.start || fetchOffset < this.baseOffsets[this.start]! || fetchOffset > this.lastOffsets[n - 1]!) return undefined;
    // Tailing consumers ask for the newest batches: search from the end.
    let i = n - 1;
    while (this.baseOffsets[i]! > fetchOffset) i--;
    const first = this.batches[i]!;
    if (!minOneBatch && first.length > maxBytes) return EMPTY;
    let total = first.length;
    let end = i + 1;
    while (end < n && this.baseOffsets[end]! < maxOffset && total + this.batches[end]!.length <= maxBytes) {
      total += this.batches[end]!.length;
      end++;
    }
    return end === i + 1 ? first : Buffer.concat(this.batches.slice(i, end), total);
  }

  clear(): void {
    this.batches = [];
    this.baseOffsets = [];
    this.lastOffsets = [];
    this.start = 0;
    this.bytes = 0;
  }
}
