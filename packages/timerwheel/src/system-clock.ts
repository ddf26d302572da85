// The real clock: wall time from Date.now(), monotonic time from performance.now(), and every
// timer in one hierarchical wheel driven by ONE Node timer, armed for the next non-empty bucket.
import { performance } from 'node:perf_hooks';
import type { Cancel, Clock, TimerLogger } from './clock';
import { checkDelay } from './delay';
import { Timer } from './timer';

/** Node caps a timer's delay at 2^31-1 ms (longer ones fire after 1 ms): longer waits re-arm. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;
/** Catch-up rounds of one wake-up before yielding to the event loop. */
const MAX_ROUNDS_PER_WAKE = 16;

export interface SystemClockOptions {
  /** Keep the process alive while timers are pending (default false, like an unref'd setTimeout). */
  readonly keepAlive?: boolean;
  /**
   * Where a throwing callback is reported (the broker passes its pino logger). Without one the error
   * is rethrown on the next tick — an uncaught exception, as from a throwing setTimeout callback.
   */
  readonly logger?: TimerLogger;
  /** Buckets per wheel level (default 64). */
  readonly wheelSize?: number;
}

export class SystemClock implements Clock {
  private readonly timer: Timer;
  private readonly keepAlive: boolean;
  private readonly logger: TimerLogger | undefined;
  private handle: NodeJS.Timeout | null = null;
  /** When the armed Node timer fires (wheel ms); Infinity when none is armed. */
  private armedAt = Number.POSITIVE_INFINITY;
  private firing = false;
  private readonly onWake = () => this.wake();
  private readonly report = (err: unknown) => this.reportError(err);

  constructor(opts: SystemClockOptions = {}) {
    this.keepAlive = opts.keepAlive ?? false;
    this.logger = opts.logger;
    this.timer = new Timer({ startMs: Math.floor(performance.now()), wheelSize: opts.wheelSize ?? 64 });
  }

  now(): number {
    return Date.now();
  }

  monotonic(): number {
    return performance.now();
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    // Rounded up: a timer may fire up to a tick late, never early.
    const e = this.timer.add(Math.ceil(performance.now() + checkDelay(delayMs)), fn);
    if (!this.firing) this.arm();
    return () => {
      const cancelled = this.timer.cancel(e);
      if (cancelled && this.timer.size === 0) this.disarm();
      return cancelled;
    };
  }

  /** Pending timers. */
  get pending(): number {
    return this.timer.size;
  }

  /** Whether a Node timer is armed (tests: no timer is left behind when nothing is pending). */
  get armed(): boolean {
    return this.handle !== null;
  }

  /** Cancels every pending timer (broker shutdown). */
  cancelAll(): void {
    this.timer.clear();
    this.disarm();
  }

  private wake(): void {
    this.handle = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    this.firing = true;
    try {
      // Firing takes time: what fell due meanwhile runs now instead of after another trip through
      // the event loop (as Node's own timer list does), bounded so I/O is never starved for long.
      for (let round = 0; round < MAX_ROUNDS_PER_WAKE; round++) {
        const now = Math.floor(performance.now());
        this.timer.advanceTo(now, this.report);
        const next = this.timer.nextExpiration();
        if (next === undefined || next > Math.floor(performance.now())) break;
      }
    } finally {
      this.firing = false;
      // Even if the logger threw out of advanceTo: what is still pending needs a Node timer.
      this.arm();
    }
  }

  /**
   * Arms for the next non-empty bucket unless the armed timer fires no later. A cancel never
   * re-arms (that would cost a clearTimeout + setTimeout per cancel): if the armed bucket empties,
   * that one wake-up finds nothing due and arms for the next non-empty bucket.
   */
  private arm(): void {
    const next = this.timer.nextExpiration();
    if (next === undefined) {
      this.disarm();
      return;
    }
    if (this.handle !== null && this.armedAt <= next) return;
    if (this.handle !== null) clearTimeout(this.handle);
    const now = performance.now();
    const delay = Math.min(MAX_NODE_DELAY_MS, Math.max(0, Math.ceil(next - now)));
    this.handle = setTimeout(this.onWake, delay);
    if (!this.keepAlive) this.handle.unref();
    // A capped delay wakes before `next` (and re-arms then).
    this.armedAt = Math.min(next, Math.floor(now) + delay);
  }

  private disarm(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private reportError(err: unknown): void {
    if (this.logger !== undefined) this.logger.error({ err }, 'timer callback threw');
    else
      process.nextTick(() => {
        throw err;
      });
  }
}
