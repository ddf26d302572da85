// File naming inside a log directory: `<20-digit baseOffset>.log|.index|.timeindex`, plus the
// compaction suffixes (.cleaned, swap markers) and the small checkpoint / clean-shutdown files.
import type { FileSystem } from './file-system';
import { isNotFound, writeFileAtomic } from './fs-ops';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_MARKER_SUFFIX = '.swap';
export const CHECKPOINT_FILE = 'log.checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';

export function segmentName(baseOffset: bigint): string {
  return baseOffset.toString().padStart(20, '0');
}

/** Parses `<20 digits><suffix>`; null when the name is something else. */
export function parseSegmentName(file: string, suffix: string): bigint | null {
  if (!file.endsWith(suffix)) return null;
  const stem = file.slice(0, -suffix.length);
  return /^\d{20}$/.test(stem) ? BigInt(stem) : null;
}

export interface LogCheckpoint {
  logStartOffset: bigint;
  /** Segments with baseOffset below this were flushed with their indexes: recovery skips them. */
  recoveryPoint: bigint;
}

export async function readCheckpoint(fs: FileSystem, dir: string): Promise<LogCheckpoint | null> {
  try {
    const text = (await fs.readFile(`${dir}/${CHECKPOINT_FILE}`)).toString('utf8');
    const [lso, rp] = text.trim().split(/\s+/);
    if (lso === undefined || rp === undefined || !/^-?\d+$/.test(lso) || !/^-?\d+$/.test(rp)) return null;
    return { logStartOffset: BigInt(lso), recoveryPoint: BigInt(rp) };
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export function writeCheckpoint(fs: FileSystem, dir: string, cp: LogCheckpoint): Promise<void> {
  return writeFileAtomic(fs, dir, CHECKPOINT_FILE, Buffer.from(`${cp.logStartOffset} ${cp.recoveryPoint}\n`));
}

/**
 * What a clean close knew, kept in the clean-shutdown marker so the next open needs no segment
 * read: trusted only while the active segment still has exactly `activeSize` bytes.
 */
export interface CleanShutdownState {
  logStartOffset: bigint;
  logEndOffset: bigint;
  activeBaseOffset: bigint;
  activeSize: number;
}

export function encodeCleanShutdown(s: CleanShutdownState): Buffer {
  return Buffer.from(`v1 ${s.logStartOffset} ${s.logEndOffset} ${s.activeBaseOffset} ${s.activeSize}\n`);
}

/** The marker's state, or null for an empty/older/unreadable marker (open then reads the tail). */
export function decodeCleanShutdown(text: string): CleanShutdownState | null {
  const m = /^v1 (\d+) (\d+) (\d+) (\d+)\s*$/.exec(text);
  if (m === null) return null;
  return { logStartOffset: BigInt(m[1]!), logEndOffset: BigInt(m[2]!), activeBaseOffset: BigInt(m[3]!), activeSize: Number(m[4]!) };
}
