// Opening a log directory: finish interrupted compaction swaps, drop temp files, load segments, and
// after an unclean shutdown rescan every segment from the recovery point (CRC + offset order),
// truncating a torn or corrupt tail and rebuilding indexes. Nothing fully written and flushed is lost,
// and whatever recovery cuts is logged (partition, file, byte, records, offsets). After a clean
// shutdown the open reads no segment and syncs nothing: the marker says where the log ends.
import { basename } from 'node:path';
import { type LogConfig, syncsWrites } from './log-config';
import type { LogLogger } from './log-logger';
import { LogSegment, type RebuildResult } from './log-segment';
import type { OpenSegmentCache } from './open-segment-cache';
import type { FileSystem } from './file-system';
import { isNotFound, unlinkIfExists, writeFileAtomic } from './fs-ops';
import { makeDirectory } from './make-directory';
import {
  CHECKPOINT_FILE,
  CLEAN_SHUTDOWN_FILE,
  CLEANED_SUFFIX,
  type CleanShutdownState,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SWAP_MARKER_SUFFIX,
  TIME_INDEX_SUFFIX,
  decodeCleanShutdown,
  encodeCleanShutdown,
  parseSegmentName,
  readCheckpoint,
  segmentName,
  writeCheckpoint,
} from './segment-files';
import { completeSwap, readSwapMarker } from './segment-swap';

export interface LoadedLog {
  segments: LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  /** Segments rescanned and bytes cut from torn/corrupt tails (0 after a clean shutdown). */
  recoveredSegments: number;
  truncatedBytes: number;
  /** The clean-shutdown marker is still on disk: it must go, durably, before the first write. */
  cleanMarker: boolean;
  /** Open created files: the directory must be synced before the first write is acknowledged. */
  dirDirty: boolean;
}

export async function loadLog(dir: string, config: LogConfig, cache: OpenSegmentCache, logger: LogLogger, fs: FileSystem): Promise<LoadedLog> {
  let files = await listOrCreate(fs, dir);
  if (files.some((f) => parseSegmentName(f, SWAP_MARKER_SUFFIX) !== null)) {
    for (const f of files) {
      const base = parseSegmentName(f, SWAP_MARKER_SUFFIX);
      if (base === null) continue;
      const end = await readSwapMarker(fs, dir, f);
      if (end === null) await unlinkIfExists(fs, `${dir}/${f}`);
      else await completeSwap(fs, dir, base, end);
    }
    files = await fs.readdir(dir);
  }
  const logBases = new Set<bigint>();
  for (const f of files) {
    if (f.endsWith('.tmp') || f.endsWith(CLEANED_SUFFIX)) {
      await unlinkIfExists(fs, `${dir}/${f}`);
      continue;
    }
    const b = parseSegmentName(f, LOG_SUFFIX);
    if (b !== null) logBases.add(b);
  }
  for (const f of files) {
    const b = parseSegmentName(f, INDEX_SUFFIX) ?? parseSegmentName(f, TIME_INDEX_SUFFIX);
    if (b !== null && !logBases.has(b)) await unlinkIfExists(fs, `${dir}/${f}`);
  }

  const clean = files.includes(CLEAN_SHUTDOWN_FILE);
  const bases = [...logBases].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segments: LogSegment[] = [];
  for (const base of bases) {
    const seg = new LogSegment(dir, base, 0, config.indexIntervalBytes, cache, fs);
    seg.size = fs.statSync(seg.logPath).size;
    seg.fileLength = seg.size;
    segments.push(seg);
  }
  const hasCheckpoint = files.includes(CHECKPOINT_FILE);
  if (segments.length === 0) {
    const checkpoint = hasCheckpoint ? await readCheckpoint(fs, dir) : null;
    // A new (or wholly deleted) log: one empty segment, nothing to recover, nothing to sync yet.
    const start = checkpoint && checkpoint.logStartOffset > 0n ? checkpoint.logStartOffset : 0n;
    segments.push(await LogSegment.create(dir, start, config.indexIntervalBytes, cache, fs, '', syncsWrites(config)));
    return { segments, logStartOffset: start, logEndOffset: start, recoveredSegments: 0, truncatedBytes: 0, cleanMarker: clean, dirDirty: true };
  }
  const active = segments[segments.length - 1]!;
  // Before any open of it: the fd recovery opens is the one appends then use.
  active.syncWrites = syncsWrites(config);
  if (clean) {
    const state = readCleanShutdown(fs, dir);
    if (state !== null && state.activeBaseOffset === active.baseOffset && state.activeSize === active.size && state.logEndOffset >= active.baseOffset) {
      active.active = true;
      active.deferredIndexes = true;
      const logStartOffset = clampStart(state.logStartOffset, segments[0]!.baseOffset, state.logEndOffset);
      return { segments, logStartOffset, logEndOffset: state.logEndOffset, recoveredSegments: 0, truncatedBytes: 0, cleanMarker: true, dirDirty: false };
    }
  }

  const checkpoint = hasCheckpoint ? await readCheckpoint(fs, dir) : null;
  const name = basename(dir);
  let recoveredSegments = 0;
  let truncatedBytes = 0;
  let activeNext: bigint | null | undefined;
  if (!clean) {
    const recoveryPoint = checkpoint?.recoveryPoint ?? 0n;
    let i = 0;
    while (i + 1 < segments.length && segments[i + 1]!.baseOffset <= recoveryPoint) i++;
    for (; i < segments.length; i++) {
      const seg = segments[i]!;
      const fd = await seg.acquire();
      try {
        const res = await seg.rebuild(fd, true);
        recoveredSegments++;
        truncatedBytes += res.truncatedBytes;
        const isLast = i === segments.length - 1;
        if (res.truncation) reportTruncation(logger, name, seg, res, !isLast);
        reportZeroTail(logger, name, seg, res);
        if (!isLast) await seg.writeIndexFiles();
        if (isLast) activeNext = res.nextOffset;
        if (res.truncatedBytes > 0 && !isLast) {
          // Everything after a corrupt point is unreachable in offset order: drop it (Kafka does too).
          for (const later of segments.splice(i + 1)) {
            truncatedBytes += later.size;
            await dropSegment(logger, name, later);
          }
          activeNext = res.nextOffset;
        }
      } finally {
        seg.release();
      }
    }
  }

  const last = segments[segments.length - 1]!;
  const fd = await last.acquire();
  try {
    if (activeNext === undefined) {
      try {
        // Load the indexes a clean shutdown left before marking the segment active: ensureIndexes
        // refuses active segments, and that refusal used to force a full CRC rescan on every reopen.
        await last.ensureIndexes(fd);
        activeNext = await last.nextOffsetFromTail(fd);
      } catch {
        const res = await last.rebuild(fd, true);
        truncatedBytes += res.truncatedBytes;
        if (res.truncation) reportTruncation(logger, name, last, res, false);
        reportZeroTail(logger, name, last, res);
        activeNext = res.nextOffset;
      }
    }
    last.active = true;
  } finally {
    last.release();
  }
  const logEndOffset = activeNext ?? last.baseOffset;
  const logStartOffset = clampStart(checkpoint?.logStartOffset ?? 0n, segments[0]!.baseOffset, logEndOffset);
  if (!clean || truncatedBytes > 0 || checkpoint?.logStartOffset !== logStartOffset || checkpoint.recoveryPoint !== last.baseOffset) {
    await writeCheckpoint(fs, dir, { logStartOffset, recoveryPoint: last.baseOffset });
  }
  return { segments, logStartOffset, logEndOffset, recoveredSegments, truncatedBytes, cleanMarker: clean, dirDirty: false };
}

/** Written by a clean close, after everything is flushed: the next open may skip recovery. */
export async function markCleanShutdown(fs: FileSystem, dir: string, state: CleanShutdownState): Promise<void> {
  await writeFileAtomic(fs, dir, CLEAN_SHUTDOWN_FILE, encodeCleanShutdown(state));
}

// The listing, stats and marker of a clean open are read with synchronous calls: a handful of
// syscalls (microseconds each) cost less than a thread-pool round trip apiece, and opening 10,000
// logs was bound by those round trips (4 pool threads), not by the disk.
async function listOrCreate(fs: FileSystem, dir: string): Promise<string[]> {
  try {
    return fs.readdirSync(dir);
  } catch {
    // Missing (a new log) or unusable: makeDirectory creates it or names the real cause (EROFS,
    // ENOTDIR, procfs...); if the directory did exist, listing it again throws its own error.
    await makeDirectory(dir, fs);
    return fs.readdirSync(dir);
  }
}

function readCleanShutdown(fs: FileSystem, dir: string): CleanShutdownState | null {
  try {
    return decodeCleanShutdown(fs.readFileSync(`${dir}/${CLEAN_SHUTDOWN_FILE}`).toString('utf8'));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function clampStart(candidate: bigint, firstBase: bigint, logEndOffset: bigint): bigint {
  const start = candidate > firstBase ? candidate : firstBase;
  return start > logEndOffset ? logEndOffset : start;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** One line per cut: a torn tail of the last segment is a warning; corruption in a sealed one an error. */
function reportTruncation(logger: LogLogger, partition: string, seg: LogSegment, res: RebuildResult, sealed: boolean): void {
  const t = res.truncation!;
  const { records, lastOffset, complete } = t.dropped;
  const range = lastOffset === null ? `from offset ${t.firstDroppedOffset} (no readable batch header)` : `offsets ${t.firstDroppedOffset}–${lastOffset}`;
  const file = `${segmentName(seg.baseOffset)}${LOG_SUFFIX}`;
  const fields = {
    partition,
    segment: file,
    position: t.position,
    truncatedBytes: res.truncatedBytes,
    droppedRecords: records,
    firstDroppedOffset: t.firstDroppedOffset.toString(),
    lastDroppedOffset: lastOffset?.toString() ?? null,
    reason: t.reason,
  };
  const msg =
    `recovery truncated partition ${partition} segment ${file} at byte ${t.position}` +
    `${t.position === 0 ? ' (segment now empty)' : ''}: dropped ${complete ? '' : 'at least '}${fmt(records)} records, ${range}` +
    ` (${fmt(res.truncatedBytes)} bytes; ${t.reason})`;
  if (sealed) logger.error(fields, msg);
  else logger.warn(fields, msg);
}

/** Preallocated space found after a crash is no data: one info line, so the trim is never silent. */
function reportZeroTail(logger: LogLogger, partition: string, seg: LogSegment, res: RebuildResult): void {
  if (res.zeroTailBytes === 0) return;
  const file = `${segmentName(seg.baseOffset)}${LOG_SUFFIX}`;
  logger.info(
    { partition, segment: file, position: seg.size, zeroTailBytes: res.zeroTailBytes },
    `recovery trimmed ${fmt(res.zeroTailBytes)} zero bytes (preallocated, never written) after byte ${seg.size} of partition ${partition} segment ${file}`,
  );
}

/** Removes a segment that follows a corrupt point, saying what it held. */
async function dropSegment(logger: LogLogger, partition: string, seg: LogSegment): Promise<void> {
  const fd = await seg.acquire();
  let held: Awaited<ReturnType<LogSegment['describeContents']>>;
  try {
    held = await seg.describeContents(fd);
  } finally {
    seg.release();
  }
  const file = `${segmentName(seg.baseOffset)}${LOG_SUFFIX}`;
  const range = held.lastOffset === null ? 'no readable batch' : `offsets ${seg.baseOffset}–${held.lastOffset}`;
  logger.error(
    {
      partition,
      segment: file,
      truncatedBytes: seg.size,
      droppedRecords: held.records,
      firstDroppedOffset: seg.baseOffset.toString(),
      lastDroppedOffset: held.lastOffset?.toString() ?? null,
    },
    `recovery deleted partition ${partition} segment ${file} after a corrupt point: dropped ${held.complete ? '' : 'at least '}${fmt(held.records)} records, ${range} (${fmt(seg.size)} bytes)`,
  );
  await seg.markDeleted(true);
}
