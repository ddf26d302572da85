// OffsetIndex: the sparse `.index` of a segment. Invariant: 8-byte entries (relative offset int32,
// file position int32), both strictly increasing; each maps a batch's baseOffset to where it starts.
// Held in memory (at most segmentBytes / indexIntervalBytes entries) and written whole on roll/close.

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex {
  private buf: Buffer;
  private count = 0;

  constructor(readonly baseOffset: bigint, capacity = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(1, capacity) * OFFSET_INDEX_ENTRY_SIZE);
  }

  /** Loads file bytes; returns null if they break the invariant (caller rebuilds from the log). */
  static fromBytes(baseOffset: bigint, bytes: Buffer, logSize: number): OffsetIndex | null {
    if (bytes.length % OFFSET_INDEX_ENTRY_SIZE !== 0) return null;
    const n = bytes.length / OFFSET_INDEX_ENTRY_SIZE;
    let prevRel = -1;
    let prevPos = -1;
    for (let i = 0; i < n; i++) {
      const rel = bytes.readInt32BE(i * 8);
      const pos = bytes.readInt32BE(i * 8 + 4);
      if (rel <= prevRel || pos <= prevPos || pos >= logSize) return null;
      prevRel = rel;
      prevPos = pos;
    }
    const idx = new OffsetIndex(baseOffset, n + 16);
    bytes.copy(idx.buf, 0);
    idx.count = n;
    return idx;
  }

  get entries(): number {
    return this.count;
  }

  lastPosition(): number {
    return this.count === 0 ? -1 : this.buf.readInt32BE((this.count - 1) * 8 + 4);
  }

  append(offset: bigint, position: number): void {
    const rel = Number(offset - this.baseOffset);
    if (this.count > 0) {
      const last = (this.count - 1) * 8;
      if (rel <= this.buf.readInt32BE(last) || position <= this.buf.readInt32BE(last + 4)) return;
    }
    if ((this.count + 1) * 8 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.count * 8);
      this.buf = bigger;
    }
    this.buf.writeInt32BE(rel, this.count * 8);
    this.buf.writeInt32BE(position, this.count * 8 + 4);
    this.count++;
  }

  /** Position of the last entry whose offset is <= `offset` (0 when none): where a scan may start. */
  lookup(offset: bigint): number {
    const rel = offset - this.baseOffset;
    if (rel < 0n || this.count === 0) return 0;
    const target = rel > 0x7fffffffn ? 0x7fffffff : Number(rel);
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readInt32BE(mid * 8) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : this.buf.readInt32BE(found * 8 + 4);
  }

  /** Drops entries at or after `position` (after the segment file is truncated there). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.buf.readInt32BE((this.count - 1) * 8 + 4) >= position) this.count--;
  }

  toBytes(): Buffer {
    return this.buf.subarray(0, this.count * 8);
  }
}
