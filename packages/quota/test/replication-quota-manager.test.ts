// The replication quota's sampler (Kafka's SimpleRate under ReplicationQuotaManager) on a fake clock:
// padded to one window only, exceeded above the bound, the time until it is not, live bound changes.
import { describe, expect, it } from 'vitest';
import { ReplicationQuotaManager, UNLIMITED_REPLICATION_RATE } from '../src/replication-quota-manager';
import { SampledRate } from '../src/sampled-rate';

class FakeClock {
  now = 1_000;
  monotonic(): number {
    return this.now;
  }
}

const MB = 1_048_576;

describe('SampledRate (simple)', () => {
  it('a fresh sensor divides by one window, not samples-1', () => {
    const r = new SampledRate({ samples: 11, windowMs: 1000, simple: true }, 0);
    r.record(1000, 5);
    expect(r.windowSizeMs(5)).toBe(1000);
    expect(r.measure(5)).toBe(1000);
    // Past one window: the time since the oldest sample.
    expect(r.windowSizeMs(2500)).toBe(2500);
    expect(r.measure(2500)).toBe(400);
  });

  it('samples older than samples × window stop counting, so the rate recovers', () => {
    const r = new SampledRate({ samples: 3, windowMs: 1000, simple: true }, 0);
    r.record(3000, 0);
    for (let t = 1000; t <= 4000; t += 1000) r.record(0, t);
    expect(r.total(4000)).toBe(0);
    expect(r.measure(4000)).toBe(0);
  });
});

describe('ReplicationQuotaManager', () => {
  it('keeps the total of what it recorded, whatever the samples (for the metrics)', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock, { samples: 2, windowSeconds: 1 });
    q.record(500);
    q.record(-3);
    clock.now += 60_000;
    q.record(250);
    expect(q.recordedBytes).toBe(750);
  });

  it('is never exceeded without a bound (Long.MAX_VALUE, the default)', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock);
    expect(q.bytesPerSecond).toBe(UNLIMITED_REPLICATION_RATE);
    q.record(1_000 * MB);
    expect(q.isQuotaExceeded()).toBe(false);
    expect(q.throttleTimeMs()).toBe(0);
  });

  it('is exceeded once more than one window’s worth at the bound was recorded', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock);
    q.updateQuota(2 * MB);
    q.record(MB);
    expect(q.isQuotaExceeded()).toBe(false);
    q.record(MB);
    expect(q.isQuotaExceeded()).toBe(false); // exactly at the bound: within it
    q.record(1);
    expect(q.isQuotaExceeded()).toBe(true);
  });

  it('the throttle time is when the bytes recorded fit the bound again', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock, { samples: 11, windowSeconds: 1 });
    q.updateQuota(MB);
    q.record(4 * MB); // 4 MB at 1 MB/s: the rate is within it 4 s after the sensor began
    clock.now += 500;
    expect(q.isQuotaExceeded()).toBe(true);
    const wait = q.throttleTimeMs();
    expect(wait).toBe(3500);
    clock.now += wait;
    expect(q.measure()).toBeCloseTo(MB, 0);
    expect(q.isQuotaExceeded()).toBe(false);
  });

  it('over a long steady transfer the measured rate is the bytes over the time they took', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock);
    q.updateQuota(2 * MB);
    // A follower that fetches 512 KiB whenever the quota allows, checked every 50 ms.
    let moved = 0;
    const start = clock.now;
    while (clock.now - start < 20_000) {
      if (!q.isQuotaExceeded()) {
        q.record(MB / 2);
        moved += MB / 2;
      }
      clock.now += 50;
    }
    const rate = moved / 20;
    expect(rate).toBeGreaterThan(1.8 * MB);
    expect(rate).toBeLessThan(2.3 * MB);
  });

  it('a quota made long before its first bytes allows no burst of that span', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock);
    q.updateQuota(2 * MB);
    // The broker started 8 s ago; the first throttled move begins now.
    clock.now += 8_000;
    q.record(MB);
    q.record(MB);
    q.record(MB);
    expect(q.isQuotaExceeded()).toBe(true);
  });

  it('a new bound applies at the next check, the samples kept', () => {
    const clock = new FakeClock();
    const q = new ReplicationQuotaManager(clock);
    q.updateQuota(MB);
    q.record(3 * MB);
    expect(q.isQuotaExceeded()).toBe(true);
    q.updateQuota(10 * MB);
    expect(q.isQuotaExceeded()).toBe(false);
    q.updateQuota(UNLIMITED_REPLICATION_RATE + 1);
    expect(q.bytesPerSecond).toBe(UNLIMITED_REPLICATION_RATE);
    q.updateQuota(0);
    expect(q.isQuotaExceeded()).toBe(true); // 3 MB recorded, none allowed
    expect(q.throttleTimeMs()).toBe(Number.POSITIVE_INFINITY);
  });
});
