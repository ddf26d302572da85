// Tenants in the metadata store: the entries seam's `tenant` namespace (tenant name → its definition
// as JSON), in meta/entries.json on one node and in etcd in a cluster, where every broker's watch sees
// every change. A stored value is checked when read (another broker, or an older version, wrote it):
// one that is no tenant definition is reported and skipped, never applied.
import { type MetadataStore, entriesOf } from '@mq/metadata';
import type { TenantDefinition } from './tenant';

export const TENANT_NAMESPACE = 'tenant';

/** The fields a stored definition may have (what `mq tenants set` writes). */
const FIELDS = new Set(['name', 'principalPrefix', 'resourcePrefix', 'quotas', 'storageLimitBytes', 'maxConnections']);

/** A stored value as a definition named `key`, or why it is none (the full checks are validateTenants'). */
export function parseStoredTenant(key: string, value: string): TenantDefinition | string {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const unknown = Object.keys(doc).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) return `unknown field ${unknown.join(', ')} (a tenant has ${[...FIELDS].join(', ')})`;
  const t = doc as Record<string, unknown>;
  if (t.name !== undefined && t.name !== key) return `its name ${JSON.stringify(t.name)} is not its key ${JSON.stringify(key)}`;
  return { ...(doc as TenantDefinition), name: key };
}

export class TenantStore {
  constructor(private readonly store: MetadataStore) {}

  /** Every stored tenant (name → JSON definition) as of the store's image. */
  entries(): ReadonlyMap<string, string> {
    return entriesOf(this.store.image, TENANT_NAMESPACE);
  }

  /** Stores `tenant` (replacing one of that name); resolves once this broker's watchers were told. */
  async put(tenant: TenantDefinition): Promise<void> {
    await this.store.commit([{ type: 'entry', namespace: TENANT_NAMESPACE, key: tenant.name, value: JSON.stringify(tenant) }]);
  }

  async delete(name: string): Promise<void> {
    await this.store.commit([{ type: 'entry', namespace: TENANT_NAMESPACE, key: name, value: null }]);
  }

  /** Calls `onChange` after every delta that touched a tenant entry (this broker's commits and others'). */
  watch(onChange: () => void): () => void {
    return this.store.watch((delta) => {
      if (delta.entriesChanged().some((c) => c.namespace === TENANT_NAMESPACE)) onChange();
    });
  }
}
