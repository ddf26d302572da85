// Client quota metrics on the broker's registry, all sampled at scrape time from the quota managers
// (the request path only adds to two numbers when it throttles): requests throttled and the throttle
// time they earned per quota type (Kafka's throttle-time sensors), and each measured entity's rate
// beside its quota (Kafka's byte-rate / request-time sensors per user and client id).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSources } from './metric-sources';

export function registerQuotaMetrics(registry: Registry, sources: Pick<MetricSources, 'clientQuotas'>): void {
  const registers = [registry];
  new Counter({
    name: 'mq_quota_throttled_requests_total',
    help: 'Requests that earned a throttle time, by quota (producer_byte_rate, consumer_byte_rate, request_percentage)',
    labelNames: ['quota'],
    registers,
    collect() {
      this.reset();
      for (const q of sources.clientQuotas()) this.inc({ quota: q.quota }, q.throttledRequests);
    },
  });
  new Counter({
    name: 'mq_quota_throttle_time_seconds_total',
    help: 'Throttle time given to clients (throttle_time_ms, then the channel muted), by quota',
    labelNames: ['quota'],
    registers,
    collect() {
      this.reset();
      for (const q of sources.clientQuotas()) this.inc({ quota: q.quota }, q.throttleTimeMs / 1000);
    },
  });
  const perEntity = (name: string, help: string, value: (s: { limit: number; rate: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['quota', 'user', 'client_id'],
      registers,
      collect() {
        this.reset();
        for (const q of sources.clientQuotas()) for (const s of q.sensors) this.set({ quota: q.quota, user: s.user, client_id: s.clientId }, value(s));
      },
    });
  perEntity(
    'mq_quota_rate',
    "A quota entity's measured rate (bytes/s, or % of the event loop for request_percentage), by quota, user and client id ('' where the quota does not name them)",
    (s) => s.rate,
  );
  perEntity('mq_quota_limit', 'The quota a measured entity is held to, in the units of mq_quota_rate', (s) => s.limit);
}
