// Filesystem failures of one log, logged at ERROR with the partition, dir and errno — once per
// second per operation and errno, later repeats counted into the next line — so an EMFILE or
// ENOSPC storm is reported without flooding the broker's log.
import type { Clock } from '@mq/timerwheel';
import { type LogLogger, describeErrno, errnoCode } from './log-logger';

/** Repeats of one storage error within this window are counted, not logged line by line. */
const ERROR_LOG_INTERVAL_MS = 1_000;

export class StorageErrorReporter {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: LogLogger,
    private readonly partition: string,
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  /** `msg` replaces the default "<what> on partition P failed: ERRNO (reading)". */
  report(what: string, err: unknown, fields: Record<string, unknown>, msg?: string): void {
    const errno = errnoCode(err);
    const key = `${what}:${errno ?? 'other'}`;
    const now = this.clock.monotonic();
    const last = this.seen.get(key);
    if (last !== undefined && now - last.at < ERROR_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    this.seen.set(key, { at: now, suppressed: 0 });
    const suppressed = last?.suppressed ?? 0;
    this.logger.error(
      { partition: this.partition, dir: this.dir, errno, err, ...fields, ...(suppressed > 0 ? { suppressed } : {}) },
      `${msg ?? `${what} on partition ${this.partition} failed: ${describeErrno(err)}`}${suppressed > 0 ? ` (${suppressed} more since the last report)` : ''}`,
    );
  }
}
