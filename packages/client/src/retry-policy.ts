// Retries with exponential backoff and jitter for retriable Kafka errors and dropped connections.
// Time and randomness are injected so tests can drive it without real sleeps.

export interface RetryOptions {
  /** Attempts after the first; default 5. */
  retries?: number;
  /** First backoff; default 100 ms. */
  initialBackoffMs?: number;
  /** Ceiling for one backoff; default 1000 ms. */
  maxBackoffMs?: number;
  /** Growth factor per attempt; default 2. */
  multiplier?: number;
  /** ± fraction of random spread so clients do not retry in lockstep; default 0.2. */
  jitter?: number;
}

export interface RetryDeps {
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Backoff before attempt `attempt` (1 = first retry). */
export function backoffMs(attempt: number, opts: RetryOptions = {}, random: () => number = Math.random): number {
  const initial = opts.initialBackoffMs ?? 100;
  const max = opts.maxBackoffMs ?? 1000;
  const mult = opts.multiplier ?? 2;
  const jitter = opts.jitter ?? 0.2;
  const base = Math.min(max, initial * mult ** (attempt - 1));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

export class RetryPolicy {
  readonly retries: number;
  constructor(
    private readonly opts: RetryOptions = {},
    private readonly deps: RetryDeps = realRetryDeps,
  ) {
    this.retries = opts.retries ?? 5;
  }

  /**
   * Runs `fn` until it succeeds, `isRetriable(err)` is false, or retries run out (the last error
   * is thrown). `beforeRetry` runs after the backoff, e.g. to refresh metadata.
   */
  async run<T>(
    fn: (attempt: number) => Promise<T>,
    isRetriable: (err: unknown) => boolean,
    beforeRetry?: (err: unknown) => Promise<void> | void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        if (attempt >= this.retries || !isRetriable(err)) throw err;
        await this.deps.sleep(backoffMs(attempt + 1, this.opts, this.deps.random));
        if (beforeRetry) await beforeRetry(err);
      }
    }
  }
}
