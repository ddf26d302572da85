// The time seam of the broker: every timer and every "what time is it" goes through a Clock, so a
// test swaps SystemClock for ManualClock and runs session timeouts, long polls and retention in
// zero real milliseconds.

/** Stops a pending timer. True if this call stopped it; false if it already ran or was cancelled. */
export type Cancel = () => boolean;

export interface Clock {
  /** Wall-clock milliseconds since the epoch: record timestamps, retention.ms. May jump (NTP). */
  now(): number;
  /** Milliseconds on a clock that never goes backwards (arbitrary origin): elapsed time, deadlines. */
  monotonic(): number;
  /**
   * Runs `fn` once, no earlier than `delayMs` from now on the monotonic clock (negative = 0).
   * Never runs `fn` synchronously inside `schedule`, even for 0.
   */
  schedule(delayMs: number, fn: () => void): Cancel;
}

/** The part of a pino logger the clocks use (pino's own Logger satisfies it). */
export interface TimerLogger {
  error(obj: object, msg?: string): void;
}
