// Kafka's Rate arithmetic: the padded window of a fresh sensor, sample rollover and expiry, and the
// throttle time a recording over the quota earns.
import { describe, expect, it } from 'vitest';
import { ClientQuotaManager } from '../src/client-quota-manager';
import { SampledRate } from '../src/sampled-rate';

const W = { samples: 11, windowMs: 1000 };

describe('SampledRate', () => {
  it('a fresh sensor divides by samples-1 windows, not by the few ms it has existed', () => {
    const r = new SampledRate(W, 0);
    r.record(10_000, 5);
    expect(r.windowSizeMs(5)).toBe(10_005);
    expect(r.measure(5)).toBeCloseTo(10_000 / 10.005, 6);
  });

  it('past samples-1 windows the rate is over the time since the oldest sample', () => {
    const r = new SampledRate(W, 0);
    for (let t = 0; t < 10_500; t += 100) r.record(100, t);
    // 105 records of 100 bytes over 10.5 s
    expect(r.windowSizeMs(10_500)).toBe(10_500);
    expect(r.measure(10_500)).toBeCloseTo(1000, 6);
  });

  it('samples older than the whole window no longer count', () => {
    const r = new SampledRate(W, 0);
    r.record(1_000_000, 0);
    for (let t = 1000; t <= 12_000; t += 1000) r.record(0, t);
    expect(r.measure(12_000)).toBe(0);
  });

  it('a negative record takes a value back', () => {
    const r = new SampledRate(W, 0);
    r.record(5000, 10);
    r.record(-5000, 20);
    expect(r.measure(20)).toBe(0);
  });
});

describe('ClientQuotaManager', () => {
  const quota = { limit: 1000, sensorKey: 'u\u0000' };

  it('does not throttle within the quota', () => {
    const m = new ClientQuotaManager(W);
    expect(m.recordAndGetThrottleTimeMs(quota, 5000, 0)).toBe(0);
  });

  it('throttles (rate − quota) / quota × window once over it', () => {
    const m = new ClientQuotaManager(W);
    // 20 000 bytes over the padded 10 s window = 2000 B/s, twice the quota: 10 s of throttle.
    expect(m.recordAndGetThrottleTimeMs(quota, 20_000, 0)).toBe(10_000);
    // 11 000 bytes: 1100 B/s, 10 % over: 1 s.
    const m2 = new ClientQuotaManager(W);
    expect(m2.recordAndGetThrottleTimeMs(quota, 11_000, 0)).toBe(1000);
  });

  it('caps the throttle time at one whole window', () => {
    const m = new ClientQuotaManager(W);
    expect(m.recordAndGetThrottleTimeMs(quota, 10_000_000, 0)).toBe(11_000);
  });

  it('sensors are per matched entity: two keys are measured apart', () => {
    const m = new ClientQuotaManager(W);
    m.recordAndGetThrottleTimeMs(quota, 9000, 0);
    expect(m.recordAndGetThrottleTimeMs({ limit: 1000, sensorKey: 'v\u0000' }, 9000, 0)).toBe(0);
    expect(m.recordAndGetThrottleTimeMs(quota, 9000, 0)).toBeGreaterThan(0);
  });

  it('the most one response may carry is the quota over samples-1 windows', () => {
    expect(new ClientQuotaManager(W).maxValueInQuotaWindow(quota)).toBe(10_000);
  });

  it('a client held to its throttle times averages the quota over a long run', () => {
    const m = new ClientQuotaManager(W);
    let t = 0;
    let sent = 0;
    // A greedy client: 4 KiB requests, each sent as soon as its throttle time is over.
    while (t < 600_000) {
      sent += 4096;
      t += Math.max(1, m.recordAndGetThrottleTimeMs({ limit: 100_000, sensorKey: 'x' }, 4096, t));
    }
    expect(sent / (t / 1000)).toBeGreaterThan(100_000 * 0.98);
    expect(sent / (t / 1000)).toBeLessThan(100_000 * 1.05);
  });
});
