// Per-tenant metrics on the broker's registry, sampled at scrape time from the tenants' running
// totals and quota sensors (the request path only adds to numbers): bytes produced and fetched by
// each tenant's principals, the storage its topics hold against its limit and the Produce entries
// refused at that limit, and each tenant quota's rate, limit and throttles.
import { Counter, Gauge, type Registry } from 'prom-client';

/** One tenant as the metrics read it. */
export interface TenantMetricsView {
  readonly tenant: string;
  readonly producedBytes: number;
  readonly fetchedBytes: number;
  readonly storageBytes: number;
  /** In a cluster: what the storage limit is checked against (this broker's leaders and the other brokers' reports); else undefined. */
  readonly clusterStorageBytes?: number | undefined;
  /** Undefined without a storage limit. */
  readonly storageLimitBytes: number | undefined;
  readonly storageRefusals: number;
  /** Connections of the tenant's principals open on this broker now. */
  readonly connections: number;
  /** Undefined without a connection limit. */
  readonly maxConnections: number | undefined;
  readonly connectionRefusals: number;
  readonly quotas: readonly { readonly quota: string; readonly limit: number; readonly rate: number; readonly throttledRequests: number; readonly throttleTimeMs: number }[];
}

export function registerTenantMetrics(registry: Registry, tenants: () => Iterable<TenantMetricsView>): void {
  const registers = [registry];
  const perTenant = (kind: 'counter' | 'gauge', name: string, help: string, value: (t: TenantMetricsView) => number | undefined) => {
    const Metric = kind === 'counter' ? Counter : Gauge;
    new Metric({
      name,
      help,
      labelNames: ['tenant'],
      registers,
      collect(this: Counter | Gauge) {
        this.reset();
        for (const t of tenants()) {
          const v = value(t);
          if (v === undefined) continue;
          if (this instanceof Gauge) this.set({ tenant: t.tenant }, v);
          else this.inc({ tenant: t.tenant }, v);
        }
      },
    });
  };
  perTenant('counter', 'mq_tenant_produced_bytes_total', 'Produce request bytes sent by the tenant’s principals', (t) => t.producedBytes);
  perTenant('gauge', 'mq_tenant_connections', 'Connections of the tenant’s principals open on this broker (counted once the principal is known)', (t) => t.connections);
  perTenant('gauge', 'mq_tenant_max_connections', 'The tenant’s maxConnections on this broker (no series without one)', (t) => t.maxConnections);
  perTenant('counter', 'mq_tenant_connection_refusals_total', 'Connections closed because the tenant was at its maxConnections', (t) => t.connectionRefusals);
  perTenant('counter', 'mq_tenant_fetched_bytes_total', 'Record bytes fetched by the tenant’s principals (consumers, not followers)', (t) => t.fetchedBytes);
  perTenant('gauge', 'mq_tenant_storage_bytes', 'Bytes the tenant’s topics (names under its resource prefix) hold on this broker', (t) => t.storageBytes);
  perTenant('gauge', 'mq_tenant_cluster_storage_bytes', 'In a cluster: the bytes the tenant’s topics hold cluster-wide as this broker counts them (its leaders and the other brokers’ reports), what the storage limit is checked against', (t) => t.clusterStorageBytes);
  perTenant('gauge', 'mq_tenant_storage_limit_bytes', 'The tenant’s storage limit (cluster-wide in a cluster; no series without one)', (t) => t.storageLimitBytes);
  perTenant('counter', 'mq_tenant_storage_refusals_total', 'Produce requests refused POLICY_VIOLATION because the tenant was at its storage limit', (t) => t.storageRefusals);
  const perQuota = (kind: 'counter' | 'gauge', name: string, help: string, value: (q: TenantMetricsView['quotas'][number]) => number) => {
    const Metric = kind === 'counter' ? Counter : Gauge;
    new Metric({
      name,
      help,
      labelNames: ['tenant', 'quota'],
      registers,
      collect(this: Counter | Gauge) {
        this.reset();
        for (const t of tenants()) {
          for (const q of t.quotas) {
            if (this instanceof Gauge) this.set({ tenant: t.tenant, quota: q.quota }, value(q));
            else this.inc({ tenant: t.tenant, quota: q.quota }, value(q));
          }
        }
      },
    });
  };
  perQuota('gauge', 'mq_tenant_quota_rate', 'The tenant’s measured rate against its quota (bytes/s, or % of the event loop for request_percentage), all its principals together', (q) => q.rate);
  perQuota('gauge', 'mq_tenant_quota_limit', 'The tenant’s quota, in the units of mq_tenant_quota_rate', (q) => q.limit);
  perQuota('counter', 'mq_tenant_quota_throttled_requests_total', 'Requests of the tenant’s principals its tenant quota throttled', (q) => q.throttledRequests);
  perQuota('counter', 'mq_tenant_quota_throttle_time_seconds_total', 'Throttle time the tenant quota gave', (q) => q.throttleTimeMs / 1000);
}
