// Injected time: `now()` and one-shot timers, so the state machine runs on a fake clock in tests.
// Every session/rebalance timeout is one timer, cancelled or rescheduled on activity (no polling).
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  schedule(delayMs: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    // Group timers never keep a process alive on their own.
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
