// Opening a log directory: finish interrupted compaction swaps, drop temp files, load segments, and
// after an unclean shutdown rescan every segment from the recovery point (CRC + offset order),
// truncating a torn or corrupt tail and rebuilding indexes. Nothing fully written and flushed is lost.
import { promises as fsp } from 'node:fs';
import type { LogConfig } from './log-config';
import { LogSegment } from './log-segment';
import type { OpenSegmentCache } from './open-segment-cache';
import { isNotFound, syncDir, writeFileAtomic } from './fs-ops';
import { makeDirectory } from './make-directory';
import {
  CLEAN_SHUTDOWN_FILE,
  CLEANED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SWAP_MARKER_SUFFIX,
  TIME_INDEX_SUFFIX,
  parseSegmentName,
  readCheckpoint,
  unlinkIfExists,
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
}

export async function loadLog(dir: string, config: LogConfig, cache: OpenSegmentCache<LogSegment>): Promise<LoadedLog> {
  await makeDirectory(dir);
  for (const f of await fsp.readdir(dir)) {
    const base = parseSegmentName(f, SWAP_MARKER_SUFFIX);
    if (base === null) continue;
    const end = await readSwapMarker(dir, f);
    if (end === null) await unlinkIfExists(`${dir}/${f}`);
    else await completeSwap(dir, base, end);
  }
  const files = await fsp.readdir(dir);
  const logBases = new Set<bigint>();
  for (const f of files) {
    if (f.endsWith('.tmp') || f.endsWith(CLEANED_SUFFIX)) {
      await unlinkIfExists(`${dir}/${f}`);
      continue;
    }
    const b = parseSegmentName(f, LOG_SUFFIX);
    if (b !== null) logBases.add(b);
  }
  for (const f of files) {
    const b = parseSegmentName(f, INDEX_SUFFIX) ?? parseSegmentName(f, TIME_INDEX_SUFFIX);
    if (b !== null && !logBases.has(b)) await unlinkIfExists(`${dir}/${f}`);
  }

  const clean = await fileExists(`${dir}/${CLEAN_SHUTDOWN_FILE}`);
  const checkpoint = await readCheckpoint(dir);
  const bases = [...logBases].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segments: LogSegment[] = [];
  for (const base of bases) {
    const seg = new LogSegment(dir, base, 0, config.indexIntervalBytes, cache);
    seg.size = (await fsp.stat(seg.logPath)).size;
    segments.push(seg);
  }
  if (segments.length === 0) {
    const start = checkpoint && checkpoint.logStartOffset > 0n ? checkpoint.logStartOffset : 0n;
    const seg = await LogSegment.create(dir, start, config.indexIntervalBytes, cache);
    await seg.writeIndexFiles();
    segments.push(seg);
    await syncDir(dir);
  }

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
        if (!isLast) await seg.writeIndexFiles();
        if (isLast) activeNext = res.nextOffset;
        if (res.truncatedBytes > 0 && !isLast) {
          // Everything after a corrupt point is unreachable in offset order: drop it (Kafka does too).
          for (const later of segments.splice(i + 1)) {
            truncatedBytes += later.size;
            await later.markDeleted(true);
          }
          activeNext = res.nextOffset;
        }
      } finally {
        seg.release();
      }
    }
  }

  const active = segments[segments.length - 1]!;
  const fd = await active.acquire();
  try {
    if (activeNext === undefined) {
      try {
        // Load the indexes a clean shutdown left before marking the segment active: ensureIndexes
        // refuses active segments, and that refusal used to force a full CRC rescan on every reopen.
        await active.ensureIndexes(fd);
        activeNext = await active.nextOffsetFromTail(fd);
      } catch {
        const res = await active.rebuild(fd, true);
        truncatedBytes += res.truncatedBytes;
        activeNext = res.nextOffset;
      }
    }
    active.active = true;
  } finally {
    active.release();
  }
  const logEndOffset = activeNext ?? active.baseOffset;
  const first = segments[0]!.baseOffset;
  let logStartOffset = checkpoint && checkpoint.logStartOffset > first ? checkpoint.logStartOffset : first;
  if (logStartOffset > logEndOffset) logStartOffset = logEndOffset;

  await writeCheckpoint(dir, { logStartOffset, recoveryPoint: active.baseOffset });
  if (clean) {
    // Must be gone durably before any write, or a later crash would look like a clean shutdown.
    await unlinkIfExists(`${dir}/${CLEAN_SHUTDOWN_FILE}`);
    await syncDir(dir);
  }
  return { segments, logStartOffset, logEndOffset, recoveredSegments, truncatedBytes };
}

export async function markCleanShutdown(dir: string): Promise<void> {
  await writeFileAtomic(dir, CLEAN_SHUTDOWN_FILE, Buffer.alloc(0));
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await fsp.access(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
