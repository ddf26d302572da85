// LogSegment: one `<baseOffset>.log` file of whole RecordBatch v2 batches plus its OffsetIndex and
// TimeIndex. Invariant: the file holds batches with increasing offsets, all >= baseOffset and within
// baseOffset + 2^31; `size` bytes of it are complete. Indexes load lazily and unload under the LRU;
// the fd of any idle segment, the active one included, is closed by the LRU and reopened on use.
import { CorruptMessageError } from '@mq/errors';
import {
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  readBaseOffset,
  readBatchLength,
  readLastOffsetDelta,
  readMaxTimestamp,
  readBatchHeader,
  validateBatch,
  decodeRecordBatch,
} from '@mq/records';
import { SegmentGoneError } from './segment-gone-error';
import type { FileSystem } from './file-system';
import { isNotFound, pread, pwritev, unlinkIfExists, writeFileSynced } from './fs-ops';
import type { Evictable, OpenSegmentCache } from './open-segment-cache';
import { OffsetIndex } from './offset-index';
import { TimeIndex } from './time-index';
import { SegmentScanner } from './segment-scanner';
import { INDEX_SUFFIX, LOG_SUFFIX, TIME_INDEX_SUFFIX, segmentName } from './segment-files';

const MAX_RELATIVE_OFFSET = 0x7fffffffn;
const EMPTY = Buffer.alloc(0);
/**
 * How far ahead of the write position a preallocating segment zero-fills its file. Measured on this
 * ext4 VM (BENCHMARKS.md): 256 KiB–1 MiB steps cut a 1 KiB append + fdatasync from 0.15–0.18 ms to
 * 0.09–0.10 ms p50; 4–16 MiB steps made the append that pays for the step wait tens of ms.
 */
export const PREALLOCATE_STEP_BYTES = 1024 * 1024;
const ZEROS = Buffer.alloc(PREALLOCATE_STEP_BYTES);

export interface RebuildResult {
  /** lastOffset + 1 of the last valid batch, or null for an empty segment. */
  nextOffset: bigint | null;
  /** Bytes cut from the tail because they were torn or corrupt. */
  truncatedBytes: number;
  /**
   * Zero bytes trimmed from after the last batch: space a preallocating segment wrote ahead of its
   * appends (or a crash left unwritten). Not data, so not a truncation.
   */
  zeroTailBytes: number;
  /** When bytes were cut: where, why, and what they held (read from the batch headers beyond the cut). */
  truncation?: TruncationReport;
}

export interface TruncationReport {
  /** File position of the cut (the new file size). */
  position: number;
  reason: string;
  /** First offset no longer in the log. */
  firstDroppedOffset: bigint;
  dropped: DroppedRange;
}

/** What a run of batch headers claims to hold, as far as their framing could be followed. */
export interface DroppedRange {
  records: number;
  /** Highest lastOffset seen, or null when no header could be read. */
  lastOffset: bigint | null;
  /** False when the framing broke before the end: records/lastOffset are a lower bound. */
  complete: boolean;
}

/** A segment's state before a write, so a failed write can be cut back off exactly (log-repair.ts). */
export interface SegmentMark {
  readonly size: number;
  /** The first offset the write would have added. */
  readonly nextOffset: bigint;
  readonly maxTimestampSoFar: bigint;
  readonly offsetOfMaxTimestamp: bigint;
  readonly bytesSinceLastIndexEntry: number;
  readonly rollingBasedTimestamp: number | null;
}

export class LogSegment implements Evictable {
  fd = -1;
  refs = 0;
  offsetIndex: OffsetIndex | null = null;
  timeIndex: TimeIndex | null = null;
  /** Largest batch maxTimestamp in the segment (-1 when empty); valid when timeKnown. */
  maxTimestampSoFar = -1n;
  offsetOfMaxTimestamp: bigint;
  timeKnown = false;
  bytesSinceLastIndexEntry = 0;
  /**
   * Clock time of the first append into this segment; segmentMs rolls are measured from it, or from
   * createdMs (when the log created or loaded it) before that. Wall clock rather than record
   * timestamps, so replaying old data does not roll a segment per batch.
   */
  rollingBasedTimestamp: number | null = null;
  createdMs = 0;
  active = false;
  /**
   * Active segment opened after a clean shutdown whose indexes are not loaded yet: the first acquire
   * loads them (before any append can touch them), so opening a log reads no segment file at all.
   */
  deferredIndexes = false;
  deleted = false;
  /**
   * Length of the file on disk: `size` plus the zero-filled space a preallocating segment wrote ahead
   * of its appends. Bytes past `size` are never read, indexed or counted; roll and close trim them.
   */
  fileLength: number;
  /** Open the file O_DSYNC (the active segment of a flush-always log with syncWrites): see append(). */
  syncWrites = false;
  /** The open fd was opened O_DSYNC: a write through it is durable when it returns. */
  private fdSynced = false;
  private opening: Promise<number> | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    public size: number,
    private readonly indexIntervalBytes: number,
    private readonly cache: OpenSegmentCache,
    /** The storage seam every call of this segment and its indexes goes through. */
    readonly fs: FileSystem,
    public suffix = '',
  ) {
    this.offsetOfMaxTimestamp = baseOffset;
    this.fileLength = size;
  }

  get pinned(): boolean {
    return this.refs > 0;
  }
  get logPath(): string {
    return `${this.dir}/${segmentName(this.baseOffset)}${LOG_SUFFIX}${this.suffix}`;
  }
  get indexPath(): string {
    return `${this.dir}/${segmentName(this.baseOffset)}${INDEX_SUFFIX}${this.suffix}`;
  }
  get timeIndexPath(): string {
    return `${this.dir}/${segmentName(this.baseOffset)}${TIME_INDEX_SUFFIX}${this.suffix}`;
  }

  /**
   * Creates an empty segment file (truncating any leftover) with fresh in-memory indexes. It is
   * created active (pinned) so the LRU cannot unload it before the caller publishes it.
   */
  static async create(
    dir: string,
    baseOffset: bigint,
    indexIntervalBytes: number,
    cache: OpenSegmentCache,
    fs: FileSystem,
    suffix = '',
    syncWrites = false,
  ): Promise<LogSegment> {
    const seg = new LogSegment(dir, baseOffset, 0, indexIntervalBytes, cache, fs, suffix);
    seg.active = true;
    seg.syncWrites = syncWrites;
    seg.fd = await fs.open(seg.logPath, 'w+', syncWrites ? 'data' : undefined);
    seg.fdSynced = syncWrites;
    seg.resetIndexes();
    seg.timeKnown = true;
    cache.touch(seg);
    return seg;
  }

  /** Pins the segment and returns an open fd; pair with release(). */
  async acquire(): Promise<number> {
    // A deleted segment's path may now name a replacement file: never reopen it.
    if (this.deleted && this.fd < 0) throw new SegmentGoneError(`segment ${this.logPath} was removed`);
    this.refs++;
    try {
      if (this.fd < 0) {
        const synced = this.syncWrites;
        this.opening ??= this.fs.open(this.logPath, 'r+', synced ? 'data' : undefined).then(
          (fd) => {
            this.fd = fd;
            this.fdSynced = synced;
            this.opening = null;
            return fd;
          },
          (err: unknown) => {
            this.opening = null;
            throw err;
          },
        );
        await this.opening;
      }
      if (this.deferredIndexes) await this.ensureIndexes(this.fd);
      this.cache.touch(this);
      return this.fd;
    } catch (err) {
      this.refs--;
      throw err;
    }
  }

  release(): void {
    this.refs--;
    if (this.refs === 0 && this.deleted) {
      this.closeFd();
      this.offsetIndex = null;
      this.timeIndex = null;
    }
  }

  /**
   * Called by the LRU: give back the fd and index memory (reloaded on next use). An active
   * segment keeps its indexes: they hold entries not yet written to the index files.
   */
  unload(): void {
    if (this.pinned) return;
    this.closeFd();
    if (this.active) return;
    this.offsetIndex = null;
    this.timeIndex = null;
  }

  private closeFd(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    this.fdSynced = false;
    this.fs.close(fd).catch(() => undefined);
  }

  resetIndexes(): void {
    this.offsetIndex = new OffsetIndex(this.baseOffset);
    this.timeIndex = new TimeIndex(this.baseOffset);
    this.maxTimestampSoFar = -1n;
    this.offsetOfMaxTimestamp = this.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
  }

  /** Records a batch written at `position` in the sparse indexes (Kafka's LogSegment.append rule). */
  indexBatch(position: number, size: number, baseOffset: bigint, maxTimestamp: bigint): void {
    if (maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = maxTimestamp;
      this.offsetOfMaxTimestamp = baseOffset;
    }
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      this.offsetIndex!.append(baseOffset, position);
      this.timeIndex!.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestamp);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += size;
  }

  /** Loads the index files, rebuilding them from the log when missing or inconsistent. */
  async ensureIndexes(fd: number): Promise<void> {
    if (this.offsetIndex && this.timeIndex) return;
    // The active segment is pinned and always holds its indexes; rebuilding it here would race appends.
    if (this.active && !this.deferredIndexes) throw new Error(`bug: active segment ${this.logPath} lost its indexes`);
    if (this.deleted) throw new SegmentGoneError(`segment ${this.logPath} was removed`);
    this.loading ??= this.loadIndexes(fd).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async loadIndexes(fd: number): Promise<void> {
    const oiBytes = await readIfExists(this.fs, this.indexPath);
    const tiBytes = await readIfExists(this.fs, this.timeIndexPath);
    const oi = oiBytes && OffsetIndex.fromBytes(this.baseOffset, oiBytes, this.size);
    const ti = tiBytes && TimeIndex.fromBytes(this.baseOffset, tiBytes);
    // Index files read after a compaction swap belong to the replacement, not to our fd.
    if (this.deleted) throw new SegmentGoneError(`segment ${this.logPath} was removed`);
    // A non-empty inactive segment always ends its time index with its largest timestamp.
    if (oi && ti && (this.size === 0 || ti.entries > 0)) {
      this.offsetIndex = oi;
      this.timeIndex = ti;
      this.maxTimestampSoFar = ti.lastTimestamp() ?? -1n;
      this.timeKnown = true;
    } else {
      await this.rebuild(fd, false);
      await this.writeIndexFiles();
    }
    if (this.deferredIndexes) {
      // Appends continue the index from its last entry (as nextOffsetFromTail does on an eager open).
      this.bytesSinceLastIndexEntry = this.size - Math.max(0, this.offsetIndex!.lastPosition());
      this.deferredIndexes = false;
    }
  }

  /**
   * Rescans the file and rebuilds both indexes. With `validate` (recovery), each batch's length,
   * magic, CRC and offset order are checked and the file is truncated at the first torn or bad batch.
   */
  async rebuild(fd: number, validate: boolean): Promise<RebuildResult> {
    this.resetIndexes();
    const scanner = new SegmentScanner(this.fs, fd, 0, this.size, validate);
    let nextOffset: bigint | null = null;
    let expected = this.baseOffset;
    let validBytes = 0;
    let reason: string | null = null;
    for (let b = await scanner.next(); b !== null; b = await scanner.next()) {
      const baseOffset = readBaseOffset(b.buf, b.offset);
      const lastOffset = baseOffset + BigInt(readLastOffsetDelta(b.buf, b.offset));
      if (validate) {
        try {
          validateBatch(b.buf.subarray(b.offset, b.offset + b.size));
        } catch (err) {
          reason = err instanceof Error ? err.message : String(err);
          break;
        }
        if (baseOffset < expected || lastOffset < baseOffset || lastOffset - this.baseOffset > MAX_RELATIVE_OFFSET) {
          reason = `batch offsets ${baseOffset}..${lastOffset} out of order (expected >= ${expected})`;
          break;
        }
      }
      const maxTs = readMaxTimestamp(b.buf, b.offset);
      this.indexBatch(b.position, b.size, baseOffset, maxTs);
      expected = lastOffset + 1n;
      nextOffset = expected;
      validBytes = b.position + b.size;
    }
    if (this.maxTimestampSoFar >= 0n) this.timeIndex!.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestamp);
    this.timeKnown = true;
    // Only a validating (recovery) rebuild may cut the file; index rebuilds never change data.
    if (!validate || validBytes === this.size) return { nextOffset, truncatedBytes: 0, zeroTailBytes: 0 };
    if (await allZero(this.fs, fd, validBytes, this.size)) {
      const zeroTailBytes = this.size - validBytes;
      await this.setLength(fd, validBytes);
      return { nextOffset, truncatedBytes: 0, zeroTailBytes };
    }
    const truncatedBytes = this.size - validBytes;
    reason ??= scanner.stop === 'bad-length' ? 'invalid batch length' : 'torn (incomplete) batch';
    const dropped = await scanHeaders(this.fs, fd, validBytes, this.size, expected);
    await this.setLength(fd, validBytes);
    return { nextOffset, truncatedBytes, zeroTailBytes: 0, truncation: { position: validBytes, reason, firstDroppedOffset: expected, dropped } };
  }

  /** What the whole segment claims to hold (records, last offset), from its batch headers only. */
  describeContents(fd: number): Promise<DroppedRange> {
    return scanHeaders(this.fs, fd, 0, this.size, this.baseOffset);
  }

  /** lastOffset + 1 of the final batch (scanning from the last index entry), or null if empty. */
  async nextOffsetFromTail(fd: number): Promise<bigint | null> {
    const start = Math.max(0, this.offsetIndex?.lastPosition() ?? 0);
    const scanner = new SegmentScanner(this.fs, fd, start, this.size, false, 64 * 1024);
    let next: bigint | null = null;
    for (let b = await scanner.next(); b !== null; b = await scanner.next()) {
      next = readBaseOffset(b.buf, b.offset) + BigInt(readLastOffsetDelta(b.buf, b.offset)) + 1n;
    }
    if (scanner.stop !== 'end') throw new CorruptMessageError(`segment ${this.logPath} has a damaged tail`);
    this.bytesSinceLastIndexEntry = this.size - start;
    return next;
  }

  /** Writes both index files whole (ending the time index with the largest timestamp) and syncs them. */
  async writeIndexFiles(): Promise<void> {
    if (!this.offsetIndex || !this.timeIndex) return;
    if (this.maxTimestampSoFar >= 0n) this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestamp);
    await writeFileSynced(this.fs, this.indexPath, this.offsetIndex.toBytes());
    await writeFileSynced(this.fs, this.timeIndexPath, this.timeIndex.toBytes());
  }

  async largestTimestamp(): Promise<bigint> {
    if (this.timeKnown) return this.maxTimestampSoFar;
    const fd = await this.acquire();
    try {
      await this.ensureIndexes(fd);
      return this.maxTimestampSoFar;
    } finally {
      this.release();
    }
  }

  mark(nextOffset: bigint): SegmentMark {
    return {
      size: this.size,
      nextOffset,
      maxTimestampSoFar: this.maxTimestampSoFar,
      offsetOfMaxTimestamp: this.offsetOfMaxTimestamp,
      bytesSinceLastIndexEntry: this.bytesSinceLastIndexEntry,
      rollingBasedTimestamp: this.rollingBasedTimestamp,
    };
  }

  /**
   * Cuts the file and the in-memory indexes back to `m` (taken before a write that failed) and makes
   * the segment active again (a failed group may have rolled past it). Bytes a failed writev left
   * beyond `m.size` go too. Idempotent, so a repair that failed half-way can simply run again.
   */
  async cutBackTo(fd: number, m: SegmentMark): Promise<void> {
    // Loaded while still inactive: ensureIndexes refuses an active segment without indexes.
    if (!this.offsetIndex || !this.timeIndex) await this.ensureIndexes(fd);
    await this.setLength(fd, m.size);
    this.offsetIndex!.truncateToPosition(m.size);
    this.timeIndex!.truncateToOffset(m.nextOffset);
    this.maxTimestampSoFar = m.maxTimestampSoFar;
    this.offsetOfMaxTimestamp = m.offsetOfMaxTimestamp;
    this.bytesSinceLastIndexEntry = m.bytesSinceLastIndexEntry;
    this.rollingBasedTimestamp = m.rollingBasedTimestamp;
    this.timeKnown = true;
    this.active = true;
  }

  /** Cuts (or extends) the file to `length` bytes, all of them data: no preallocated space remains. */
  private async setLength(fd: number, length: number): Promise<void> {
    await this.fs.ftruncate(fd, length);
    this.size = length;
    this.fileLength = length;
  }

  /**
   * Appends already-validated batches at the end of the file and indexes them. With `preallocateTo`
   * (segment.bytes of a preallocating log) an append that passes the zero-filled space writes
   * PREALLOCATE_STEP_BYTES of zeros after itself in the same writev: the file's size and extents then
   * change once per step, so the fdatasyncs of the appends in between commit no metadata.
   * Resolves true when the bytes are already durable (the fd was opened O_DSYNC): no fdatasync needed.
   */
  async append(fd: number, batches: Buffer[], preallocateTo = 0): Promise<boolean> {
    const start = this.size;
    let end = start;
    for (const b of batches) end += b.length;
    if (preallocateTo > 0 && end > this.fileLength) {
      const target = Math.max(end, Math.min(preallocateTo, end + PREALLOCATE_STEP_BYTES));
      await pwritev(this.fs, fd, target > end ? [...batches, ZEROS.subarray(0, target - end)] : batches, start);
      this.fileLength = target;
    } else {
      await pwritev(this.fs, fd, batches, start);
      if (end > this.fileLength) this.fileLength = end;
    }
    let pos = start;
    for (const b of batches) {
      this.indexBatch(pos, b.length, readBaseOffset(b), readMaxTimestamp(b));
      pos += b.length;
    }
    this.size = pos;
    return this.fdSynced && fd === this.fd;
  }

  flush(fd: number): Promise<void> {
    return this.fs.fdatasync(fd);
  }

  /** Cuts preallocated space off the end of the file (on roll and close): a sealed segment is all data. */
  async trimPreallocation(fd: number): Promise<void> {
    if (this.fileLength > this.size) await this.setLength(fd, this.size);
  }

  /**
   * Raw bytes of whole batches starting at the batch containing `offset`: at least one batch (even
   * above maxBytes, KIP-74, unless `minOneBatch` is false: then empty when it does not fit), then
   * more while they fit in maxBytes and start below maxOffset. Never reads more than it returns
   * plus one index interval. Returns null when no batch in this segment reaches `offset`.
   */
  async read(fd: number, offset: bigint, maxBytes: number, maxOffset: bigint, minOneBatch = true): Promise<Buffer | null> {
    const end = this.size;
    let pos = this.offsetIndex!.lookup(offset);
    for (;;) {
      if (pos >= end) return null;
      const len = Math.min(end - pos, Math.max(0, maxBytes) + this.indexIntervalBytes + 65536);
      let buf = Buffer.allocUnsafe(len);
      let n = await pread(this.fs, fd, buf, 0, len, pos);
      if (n < RECORD_BATCH_OVERHEAD) return null;
      let off = 0;
      let size = 0;
      let found = false;
      while (off + RECORD_BATCH_OVERHEAD <= n) {
        size = batchSizeAt(buf, off, pos + off, this.logPath);
        if (readBaseOffset(buf, off) + BigInt(readLastOffsetDelta(buf, off)) >= offset) {
          found = true;
          break;
        }
        off += size;
      }
      if (!found) {
        pos += off;
        continue;
      }
      if (readBaseOffset(buf, off) >= maxOffset) return EMPTY;
      if (!minOneBatch && size > maxBytes) return EMPTY;
      if (off + size > n) {
        // The first batch is not all in memory: read exactly the range to return.
        pos += off;
        const want = Math.min(end - pos, Math.max(size, maxBytes));
        buf = Buffer.allocUnsafe(want);
        n = await pread(this.fs, fd, buf, 0, want, pos);
        off = 0;
        if (n < size) return null;
      }
      let e = off + size;
      while (e + RECORD_BATCH_OVERHEAD <= n) {
        const sz = batchSizeAt(buf, e, pos + e, this.logPath);
        if (e + sz > n || e + sz - off > maxBytes || readBaseOffset(buf, e) >= maxOffset) break;
        e += sz;
      }
      return buf.subarray(off, e);
    }
  }

  /** First record at or after `minOffset` with timestamp >= `timestamp`, or null. */
  async findByTimestamp(fd: number, timestamp: bigint, minOffset: bigint): Promise<{ offset: bigint; timestamp: bigint } | null> {
    const from = maxBig(this.timeIndex!.lookup(timestamp), minOffset);
    const scanner = new SegmentScanner(this.fs, fd, this.offsetIndex!.lookup(from), this.size, false, 64 * 1024);
    for (let b = await scanner.next(); b !== null; b = await scanner.next()) {
      const h = readBatchHeader(b.buf, b.offset);
      // maxTimestamp -1 says nothing (a client that did not set it): look at the records.
      if (h.baseOffset + BigInt(h.lastOffsetDelta) < from || (h.maxTimestamp >= 0n && h.maxTimestamp < timestamp)) continue;
      const whole = Buffer.allocUnsafe(b.size);
      if ((await pread(this.fs, fd, whole, 0, b.size, b.position)) < b.size) return null;
      const { records } = await decodeRecordBatch(whole);
      for (const r of records) {
        if (r.offset >= minOffset && r.timestamp >= timestamp) return { offset: r.offset, timestamp: r.timestamp };
      }
    }
    return null;
  }

  /** Removes every batch whose lastOffset >= offset; returns bytes removed. */
  async truncateTo(fd: number, offset: bigint): Promise<number> {
    const scanner = new SegmentScanner(this.fs, fd, this.offsetIndex!.lookup(offset), this.size, false, 64 * 1024);
    for (let b = await scanner.next(); b !== null; b = await scanner.next()) {
      if (readBaseOffset(b.buf, b.offset) + BigInt(readLastOffsetDelta(b.buf, b.offset)) >= offset) {
        const removed = this.size - b.position;
        await this.setLength(fd, b.position);
        await this.rebuild(fd, false);
        return removed;
      }
    }
    return 0;
  }

  /** Takes the segment out of service; open readers keep their fd and indexes until they release. */
  async markDeleted(unlinkFiles: boolean): Promise<void> {
    this.deleted = true;
    this.active = false;
    this.cache.remove(this);
    if (this.refs === 0) {
      this.closeFd();
      this.offsetIndex = null;
      this.timeIndex = null;
    }
    if (unlinkFiles) {
      await unlinkIfExists(this.fs, this.logPath);
      await unlinkIfExists(this.fs, this.indexPath);
      await unlinkIfExists(this.fs, this.timeIndexPath);
    }
  }
}

/**
 * Follows batch framing from `start` without validating contents, summing record counts of headers
 * whose offsets are plausible (>= minOffset): how much a cut there throws away.
 */
async function scanHeaders(fs: FileSystem, fd: number, start: number, end: number, minOffset: bigint): Promise<DroppedRange> {
  const scanner = new SegmentScanner(fs, fd, start, end, false, 64 * 1024);
  let records = 0;
  let lastOffset: bigint | null = null;
  const count = (buf: Buffer, off: number): void => {
    const base = readBaseOffset(buf, off);
    const last = base + BigInt(readLastOffsetDelta(buf, off));
    if (base < minOffset || last < base) return;
    records += Math.max(0, buf.readInt32BE(off + RECORDS_COUNT_OFFSET));
    if (lastOffset === null || last > lastOffset) lastOffset = last;
  };
  for (let b = await scanner.next(); b !== null; b = await scanner.next()) count(b.buf, b.offset);
  if (scanner.stop === 'torn' && end - scanner.position >= RECORD_BATCH_OVERHEAD) {
    // A batch cut short by a crash still has its header: what it claimed to hold was lost too.
    const header = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD);
    if ((await pread(fs, fd, header, 0, RECORD_BATCH_OVERHEAD, scanner.position)) === RECORD_BATCH_OVERHEAD) {
      count(header, 0);
      return { records, lastOffset, complete: true };
    }
  }
  return { records, lastOffset, complete: scanner.stop === 'end' };
}

/** True when the file holds only zero bytes in [start, end). */
async function allZero(fs: FileSystem, fd: number, start: number, end: number): Promise<boolean> {
  const chunk = Buffer.allocUnsafe(Math.min(PREALLOCATE_STEP_BYTES, end - start));
  for (let pos = start; pos < end; ) {
    const n = await pread(fs, fd, chunk, 0, Math.min(chunk.length, end - pos), pos);
    if (n === 0) return true;
    if (!chunk.subarray(0, n).equals(ZEROS.subarray(0, n))) return false;
    pos += n;
  }
  return true;
}

function batchSizeAt(buf: Buffer, off: number, filePos: number, path: string): number {
  const batchLength = readBatchLength(buf, off);
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
    throw new CorruptMessageError(`invalid batch length ${batchLength} at position ${filePos} of ${path}`);
  }
  return batchLength + LOG_OVERHEAD;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

async function readIfExists(fs: FileSystem, path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
