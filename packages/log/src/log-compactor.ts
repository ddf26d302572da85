// Compaction (cleanup.policy=compact): keep the newest record per key in the inactive segments, drop
// tombstones older than deleteRetentionMs, copy survivors into `.cleaned` segments (offsets preserved,
// gaps allowed) and swap them in atomically. Untouched batches are copied byte for byte.
// Transactions (as Kafka's cleaner): the records of an aborted transaction are removed and never
// count as a key's newest value (a read_committed consumer never saw them, so they must not hide a
// committed one); a transaction still open (no COMMIT / ABORT marker yet in the log) is kept as it
// is and does not count either, until its marker decides. A COMMIT / ABORT marker whose transaction
// has no record left in the log goes too, once older than deleteRetentionMs — as a tombstone: a
// consumer that read the transaction's records finishes reading past its marker within that time.
import type { FileSystem } from './file-system';
import type { LogConfig } from './log-config';
import { LogSegment } from './log-segment';
import type { OpenSegmentCache } from './open-segment-cache';
import { SegmentScanner } from './segment-scanner';
import { CLEANED_SUFFIX } from './segment-files';
import { completeSwap, writeSwapMarker } from './segment-swap';
import {
  batchCompression,
  batchTimestampType,
  isControlBatch,
  isTransactionalBatch,
  readBatchHeader,
  readMaxTimestamp,
  decodeRecordBatch,
  buildRecordBatch,
  ControlRecordType,
  readControlRecord,
} from '@mq/records';
import { SegmentGoneError } from './segment-gone-error';

export interface CompactionStats {
  segmentsCleaned: number;
  recordsRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** What the last complete pass left behind, so a pass with nothing new to do is skipped. */
export interface CleanerState {
  /** Exclusive end offset of the range the last complete pass cleaned (-1 before any). */
  cleanedUpTo: bigint;
  /** When the oldest tombstone kept by the last pass becomes removable (ms), or null if none. */
  nextTombstoneExpiryMs: number | null;
  /** First-batch timestamps of sealed segments (immutable, so read once per segment). */
  firstBatchTimestamps?: WeakMap<LogSegment, number>;
}

/** What the compactor needs from its Log: a segment snapshot and a way to run the swap exclusively. */
export interface CompactionHost {
  dir: string;
  config: LogConfig;
  cache: OpenSegmentCache;
  fs: FileSystem;
  now(): number;
  segments(): readonly LogSegment[];
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  replace(old: LogSegment[], replacement: LogSegment): void;
}

const MAX_RELATIVE_OFFSET = 0x7fffffffn;
const WRITE_CHUNK = 1 << 20;

export async function compactLog(host: CompactionHost, state: CleanerState): Promise<CompactionStats> {
  const stats: CompactionStats = { segmentsCleaned: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0 };
  const { config } = host;
  if (!config.cleanupPolicy.includes('compact')) return stats;
  const segs = host.segments();
  const now = host.now();
  const cleanable: LogSegment[] = [];
  for (const seg of segs.slice(0, -1)) {
    if (config.minCompactionLagMs > 0 && now - Number(await seg.largestTimestamp()) < config.minCompactionLagMs) break;
    cleanable.push(seg);
  }
  if (cleanable.length === 0) return stats;
  const cleanableEnd = segs[cleanable.length]!.baseOffset;
  const tombstonesDue = state.nextTombstoneExpiryMs !== null && now >= state.nextTombstoneExpiryMs;
  if (!tombstonesDue && !(await needsCleaning(segs, cleanable, state, config, now))) return stats;

  // Pass 0: which transactional batches were aborted, and which are still open (markers may be in any later segment).
  const txns = await transactionOutcomes(segs);
  const undecided = (h: { baseOffset: bigint }) => txns.aborted.has(h.baseOffset) || txns.open.has(h.baseOffset);
  // Pass 1: newest offset of every key in the cleanable range.
  const latest = new Map<string, bigint>();
  for (const seg of cleanable) {
    await forEachBatch(seg, async (batch) => {
      const h = readBatchHeader(batch);
      if (isControlBatch(h) || undecided(h)) return;
      for (const r of (await decodeRecordBatch(batch)).records) {
        if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset);
      }
    });
  }

  // Pass 2: rewrite runs of segments that fit one segment, swapping each in as soon as it is ready.
  const tombstoneHorizon = BigInt(now - config.deleteRetentionMs);
  let oldestKeptTombstone: bigint | null = null;
  const keepUntilHorizon = (timestamp: bigint) => {
    if (oldestKeptTombstone === null || timestamp < oldestKeptTombstone) oldestKeptTombstone = timestamp;
  };
  // Markers whose transaction still has records in the copies made so far (a marker follows its records).
  const neededMarkers = new Set<bigint>();
  // Once a run could not be swapped in, its old records stay: markers after it may be needed by them.
  let everyRunSwapped = true;
  for (const group of groupSegments(segs, cleanable, config.segmentBytes)) {
    const base = group[0]!.baseOffset;
    const end = segs[segs.indexOf(group[group.length - 1]!) + 1]!.baseOffset;
    const out = await LogSegment.create(host.dir, base, config.indexIntervalBytes, host.cache, host.fs, CLEANED_SUFFIX);
    out.active = true; // pinned until swapped in: the LRU must not unload it
    const ofd = await out.acquire();
    let bufs: Buffer[] = [];
    let bufBytes = 0;
    let groupBefore = 0;
    let groupRemoved = 0;
    try {
      const keep = async (b: Buffer) => {
        bufs.push(b);
        bufBytes += b.length;
        if (bufBytes >= WRITE_CHUNK) {
          await out.append(ofd, bufs);
          bufs = [];
          bufBytes = 0;
        }
      };
      for (const seg of group) {
        await forEachBatch(seg, async (batch) => {
          groupBefore += batch.length;
          const h = readBatchHeader(batch);
          if (isControlBatch(h)) {
            if (!txns.markers.has(h.baseOffset) || neededMarkers.has(h.baseOffset)) return keep(batch);
            if (everyRunSwapped && h.maxTimestamp < tombstoneHorizon) {
              groupRemoved += h.recordsCount;
              return;
            }
            keepUntilHorizon(h.maxTimestamp);
            return keep(batch);
          }
          if (txns.open.has(h.baseOffset)) return keep(batch);
          if (txns.aborted.has(h.baseOffset)) {
            groupRemoved += h.recordsCount;
            return;
          }
          const markerOf = txns.markerOf.get(h.baseOffset);
          const { records } = await decodeRecordBatch(batch);
          const kept = records.filter((r) => {
            if (r.key === null) return true;
            if (latest.get(r.key.toString('latin1')) !== r.offset) return false;
            if (r.value !== null) return true;
            if (r.timestamp < tombstoneHorizon) return false;
            keepUntilHorizon(r.timestamp);
            return true;
          });
          groupRemoved += records.length - kept.length;
          if (kept.length === 0) return;
          if (markerOf !== undefined) neededMarkers.add(markerOf);
          if (kept.length === records.length) return keep(batch);
          const rebuilt = await buildRecordBatch({
            baseOffset: h.baseOffset,
            records: kept.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, offsetDelta: r.offsetDelta })),
            compression: batchCompression(h),
            producerId: h.producerId,
            producerEpoch: h.producerEpoch,
            baseSequence: h.baseSequence,
            partitionLeaderEpoch: h.partitionLeaderEpoch,
            transactional: isTransactionalBatch(h),
            timestampType: batchTimestampType(h),
            lastOffsetDelta: h.lastOffsetDelta,
          });
          return keep(rebuilt);
        });
      }
      if (bufs.length > 0) await out.append(ofd, bufs);
      await out.flush(ofd);
      await out.writeIndexFiles();
    } catch (err) {
      out.release();
      await discard(out);
      // Retention or truncation removed a segment we were reading: stop; the next pass starts afresh.
      if (err instanceof SegmentGoneError) return stats;
      throw err;
    }

    const swapped = await host.exclusive(async () => {
      const current = host.segments();
      if (group.some((s) => !current.includes(s) || s.active)) return false;
      // Retire the old run and publish `out` (fd open, indexes in memory, still pinned) in one step,
      // so no reader can pair an old fd with new index files or reopen a path mid-rename.
      for (const old of group) await old.markDeleted(false);
      host.replace(group, out);
      await writeSwapMarker(host.fs, host.dir, base, end);
      await completeSwap(host.fs, host.dir, base, end);
      out.suffix = '';
      return true;
    });
    out.active = false;
    out.release();
    if (!swapped) {
      // The log changed under us (truncation, retention): throw the copy away.
      everyRunSwapped = false;
      await discard(out);
      continue;
    }
    stats.segmentsCleaned += group.length;
    stats.recordsRemoved += groupRemoved;
    stats.bytesBefore += groupBefore;
    stats.bytesAfter += out.size;
  }
  state.cleanedUpTo = cleanableEnd;
  state.nextTombstoneExpiryMs = oldestKeptTombstone === null ? null : Number(oldestKeptTombstone) + config.deleteRetentionMs + 1;
  return stats;
}

/**
 * Kafka's LogCleanerManager rule: clean when the dirty share of the cleanable range is above
 * min.cleanable.dirty.ratio, or when a dirty sealed segment's first batch is older than
 * max.compaction.lag.ms. Sealed segments are immutable, so with nothing dirty (no segment sealed
 * since the last pass) there is nothing to do. Segments below cleanedUpTo are the clean part.
 */
async function needsCleaning(
  segs: readonly LogSegment[],
  cleanable: readonly LogSegment[],
  state: CleanerState,
  config: LogConfig,
  now: number,
): Promise<boolean> {
  let clean = 0;
  let dirty = 0;
  for (const seg of cleanable) {
    if (seg.baseOffset < state.cleanedUpTo) clean += seg.size;
    else dirty += seg.size;
  }
  if (dirty === 0) return false;
  if (dirty / (clean + dirty) > config.minCleanableDirtyRatio) return true;
  const cleanUntil = now - config.maxCompactionLagMs;
  for (const seg of segs.slice(0, -1)) {
    if (seg.baseOffset < state.cleanedUpTo) continue;
    const ts = await firstBatchTimestamp(seg, state);
    if (ts > 0 && ts < cleanUntil) return true;
  }
  return false;
}

/** maxTimestamp of a segment's first batch (Kafka's LogSegment.getFirstBatchTimestamp); -1 if empty. */
async function firstBatchTimestamp(seg: LogSegment, state: CleanerState): Promise<number> {
  state.firstBatchTimestamps ??= new WeakMap();
  const known = state.firstBatchTimestamps.get(seg);
  if (known !== undefined) return known;
  const fd = await seg.acquire();
  let ts = -1;
  try {
    const first = await new SegmentScanner(seg.fs, fd, 0, seg.size, false, 4096).next();
    if (first !== null) ts = Number(readMaxTimestamp(first.buf, first.offset));
  } finally {
    seg.release();
  }
  // Sealed segments never change, so the answer holds for the segment's life.
  state.firstBatchTimestamps.set(seg, ts);
  return ts;
}

async function discard(out: LogSegment): Promise<void> {
  await out.markDeleted(true);
}

/** Consecutive runs of cleanable segments whose total size fits one segment and offsets one index. */
function groupSegments(all: readonly LogSegment[], cleanable: LogSegment[], segmentBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let cur: LogSegment[] = [];
  let curSize = 0;
  for (const seg of cleanable) {
    const next = all[all.indexOf(seg) + 1]!;
    const fits =
      cur.length > 0 && curSize + seg.size <= segmentBytes && next.baseOffset - 1n - cur[0]!.baseOffset <= MAX_RELATIVE_OFFSET;
    if (cur.length > 0 && !fits) {
      groups.push(cur);
      cur = [];
      curSize = 0;
    }
    cur.push(seg);
    curSize += seg.size;
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

interface TxnOutcomes {
  /** Base offsets of the data batches of aborted transactions. */
  readonly aborted: Set<bigint>;
  /** Base offsets of the data batches of transactions with no marker yet. */
  readonly open: Set<bigint>;
  /** Base offset of each COMMIT / ABORT marker. */
  readonly markers: Set<bigint>;
  /** The base offset of the marker that ended each committed data batch's transaction. */
  readonly markerOf: Map<bigint, bigint>;
}

/** Every transactional data batch's fate, from the COMMIT / ABORT marker that follows it in the log. */
async function transactionOutcomes(segs: readonly LogSegment[]): Promise<TxnOutcomes> {
  const pending = new Map<bigint, bigint[]>();
  const aborted = new Set<bigint>();
  const markers = new Set<bigint>();
  const markerOf = new Map<bigint, bigint>();
  for (const seg of segs) {
    await forEachBatch(seg, async (batch) => {
      const h = readBatchHeader(batch);
      if (!isTransactionalBatch(h)) return;
      if (!isControlBatch(h)) {
        const batches = pending.get(h.producerId);
        if (batches === undefined) pending.set(h.producerId, [h.baseOffset]);
        else batches.push(h.baseOffset);
        return;
      }
      const [marker] = (await decodeRecordBatch(batch)).records;
      const type = marker === undefined ? undefined : readControlRecord(marker).type;
      if (type !== ControlRecordType.abort && type !== ControlRecordType.commit) return;
      markers.add(h.baseOffset);
      const ended = pending.get(h.producerId) ?? [];
      pending.delete(h.producerId);
      for (const b of ended) {
        if (type === ControlRecordType.abort) aborted.add(b);
        else markerOf.set(b, h.baseOffset);
      }
    });
  }
  return { aborted, open: new Set([...pending.values()].flat()), markers, markerOf };
}

/** Calls `fn` with a private copy of every batch of `seg`, in order. */
async function forEachBatch(seg: LogSegment, fn: (batch: Buffer) => Promise<void>): Promise<void> {
  const fd = await seg.acquire();
  try {
    const scanner = new SegmentScanner(seg.fs, fd, 0, seg.size, true);
    for (let b = await scanner.next(); b !== null; b = await scanner.next()) {
      await fn(Buffer.from(b.buf.subarray(b.offset, b.offset + b.size)));
    }
  } finally {
    seg.release();
  }
}
