// Cluster-wide tenant storage limits: every publish interval (mq.tenant.usage.publish.interval.ms)
// this broker measures each tenant's bytes on the partitions it leads and, when a figure changed
// since its last report, publishes them all (`{"acme": 1234}`) as its BrokerReports key — under a
// lease of its own, so a dead broker's figures go when etcd expires it. The other brokers' reports,
// summed per tenant, are what TenantStorageMeter adds to this broker's own share. At most one etcd
// put per broker per interval, none while nothing changes; never a metadata record.
import type { BrokerReports } from '@mq/controller';
import type { Tenants } from '@mq/quota';
import type { TenantStorageMeter } from '@mq/server';
import type { Cancel, Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';

export const TENANT_USAGE_REPORTS = 'tenant-usage';
export const DEFAULT_TENANT_USAGE_PUBLISH_INTERVAL_MS = 1_000;

export interface ClusterTenantUsageOptions {
  readonly reports: BrokerReports;
  readonly tenants: Tenants;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export class ClusterTenantUsage {
  private readonly o: ClusterTenantUsageOptions;
  /** Per tenant: the bytes every other broker reports, summed. */
  private sums = new Map<string, number>();
  private published = '';
  private meter: TenantStorageMeter | undefined;
  private cancel: Cancel | undefined;
  private closed = false;

  constructor(o: ClusterTenantUsageOptions) {
    this.o = o;
    o.reports.onChange(() => this.resum());
  }

  /** Reads the other brokers' reports, then publishes this broker's shares of `meter` every interval. */
  async start(meter: TenantStorageMeter): Promise<void> {
    this.meter = meter;
    await this.o.reports.start();
    this.resum();
    this.tick();
  }

  /** What the other brokers' leaders of `tenant`'s partitions hold (0 when none reports it). */
  othersBytes(tenant: string): number {
    return this.sums.get(tenant) ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancel?.();
    await this.o.reports.close();
  }

  private tick(): void {
    if (this.closed) return;
    const meter = this.meter!;
    const shares: Record<string, number> = {};
    for (const t of this.o.tenants.definitions) shares[t.name] = meter.local(t);
    const value = JSON.stringify(shares);
    if (value !== this.published) {
      this.published = value;
      void this.o.reports.publish(value);
    }
    this.cancel = this.o.clock.schedule(this.o.intervalMs, () => this.tick());
  }

  private resum(): void {
    const sums = new Map<string, number>();
    for (const [nodeId, value] of this.o.reports.reports()) {
      let shares: unknown;
      try {
        shares = JSON.parse(value);
      } catch {
        shares = undefined;
      }
      if (typeof shares !== 'object' || shares === null) {
        this.o.logger.warn({ nodeId }, 'a broker’s tenant usage report is not a JSON object; not counted');
        continue;
      }
      for (const [tenant, bytes] of Object.entries(shares)) {
        if (typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0) sums.set(tenant, (sums.get(tenant) ?? 0) + bytes);
      }
    }
    this.sums = sums;
  }
}
