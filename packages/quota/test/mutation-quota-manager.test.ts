// controller_mutation_rate's token bucket on a hand-driven clock: the burst, the refill, strict
// refusal once empty, a permissive quota that only throttles, the throttle time from the deficit.
import { describe, expect, it } from 'vitest';
import { MutationQuotaManager, type ResolvedQuota } from '../src/index';

const WINDOW = { samples: 11, windowMs: 1000 };
const QUOTA: ResolvedQuota = { limit: 2, sensorKey: 'alice\u0000' }; // 2 partitions/s, burst 22

describe('MutationQuotaManager', () => {
  it('lets a burst of quota × window through, then a strict quota refuses until tokens come back', () => {
    const m = new MutationQuotaManager(WINDOW);
    let now = 0;
    const q = m.quotaFor(QUOTA, true, () => now);
    expect(q.refused()).toBe(false);
    q.record(20);
    expect(q.refused()).toBe(false); // 2 tokens left
    q.record(6); // one topic may overshoot: −4
    expect(q.refused()).toBe(true);
    // −4 at 2 per second: 2 s of throttle.
    expect(q.throttleTimeMs()).toBe(2000);
    now = 1000;
    expect(q.refused()).toBe(true); // −2
    now = 2000;
    expect(q.refused()).toBe(false); // 0: not in deficit
    expect(q.throttleTimeMs()).toBe(0);
    expect(m.throttledRequests).toBe(1);
    expect(m.throttleTimeMs).toBe(2000);
  });

  it('a permissive quota never refuses; the deficit still throttles; the bucket refills only to the burst', () => {
    const m = new MutationQuotaManager(WINDOW);
    let now = 0;
    const q = m.quotaFor(QUOTA, false, () => now);
    q.record(30);
    expect(q.refused()).toBe(false);
    expect(q.throttleTimeMs()).toBe(4000); // −8 at 2/s
    now = 600_000; // long idle: back to 22 tokens, not more
    q.record(22);
    expect(q.throttleTimeMs()).toBe(0);
    q.record(1);
    expect(q.throttleTimeMs()).toBe(500);
  });

  it('shows each bucket as a rate against its quota', () => {
    const m = new MutationQuotaManager(WINDOW);
    const q = m.quotaFor(QUOTA, true, () => 0);
    q.record(11);
    expect([...m.sensorViews(0)]).toEqual([{ user: 'alice', clientId: '', limit: 2, rate: 1 }]); // half the burst taken, over 11 s
  });
});
