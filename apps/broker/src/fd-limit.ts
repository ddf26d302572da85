// The process's soft open-file limit (RLIMIT_NOFILE), which sizes the default log.max.open.files:
// segment fds take at most half of it, so sockets, index reads and checkpoints keep the rest.
import { readFileSync } from 'node:fs';

/** Used when the limit cannot be read (not Linux) or is unlimited. */
const FALLBACK_MAX_OPEN_FILES = 1_024;
/** Fewer would thrash the LRU on a handful of partitions; the broker needs fds for sockets anyway. */
const MIN_MAX_OPEN_FILES = 32;

/** Soft "Max open files" from /proc/self/limits, or undefined. */
export function softOpenFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (m === null || m[1] === 'unlimited') return undefined;
  return Number(m[1]);
}

/** The default log.max.open.files of this process. */
export function defaultMaxOpenFiles(): number {
  return maxOpenFilesFor(softOpenFileLimit());
}

export function maxOpenFilesFor(softLimit: number | undefined): number {
  if (softLimit === undefined) return FALLBACK_MAX_OPEN_FILES;
  return Math.max(MIN_MAX_OPEN_FILES, Math.floor(softLimit / 2));
}
