// A clock for tests: time moves only when the test calls advance(ms), which runs every timer due
// by then synchronously and in deadline order — also those that fired callbacks schedule.
import type { Cancel, Clock } from './clock';
import { checkDelay } from './delay';
import { Timer } from './timer';

export interface ManualClockOptions {
  /** Monotonic time at start, ms (default 0). */
  readonly startMs?: number;
  /** Wall-clock time (`now()`) at start, ms since the epoch (default: equal to startMs). */
  readonly wallMs?: number;
}

export class ManualClock implements Clock {
  private readonly timer: Timer;
  private mono: number;
  private wallOffset: number;
  private advancing = false;

  constructor(opts: ManualClockOptions = {}) {
    this.mono = opts.startMs ?? 0;
    if (!Number.isFinite(this.mono) || this.mono < 0) throw new RangeError(`ManualClock startMs must be ≥ 0, got ${this.mono}`);
    this.wallOffset = (opts.wallMs ?? this.mono) - this.mono;
    this.timer = new Timer({ startMs: Math.floor(this.mono) });
  }

  now(): number {
    return this.monotonic() + this.wallOffset;
  }

  /** While advance() runs a callback, the time is that callback's deadline. */
  monotonic(): number {
    return this.advancing ? Math.max(this.mono, this.timer.currentMs) : this.mono;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const e = this.timer.add(Math.ceil(this.monotonic() + checkDelay(delayMs)), fn);
    return () => this.timer.cancel(e);
  }

  /** Pending timers. */
  get pending(): number {
    return this.timer.size;
  }

  /**
   * Moves time forward by `ms`, running every timer due by then, in order. Throws, after all due
   * timers ran, the error of a callback that threw (an AggregateError if several did).
   * Returns how many callbacks ran.
   */
  advance(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance takes a finite number of ms ≥ 0, got ${String(ms)}`);
    }
    if (this.advancing) throw new Error('ManualClock.advance called from inside a timer callback');
    const target = this.mono + ms;
    const errors: unknown[] = [];
    let ran: number;
    this.advancing = true;
    try {
      ran = this.timer.advanceTo(Math.floor(target), (err) => errors.push(err));
    } finally {
      this.advancing = false;
      this.mono = target;
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} timer callbacks threw`);
    return ran;
  }

  /** Steps the wall clock only (an NTP correction): monotonic time and timers are unaffected. */
  setWallTime(wallMs: number): void {
    this.wallOffset = wallMs - this.monotonic();
  }
}
