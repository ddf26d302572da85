// One quota type's sensors (Kafka's ClientQuotaManager for produce, fetch or request time): a
// SampledRate per matched entity, and the throttle time a recording earns once the rate passes the
// quota: (rate − quota) / quota × the window the rate was measured over, at most the whole window.
import { type RateWindowConfig, SampledRate } from './sampled-rate';

/** Kafka drops a quota sensor nobody recorded into for an hour (ClientQuotaManager's inactive sensor expiry). */
const INACTIVE_SENSOR_MS = 3_600_000;

/** The quota that applies to a request, and the sensor it is measured on (shared by every client it covers). */
export interface ResolvedQuota {
  readonly limit: number;
  readonly sensorKey: string;
}

interface Sensor {
  readonly rate: SampledRate;
  lastRecordMs: number;
  /** The quota last measured against (a stored change shows from the next request on). */
  limit: number;
}

/** A sensor's key: the user and client id it measures ('' where the matched quota does not name that part). */
export function sensorKey(user: string, clientId: string): string {
  return `${user}\u0000${clientId}`;
}

/** The user and client id a sensor key was made of. */
export function sensorEntityOf(key: string): { user: string; clientId: string } {
  const cut = key.indexOf('\u0000');
  return { user: key.slice(0, cut), clientId: key.slice(cut + 1) };
}

/** One entity's sensor as metrics show it: whom it measures, its quota and the rate now. */
export interface QuotaSensorView {
  /** The user the sensor is keyed on ('' when the quota is not per user). */
  readonly user: string;
  /** The client id the sensor is keyed on ('' when the quota is not per client id). */
  readonly clientId: string;
  readonly limit: number;
  readonly rate: number;
}

export class ClientQuotaManager {
  private readonly sensors = new Map<string, Sensor>();
  private lastSweepMs = 0;
  /** Kafka's maxThrottleTimeMs: one whole quota window. */
  readonly maxThrottleTimeMs: number;
  /** Recordings that earned a throttle time, since start (Kafka's throttle-time sensor count). */
  throttledRequests = 0;
  /** The throttle time those recordings earned, in ms, since start. */
  throttleTimeMs = 0;

  constructor(private readonly window: RateWindowConfig) {
    this.maxThrottleTimeMs = window.samples * window.windowMs;
  }

  /**
   * Records `value` against the quota's sensor at `nowMs` and returns the throttle time in ms
   * (0 while the rate is within the quota). The value counts even when it is over, as in Kafka.
   */
  recordAndGetThrottleTimeMs(quota: ResolvedQuota, value: number, nowMs: number): number {
    const sensor = this.sensor(quota.sensorKey, nowMs);
    sensor.limit = quota.limit;
    sensor.rate.record(value, nowMs);
    const rate = sensor.rate.measure(nowMs);
    if (rate <= quota.limit) return 0;
    const throttleMs = Math.min(Math.round(((rate - quota.limit) / quota.limit) * sensor.rate.windowSizeMs(nowMs)), this.maxThrottleTimeMs);
    if (throttleMs > 0) {
      this.throttledRequests += 1;
      this.throttleTimeMs += throttleMs;
    }
    return throttleMs;
  }

  /** Every live sensor with its entity, quota and current rate (read at scrape time). */
  *sensorViews(nowMs: number): Iterable<QuotaSensorView> {
    for (const [key, s] of this.sensors) {
      yield { ...sensorEntityOf(key), limit: s.limit, rate: s.rate.measure(nowMs) };
    }
  }

  /** Takes back a recorded value (a throttled Fetch answers without its records, so they were not sent). */
  unrecord(quota: ResolvedQuota, value: number, nowMs: number): void {
    this.sensor(quota.sensorKey, nowMs).rate.record(-value, nowMs);
  }

  /** The rate the sensor measures now (0 for a sensor that does not exist): for metrics and tests. */
  rate(sensorKey: string, nowMs: number): number {
    return this.sensors.get(sensorKey)?.rate.measure(nowMs) ?? 0;
  }

  /**
   * Kafka's getMaxValueInQuotaWindow: the most one response may carry (limit × (samples − 1) windows),
   * so a single Fetch cannot take more than the quota allows over the padded window.
   */
  maxValueInQuotaWindow(quota: ResolvedQuota): number {
    return (quota.limit * (this.window.samples - 1) * this.window.windowMs) / 1000;
  }

  /** Drops every sensor: the entities they were keyed on may have changed. */
  clear(): void {
    this.sensors.clear();
  }

  get sensorCount(): number {
    return this.sensors.size;
  }

  private sensor(key: string, nowMs: number): Sensor {
    if (nowMs - this.lastSweepMs >= INACTIVE_SENSOR_MS) this.sweep(nowMs);
    let s = this.sensors.get(key);
    if (s === undefined) {
      s = { rate: new SampledRate(this.window, nowMs), lastRecordMs: nowMs, limit: 0 };
      this.sensors.set(key, s);
    }
    s.lastRecordMs = nowMs;
    return s;
  }

  private sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    for (const [k, s] of this.sensors) if (nowMs - s.lastRecordMs >= INACTIVE_SENSOR_MS) this.sensors.delete(k);
  }
}
