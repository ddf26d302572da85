// controller_mutation_rate as Kafka enforces it (KIP-599's ControllerMutationQuotaManager): a token
// bucket per matched entity — partitions created or deleted take tokens, tokens come back at the
// quota per second up to a burst of quota × quota.window.num × quota.window.size.seconds. A strict
// quota (CreateTopics v6+, CreatePartitions v3+, DeleteTopics v5+) refuses a topic once the bucket
// is empty; a permissive one (older versions) records and only throttles. Either way the request
// that drove the bucket negative earns a throttle time of the deficit ÷ the quota.
import { type QuotaSensorView, type ResolvedQuota, sensorEntityOf } from './client-quota-manager';
import type { RateWindowConfig } from './sampled-rate';

const INACTIVE_BUCKET_MS = 3_600_000;

interface Bucket {
  tokens: number;
  lastMs: number;
  limit: number;
}

/** One request's view of its client's bucket: what the CreateTopics / DeleteTopics / CreatePartitions handlers ask. */
export interface MutationQuota {
  /** True when the quota is strict and the bucket is already empty: the next topic fails with THROTTLING_QUOTA_EXCEEDED. */
  refused(): boolean;
  /** Takes `partitions` tokens for a topic created, grown or deleted (the bucket may go negative: that is the throttle); a negative count gives them back. */
  record(partitions: number): void;
  /** The throttle time the request earned (0 while the bucket is not in deficit). */
  throttleTimeMs(): number;
}

export class MutationQuotaManager {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burstSeconds: number;
  private lastSweepMs = 0;
  /** Requests that ended in deficit (throttled) since start. */
  throttledRequests = 0;
  /** The throttle time they earned, in ms. */
  throttleTimeMs = 0;

  constructor(window: RateWindowConfig) {
    this.burstSeconds = (window.samples * window.windowMs) / 1000;
  }

  /** A request's quota on the bucket of `quota`'s entity, read at `nowMs` (monotonic). */
  quotaFor(quota: ResolvedQuota, strict: boolean, nowMs: () => number): MutationQuota {
    return {
      refused: () => strict && this.refilled(quota, nowMs()).tokens < 0,
      record: (partitions) => {
        this.refilled(quota, nowMs()).tokens -= partitions;
      },
      throttleTimeMs: () => {
        const b = this.refilled(quota, nowMs());
        if (b.tokens >= 0) return 0;
        const ms = Math.ceil((-b.tokens / quota.limit) * 1000);
        this.throttledRequests += 1;
        this.throttleTimeMs += ms;
        return ms;
      },
    };
  }

  /** Every live bucket with its entity, quota and current use (tokens taken and not yet back, per second of burst). */
  *sensorViews(nowMs: number): Iterable<QuotaSensorView> {
    for (const [key, b] of this.buckets) {
      const burst = b.limit * this.burstSeconds;
      const tokens = Math.min(burst, b.tokens + ((nowMs - b.lastMs) / 1000) * b.limit);
      // As a rate: what the bucket is short of full, spread over the burst window.
      yield { ...sensorEntityOf(key), limit: b.limit, rate: (burst - tokens) / this.burstSeconds };
    }
  }

  private refilled(quota: ResolvedQuota, nowMs: number): Bucket {
    if (nowMs - this.lastSweepMs >= INACTIVE_BUCKET_MS) this.sweep(nowMs);
    const burst = quota.limit * this.burstSeconds;
    let b = this.buckets.get(quota.sensorKey);
    if (b === undefined) {
      b = { tokens: burst, lastMs: nowMs, limit: quota.limit };
      this.buckets.set(quota.sensorKey, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.lastMs) / 1000) * quota.limit);
    b.lastMs = nowMs;
    b.limit = quota.limit;
    return b;
  }

  private sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    for (const [k, b] of this.buckets) if (nowMs - b.lastMs >= INACTIVE_BUCKET_MS) this.buckets.delete(k);
  }
}

