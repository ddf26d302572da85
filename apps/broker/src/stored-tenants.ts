// The broker's tenants as they change while it runs: those of mq.tenants.file (and startBroker's
// list) — fixed, read at start — plus those stored in the metadata store (`mq tenants set`, the HTTP
// API's /v1/tenants: meta/entries.json on one node, etcd in a cluster), applied on every change of
// the store, this broker's writes and other brokers' alike. A stored tenant that clashes with this
// broker's file (the same name, overlapping resource prefixes) or is not a valid definition is skipped
// here with a warning (another broker's file may differ); the file's always win.
import type { TenantInfo, TenantsAdmin } from '@mq/admin-api';
import { InvalidConfigError, PolicyViolationError } from '@mq/protocol';
import { type TenantDefinition, type TenantStore, type Tenants, parseStoredTenant, validateTenants } from '@mq/quota';
import type { Logger } from 'pino';

export class StoredTenants implements TenantsAdmin {
  private readonly configuredNames: ReadonlySet<string>;
  /** The stored tenants applied now, by name. */
  private stored = new Map<string, TenantDefinition>();
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly tenants: Tenants,
    private readonly configured: readonly TenantDefinition[],
    private readonly store: TenantStore,
    private readonly nodeId: number,
    private readonly logger: Logger,
  ) {
    this.configuredNames = new Set(configured.map((t) => t.name));
  }

  /** Applies what is stored now, and every later change. */
  start(): void {
    this.apply();
    this.unwatch = this.store.watch(() => this.apply());
  }

  close(): void {
    this.unwatch?.();
  }

  list(): TenantInfo[] {
    const out: TenantInfo[] = [];
    for (const t of this.configured) out.push({ ...t, source: 'file' });
    for (const t of this.stored.values()) out.push({ ...t, source: 'metadata' });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async set(name: string, definition: unknown): Promise<TenantInfo> {
    if (this.configuredNames.has(name)) throw new PolicyViolationError(`tenant ${name} is defined in mq.tenants.file on broker ${this.nodeId}: change it there`);
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw new InvalidConfigError('a tenant is a JSON object: {"principalPrefix", "resourcePrefix", "quotas"?, "storageLimitBytes"?, "maxConnections"?}');
    const parsed = parseStoredTenant(name, JSON.stringify(definition));
    if (typeof parsed === 'string') throw new InvalidConfigError(`tenant ${JSON.stringify(name)}: ${parsed}`);
    const others = [...this.configured, ...[...this.stored.values()].filter((t) => t.name !== name)];
    const [checked] = validateTenants([parsed, ...others]);
    await this.store.put(checked!);
    return { ...checked!, source: 'metadata' };
  }

  async delete(name: string): Promise<boolean> {
    if (this.configuredNames.has(name)) throw new PolicyViolationError(`tenant ${name} is defined in mq.tenants.file on broker ${this.nodeId}: remove it there`);
    if (!this.store.entries().has(name)) return false;
    await this.store.delete(name);
    return true;
  }

  private apply(): void {
    const accepted: TenantDefinition[] = [...this.configured];
    const stored = new Map<string, TenantDefinition>();
    for (const [name, value] of [...this.store.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const why = this.configuredNames.has(name) ? 'a tenant of mq.tenants.file has this name' : this.check(name, value, accepted);
      if (typeof why === 'string') {
        this.logger.warn({ tenant: name, reason: why }, 'skipping a stored tenant this broker cannot apply');
        continue;
      }
      accepted.push(why);
      stored.set(name, why);
    }
    this.tenants.replace(accepted);
    const was = this.stored;
    this.stored = stored;
    for (const [name, t] of stored) {
      if (JSON.stringify(was.get(name)) !== JSON.stringify(t)) this.logger.info({ tenant: name, principalPrefix: t.principalPrefix, resourcePrefix: t.resourcePrefix, quotas: t.quotas ?? {}, storageLimitBytes: t.storageLimitBytes ?? null, maxConnections: t.maxConnections ?? null }, 'stored tenant applied');
    }
    for (const name of was.keys()) if (!stored.has(name)) this.logger.info({ tenant: name }, 'stored tenant removed');
  }

  /** The stored value as a definition that fits beside `accepted`, or why not. */
  private check(name: string, value: string, accepted: readonly TenantDefinition[]): TenantDefinition | string {
    const parsed = parseStoredTenant(name, value);
    if (typeof parsed === 'string') return parsed;
    try {
      validateTenants([...accepted, parsed]);
    } catch (err) {
      if (err instanceof InvalidConfigError) return err.message;
      throw err;
    }
    return parsed;
  }
}
