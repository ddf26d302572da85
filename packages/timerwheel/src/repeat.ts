// setInterval on a Clock, with fixed delay: the next run is scheduled intervalMs after the previous
// one finished (an async run is awaited), so a slow flush or retention pass never overlaps itself.
import type { Cancel, Clock } from './clock';
import { checkInterval } from './delay';

export interface RepeatOptions {
  /** Gets a run's error (thrown or rejected); without it the error goes to the clock's error path. */
  readonly onError?: (err: unknown) => void;
}

/** Runs `fn` every `intervalMs` (a returned promise is awaited first) until the returned Cancel is called; a failing run does not stop it. */
export function repeat(clock: Clock, intervalMs: number, fn: () => unknown, opts: RepeatOptions = {}): Cancel {
  checkInterval('repeat intervalMs', intervalMs);
  let stopped = false;
  let cancelNext: Cancel | null = null;
  const scheduleNext = () => {
    if (!stopped) cancelNext = clock.schedule(intervalMs, run);
  };
  const fail = (err: unknown) => {
    if (opts.onError !== undefined) opts.onError(err);
    // A rejection has no timer callback to throw from: report it through a 0 ms timer, so the
    // clock's error path (logger, or uncaught on the next tick) sees it like a synchronous throw.
    else
      clock.schedule(0, () => {
        throw err;
      });
  };
  const run = () => {
    cancelNext = null;
    let result: unknown;
    try {
      result = fn();
    } catch (err) {
      scheduleNext();
      if (opts.onError !== undefined) opts.onError(err);
      else throw err;
      return;
    }
    if (isThenable(result)) {
      result.then(scheduleNext, (err: unknown) => {
        scheduleNext();
        fail(err);
      });
    } else {
      scheduleNext();
    }
  };
  scheduleNext();
  return () => {
    if (stopped) return false;
    stopped = true;
    cancelNext?.();
    cancelNext = null;
    return true;
  };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
