// Watches the process's open files against its limit. EMFILE on accept is invisible to the broker:
// libuv's reserve-fd trick accepts and closes the pending connections without an error reaching
// Node, so clients see dropped connections and nothing is logged. Sampling /proc/self/fd once a
// second (about a millisecond at 4,096 fds) turns that into a WARN line while it lasts.
import { readdirSync } from 'node:fs';
import { type Clock, SystemClock, repeat } from '@mq/timerwheel';
import { softOpenFileLimit } from './fd-limit';

export interface FdWatchLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface FdWatchOptions {
  readonly intervalMs?: number;
  /** Soft RLIMIT_NOFILE; read from /proc/self/limits when omitted. */
  readonly limit?: number;
  /** The broker's clock (default a SystemClock of its own). */
  readonly clock?: Clock;
}

/** At or above this share of the limit, accepts and opens are about to fail (or already do). */
const HIGH_WATER = 0.95;
/** Below this share after a warning, one INFO line says it is over. */
const LOW_WATER = 0.8;
/** While the process stays at its limit, repeat the warning this often. */
const REPEAT_MS = 60_000;

/** Open fds of this process; `atLimit` when even the listing could not get one (EMFILE). */
export function countOpenFiles(): number | 'atLimit' | undefined {
  try {
    // The listing's own directory fd is in it: not one of ours.
    return readdirSync('/proc/self/fd').length - 1;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EMFILE' ? 'atLimit' : undefined;
  }
}

/** Starts the watch (a repeat on the clock; never keeps the process alive); stop() ends it. A no-op where /proc is missing. */
export function watchOpenFiles(logger: FdWatchLogger, opts: FdWatchOptions = {}): { stop(): void } {
  const limit = opts.limit ?? softOpenFileLimit();
  if (limit === undefined || countOpenFiles() === undefined) return { stop() {} };
  const clock = opts.clock ?? new SystemClock();
  let warnedAt: number | undefined;
  const check = (): void => {
    const counted = countOpenFiles();
    if (counted === undefined) return;
    const open = counted === 'atLimit' ? limit : counted;
    const now = clock.monotonic();
    if (open >= limit * HIGH_WATER) {
      if (warnedAt !== undefined && now - warnedAt < REPEAT_MS) return;
      warnedAt = now;
      logger.warn(
        { openFiles: open, limit },
        `open files at ${open} of the limit ${limit} (ulimit -n): new connections are dropped on accept (EMFILE) and segment opens fail; raise ulimit -n or lower log.max.open.files`,
      );
    } else if (warnedAt !== undefined && open < limit * LOW_WATER) {
      warnedAt = undefined;
      logger.info({ openFiles: open, limit }, `open files back to ${open} of the limit ${limit}`);
    }
  };
  const stop = repeat(clock, opts.intervalMs ?? 1_000, check);
  return { stop: () => void stop() };
}
