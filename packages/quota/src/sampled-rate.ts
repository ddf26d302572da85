// Kafka's Rate over a SampledStat (org.apache.kafka.common.metrics.stats): `samples` windows of
// `windowMs` each; the rate is their sum over the time they span, padded to samples-1 full windows
// so a fresh sensor does not read a huge rate off its first few bytes — or, as Kafka's SimpleRate
// (the replication quota's), padded to one window only. Times are monotonic ms.

export interface RateWindowConfig {
  /** quota.window.num */
  readonly samples: number;
  /** quota.window.size.seconds, in ms */
  readonly windowMs: number;
  /**
   * Kafka's SimpleRate: the span is padded to one window, not samples-1, so a throttle bites after
   * one window's worth instead of letting a fresh sensor burst for (samples-1) windows.
   */
  readonly simple?: boolean;
}

/** Invariant: `starts[i]` is when sample i began; `current` is the one being recorded into. */
export class SampledRate {
  private readonly starts: number[];
  private readonly values: number[];
  private current = 0;

  constructor(
    private readonly config: RateWindowConfig,
    nowMs: number,
  ) {
    this.starts = new Array<number>(config.samples).fill(nowMs);
    this.values = new Array<number>(config.samples).fill(0);
  }

  /** Adds `value` at `nowMs` (negative to take back what was recorded, as Kafka's unrecord). */
  record(value: number, nowMs: number): void {
    if (nowMs - this.starts[this.current]! >= this.config.windowMs) {
      // SampledStat.advance: the next slot is reused for a sample that begins now.
      this.current = (this.current + 1) % this.config.samples;
      this.starts[this.current] = nowMs;
      this.values[this.current] = 0;
    }
    this.values[this.current]! += value;
  }

  /** Per second over the sampled windows (bytes/s for byte rates, percent for request time). */
  measure(nowMs: number): number {
    const total = this.total(nowMs);
    return (total * 1000) / this.windowSizeMs(nowMs);
  }

  /** From the oldest sample still held to now (unpadded). */
  elapsedMs(nowMs: number): number {
    this.purgeObsolete(nowMs);
    let oldest = this.starts[0]!;
    for (const s of this.starts) if (s < oldest) oldest = s;
    return nowMs - oldest;
  }

  /** The bytes (or units) the samples still hold. */
  total(nowMs: number): number {
    this.purgeObsolete(nowMs);
    let sum = 0;
    for (const v of this.values) sum += v;
    return sum;
  }

  /** Rate.windowSize: from the oldest sample to now, at least samples-1 full windows (SimpleRate: one). */
  windowSizeMs(nowMs: number): number {
    let elapsed = this.elapsedMs(nowMs);
    if (this.config.simple === true) return Math.max(elapsed, this.config.windowMs);
    const fullWindows = Math.floor(elapsed / this.config.windowMs);
    const minFullWindows = this.config.samples - 1;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * this.config.windowMs;
    return elapsed;
  }

  /** Samples older than the whole window (samples × windowMs) are reset to start now, empty. */
  private purgeObsolete(nowMs: number): void {
    const expireAge = this.config.samples * this.config.windowMs;
    for (let i = 0; i < this.starts.length; i++) {
      if (nowMs - this.starts[i]! >= expireAge) {
        this.starts[i] = nowMs;
        this.values[i] = 0;
      }
    }
  }
}
