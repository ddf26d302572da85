// Kafka's ReplicationQuotaManager: one byte rate per broker and direction (leader: what it serves to
// throttled followers; follower: what it fetches for throttled replicas), measured as Kafka's
// SimpleRate over replication.quota.window.num samples of replication.quota.window.size.seconds.
// The bound (leader/follower.replication.throttled.rate) changes live; the samples are kept.
import type { Clock } from '@mq/timerwheel';
import { SampledRate } from './sampled-rate';

/** Kafka's default bound, Long.MAX_VALUE: no throttle. Any bound this large or above is none. */
export const UNLIMITED_REPLICATION_RATE = Number.MAX_SAFE_INTEGER;

export interface ReplicationQuotaWindow {
  /** replication.quota.window.num (Kafka: 11) */
  readonly samples: number;
  /** replication.quota.window.size.seconds (Kafka: 1) */
  readonly windowSeconds: number;
}

export const DEFAULT_REPLICATION_QUOTA_WINDOW: ReplicationQuotaWindow = { samples: 11, windowSeconds: 1 };

export class ReplicationQuotaManager {
  /**
   * Made at the first bytes recorded, as Kafka's sensor is: made with the broker, its samples would
   * all start then, and a first throttled move seconds later would be measured over that whole span
   * (a burst of span × rate before the bound bites).
   */
  private rate: SampledRate | undefined;
  private bound = UNLIMITED_REPLICATION_RATE;
  private recorded = 0;

  constructor(
    private readonly clock: Pick<Clock, 'monotonic'>,
    private readonly window: ReplicationQuotaWindow = DEFAULT_REPLICATION_QUOTA_WINDOW,
  ) {}

  /** The bound in bytes/s (UNLIMITED_REPLICATION_RATE: none). */
  get bytesPerSecond(): number {
    return this.bound;
  }

  /** A new bound (leader/follower.replication.throttled.rate changed); takes effect at the next check. */
  updateQuota(bytesPerSecond: number): void {
    this.bound = bytesPerSecond >= UNLIMITED_REPLICATION_RATE ? UNLIMITED_REPLICATION_RATE : Math.max(0, bytesPerSecond);
  }

  /** Bytes moved for throttled replicas; counted whether or not the quota is exceeded (Kafka's record). */
  record(bytes: number): void {
    if (bytes <= 0) return;
    this.recorded += bytes;
    const now = this.clock.monotonic();
    this.rate ??= new SampledRate({ samples: this.window.samples, windowMs: this.window.windowSeconds * 1000, simple: true }, now);
    this.rate.record(bytes, now);
  }

  /** Every byte recorded since start (the throttled replicas' traffic, for the broker's metrics). */
  get recordedBytes(): number {
    return this.recorded;
  }

  /** The measured rate over the sampled windows, bytes/s (0 before anything was recorded). */
  measure(): number {
    return this.rate?.measure(this.clock.monotonic()) ?? 0;
  }

  /** Kafka's sensor.checkQuotas(): the measured rate is above the bound. */
  isQuotaExceeded(): boolean {
    if (this.bound >= UNLIMITED_REPLICATION_RATE) return false;
    return this.measure() > this.bound;
  }

  /**
   * About how long until the rate is back within the bound if nothing more is recorded (0: it is):
   * the span the recorded bytes need at the bound, less the time they already span (samples that
   * expire meanwhile only make it sooner; the caller checks again). A follower waits this long
   * (capped by its backoff) instead of polling.
   */
  throttleTimeMs(): number {
    if (!this.isQuotaExceeded()) return 0;
    const now = this.clock.monotonic();
    if (this.bound <= 0) return Number.POSITIVE_INFINITY;
    const rate = this.rate!;
    const needMs = (rate.total(now) * 1000) / this.bound;
    return Math.max(1, Math.ceil(needMs - rate.elapsedMs(now)));
  }
}
