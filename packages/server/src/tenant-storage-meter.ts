// What a tenant's topics hold, as its storage limit is checked against. One node: the size of the
// tenant's partitions' logs here. A cluster: the logs of the partitions this broker leads (each
// partition counted once, by its leader — the tenant's data, not its replicas) plus what the other
// brokers report for theirs (their leaders). The walk runs at most every STORAGE_STALE_MS per tenant
// (not per request); the record bytes of every Produce let through since are added on top, so a
// fast producer cannot outrun the walk by more than its one request.
import type { TopicManager } from '@mq/partition';
import type { TenantDefinition } from '@mq/quota';
import type { Clock } from '@mq/timerwheel';

/** How old a tenant's measured storage may be when a Produce is checked against its limit. */
export const STORAGE_STALE_MS = 1_000;

export interface TenantStorageScope {
  /** Whether this broker counts `topic`-`partition` (a cluster: it leads it); absent: every partition it has. */
  readonly counts?: (topic: string, partition: number) => boolean;
  /** The bytes the other brokers report for the tenant (a cluster); absent: one node, nothing elsewhere. */
  readonly others?: (tenant: string) => number;
}

/** The bytes of the tenant's partitions' logs on this broker that `counts` (default: all). */
export function tenantStorageBytes(topics: TopicManager, tenant: TenantDefinition, counts?: (topic: string, partition: number) => boolean): number {
  let bytes = 0;
  for (const t of topics.list()) {
    if (!t.name.startsWith(tenant.resourcePrefix)) continue;
    for (const p of t.partitions) if (p !== undefined && (counts === undefined || counts(t.name, p.index))) bytes += p.sizeInBytes;
  }
  return bytes;
}

export class TenantStorageMeter {
  private readonly measured = new Map<string, { bytes: number; atMs: number }>();

  constructor(
    private readonly topics: TopicManager,
    private readonly clock: Clock,
    private readonly scope: TenantStorageScope = {},
  ) {}

  /** Whether the limit is the cluster's (other brokers report), not this broker's alone. */
  get clusterWide(): boolean {
    return this.scope.others !== undefined;
  }

  /** This broker's share: its walk (at most STORAGE_STALE_MS old) plus what was let through since. */
  local(tenant: TenantDefinition): number {
    const now = this.clock.monotonic();
    const m = this.measured.get(tenant.name);
    if (m !== undefined && now - m.atMs < STORAGE_STALE_MS) return m.bytes;
    const bytes = this.walk(tenant);
    this.measured.set(tenant.name, { bytes, atMs: now });
    return bytes;
  }

  /** What the limit is checked against: this broker's share and the others' reports. */
  used(tenant: TenantDefinition): number {
    return this.local(tenant) + (this.scope.others?.(tenant.name) ?? 0);
  }

  /** The other brokers' reports alone (0 on one node). */
  others(tenant: string): number {
    return this.scope.others?.(tenant) ?? 0;
  }

  /** Record bytes a Produce to the tenant's topics was let through with: counted until the next walk sees them on disk. */
  added(tenant: string, bytes: number): void {
    const m = this.measured.get(tenant);
    if (m !== undefined) m.bytes += bytes;
  }

  /** A walk now, unlike local() neither cached nor kept. */
  walk(tenant: TenantDefinition): number {
    return tenantStorageBytes(this.topics, tenant, this.scope.counts);
  }
}
