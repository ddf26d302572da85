// The broker's tenants (tenant.ts): which tenant a principal belongs to and which owns a resource,
// the tenant quotas' sensors (one per tenant and quota type, shared by its principals), and what
// each tenant did since start — bytes produced and fetched, throttles, storage refusals — for the
// per-tenant metrics. With no tenant defined, `enabled` is false and nothing else is asked.
// The definitions may be replaced while the broker runs (tenants stored in the metadata store change
// on any broker): the lookups start over, the running totals and sensors of a kept name stay.
import { type ResolvedQuota, ClientQuotaManager } from './client-quota-manager';
import type { QuotaWindow } from './client-quotas';
import { DEFAULT_QUOTA_WINDOW } from './client-quotas';
import { TENANT_QUOTA_KEYS, type TenantDefinition, type TenantQuotaKey, validateTenants } from './tenant';

/** What one tenant did since the broker started. */
export interface TenantUsage {
  producedBytes: number;
  fetchedBytes: number;
  /** Produce requests (per topic) refused because the tenant's topics were at its storage limit. */
  storageRefusals: number;
  /** Connections of the tenant's principals open now (counted once the principal is known). */
  connections: number;
  /** Connections closed because the tenant was at its maxConnections. */
  connectionRefusals: number;
}

/** One tenant quota's state, read at scrape time. */
export interface TenantQuotaView {
  readonly quota: TenantQuotaKey;
  readonly limit: number;
  /** The tenant's measured rate now (all its principals together). */
  readonly rate: number;
  readonly throttledRequests: number;
  readonly throttleTimeMs: number;
}

/** Principal → tenant lookups kept before the cache starts over. */
const MAX_CACHED_PRINCIPALS = 10_000;

export class Tenants {
  private defs: readonly TenantDefinition[] = [];
  private anyStorageLimit = false;
  readonly managers: Readonly<Record<TenantQuotaKey, ClientQuotaManager>>;
  private readonly usage = new Map<string, TenantUsage>();
  /** Per tenant and quota type: throttles that tenant quota earned. */
  private readonly throttles = new Map<string, { requests: number; ms: number }>();
  private readonly byPrincipal = new Map<string, TenantDefinition | null>();

  constructor(definitions: readonly TenantDefinition[], window: QuotaWindow = DEFAULT_QUOTA_WINDOW) {
    const w = { samples: window.samples, windowMs: window.windowSeconds * 1000 };
    this.managers = { producer_byte_rate: new ClientQuotaManager(w), consumer_byte_rate: new ClientQuotaManager(w), request_percentage: new ClientQuotaManager(w) };
    this.replace(definitions);
  }

  /** The tenants, longest principal prefix first. */
  get definitions(): readonly TenantDefinition[] {
    return this.defs;
  }

  get enabled(): boolean {
    return this.defs.length > 0;
  }

  /** Whether some tenant has a storage limit (else Produce skips the storage check). */
  get storageLimited(): boolean {
    return this.anyStorageLimit;
  }

  /**
   * Replaces the definitions (checked as one list first: an InvalidConfigError leaves them as they
   * were). A tenant kept by name keeps its totals and connection count; a removed one's go.
   */
  replace(definitions: readonly TenantDefinition[]): void {
    // Longest principal prefix first: the first match is the most specific tenant.
    const defs = validateTenants(definitions).sort((a, b) => b.principalPrefix.length - a.principalPrefix.length);
    const names = new Set(defs.map((t) => t.name));
    for (const name of [...this.usage.keys()]) if (!names.has(name)) this.usage.delete(name);
    for (const t of defs) if (!this.usage.has(t.name)) this.usage.set(t.name, { producedBytes: 0, fetchedBytes: 0, storageRefusals: 0, connections: 0, connectionRefusals: 0 });
    this.defs = defs;
    this.anyStorageLimit = defs.some((t) => t.storageLimitBytes !== undefined);
    this.byPrincipal.clear();
  }

  /** The tenant `principal` (`User:acme-alice`) belongs to, or undefined. */
  of(principal: string): TenantDefinition | undefined {
    let t = this.byPrincipal.get(principal);
    if (t === undefined) {
      t = this.defs.find((d) => principal.startsWith(d.principalPrefix)) ?? null;
      if (this.byPrincipal.size >= MAX_CACHED_PRINCIPALS) this.byPrincipal.clear();
      this.byPrincipal.set(principal, t);
    }
    return t ?? undefined;
  }

  /** The tenant whose resource prefix `resourceName` starts with, or undefined. */
  ownerOf(resourceName: string): TenantDefinition | undefined {
    return this.defs.find((d) => resourceName.startsWith(d.resourcePrefix));
  }

  /** The tenant quota of `key` that applies to `principal`, measured on the tenant's one sensor; null when none. */
  quotaFor(key: TenantQuotaKey, principal: string): ResolvedQuota | null {
    const t = this.of(principal);
    const limit = t?.quotas?.[key];
    return t === undefined || limit === undefined ? null : { limit, sensorKey: t.name };
  }

  /**
   * Counts a connection of `principal` against its tenant's maxConnections: the tenant's name (give
   * it back with releaseConnection once the connection closes), null when the principal is in no
   * tenant, false when the tenant is at its limit (the caller closes the connection; it is counted).
   */
  acquireConnection(principal: string): string | null | false {
    const t = this.of(principal);
    if (t === undefined) return null;
    const usage = this.usage.get(t.name)!;
    if (t.maxConnections !== undefined && usage.connections >= t.maxConnections) {
      usage.connectionRefusals += 1;
      return false;
    }
    usage.connections += 1;
    return t.name;
  }

  releaseConnection(tenant: string): void {
    const usage = this.usage.get(tenant);
    if (usage !== undefined && usage.connections > 0) usage.connections -= 1;
  }

  /** Counts a throttle a tenant quota earned (the manager counts it too, across tenants). */
  throttled(key: TenantQuotaKey, quota: ResolvedQuota, ms: number): void {
    if (ms <= 0) return;
    const k = `${quota.sensorKey}\u0000${key}`;
    const t = this.throttles.get(k);
    if (t === undefined) this.throttles.set(k, { requests: 1, ms });
    else {
      t.requests += 1;
      t.ms += ms;
    }
  }

  /** The running totals of `tenant` (by name); undefined for a name that is no tenant. */
  usageOf(tenant: string): TenantUsage | undefined {
    return this.usage.get(tenant);
  }

  /** Each tenant quota's limit, rate and throttles at `nowMs` (for metrics). */
  quotaViews(tenant: TenantDefinition, nowMs: number): TenantQuotaView[] {
    const out: TenantQuotaView[] = [];
    for (const key of TENANT_QUOTA_KEYS) {
      const limit = tenant.quotas?.[key];
      if (limit === undefined) continue;
      const t = this.throttles.get(`${tenant.name}\u0000${key}`);
      out.push({ quota: key, limit, rate: this.managers[key].rate(tenant.name, nowMs), throttledRequests: t?.requests ?? 0, throttleTimeMs: t?.ms ?? 0 });
    }
    return out;
  }
}
