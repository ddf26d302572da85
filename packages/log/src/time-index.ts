// TimeIndex: the sparse `.timeindex` of a segment. Invariant: 12-byte entries (timestamp int64,
// relative offset int32), both strictly increasing; an entry (t, o) says every batch before the batch
// at offset o has maxTimestamp < t. The last entry on an inactive segment is its largest timestamp.

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex {
  private buf: Buffer;
  private count = 0;

  constructor(readonly baseOffset: bigint, capacity = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(1, capacity) * TIME_INDEX_ENTRY_SIZE);
  }

  static fromBytes(baseOffset: bigint, bytes: Buffer): TimeIndex | null {
    if (bytes.length % TIME_INDEX_ENTRY_SIZE !== 0) return null;
    const n = bytes.length / TIME_INDEX_ENTRY_SIZE;
    let prevTs: bigint | null = null;
    let prevRel = -1;
    for (let i = 0; i < n; i++) {
      const ts = bytes.readBigInt64BE(i * 12);
      const rel = bytes.readInt32BE(i * 12 + 8);
      if ((prevTs !== null && ts <= prevTs) || rel < prevRel) return null;
      prevTs = ts;
      prevRel = rel;
    }
    const idx = new TimeIndex(baseOffset, n + 16);
    bytes.copy(idx.buf, 0);
    idx.count = n;
    return idx;
  }

  get entries(): number {
    return this.count;
  }

  lastTimestamp(): bigint | null {
    return this.count === 0 ? null : this.buf.readBigInt64BE((this.count - 1) * 12);
  }

  /** Appends (timestamp, offset) if the timestamp is larger than the last entry's. */
  maybeAppend(timestamp: bigint, offset: bigint): void {
    const last = this.lastTimestamp();
    if (last !== null && timestamp <= last) return;
    const rel = Number(offset - this.baseOffset);
    if (this.count > 0 && rel < this.buf.readInt32BE((this.count - 1) * 12 + 8)) return;
    if ((this.count + 1) * 12 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.count * 12);
      this.buf = bigger;
    }
    this.buf.writeBigInt64BE(timestamp, this.count * 12);
    this.buf.writeInt32BE(rel, this.count * 12 + 8);
    this.count++;
  }

  /** Offset of the last entry with timestamp <= `timestamp`, or the segment base when none. */
  lookup(timestamp: bigint): bigint {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readBigInt64BE(mid * 12) <= timestamp) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? this.baseOffset : this.baseOffset + BigInt(this.buf.readInt32BE(found * 12 + 8));
  }

  /** Drops entries pointing at offsets >= `offset`. */
  truncateToOffset(offset: bigint): void {
    const rel = offset - this.baseOffset;
    while (this.count > 0 && BigInt(this.buf.readInt32BE((this.count - 1) * 12 + 8)) >= rel) this.count--;
  }

  toBytes(): Buffer {
    return this.buf.subarray(0, this.count * 12);
  }
}
