// startBroker({ security: { tenants, tenantsFile } }): the tenants, from the typed list and / or a
// JSON file (mq.tenants.file: `{ "tenants": [ { "name", "principalPrefix", "resourcePrefix",
// "quotas": { "producer_byte_rate", ... }, "storageLimitBytes" } ] }`), checked as one list before
// the listener opens (a bad file is a ConfigError at start); and what the tenant metrics read.
import { readFile } from 'node:fs/promises';
import { InvalidConfigError } from '@mq/protocol';
import type { TenantMetricsView } from '@mq/metrics';
import type { TopicManager } from '@mq/partition';
import { type QuotaWindow, type TenantDefinition, Tenants } from '@mq/quota';
import { tenantStorageBytes } from '@mq/server';
import type { Logger } from 'pino';
import { ConfigError } from './config-error';

export async function loadTenants(list: readonly TenantDefinition[] | undefined, file: string | undefined, window: QuotaWindow, logger: Logger): Promise<Tenants | undefined> {
  const defs = [...(list ?? []), ...(file === undefined ? [] : await tenantsFromFile(file))];
  if (defs.length === 0) return undefined;
  let tenants: Tenants;
  try {
    tenants = new Tenants(defs, window);
  } catch (err) {
    if (err instanceof InvalidConfigError) throw new ConfigError(`${file === undefined ? 'tenants' : `mq.tenants.file ${file}`}: ${err.message}`, { cause: err });
    throw err;
  }
  for (const t of tenants.definitions) {
    logger.info({ tenant: t.name, principalPrefix: t.principalPrefix, resourcePrefix: t.resourcePrefix, quotas: t.quotas ?? {}, storageLimitBytes: t.storageLimitBytes ?? null }, 'tenant defined');
  }
  return tenants;
}

async function tenantsFromFile(file: string): Promise<TenantDefinition[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`mq.tenants.file: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`mq.tenants.file: ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const list = Array.isArray(doc) ? doc : (doc as { tenants?: unknown } | null)?.tenants;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'object' && t !== null && !Array.isArray(t))) {
    throw new ConfigError(`mq.tenants.file: ${file} must hold {"tenants": [ {...}, ... ]} (or the array alone)`);
  }
  return list as TenantDefinition[];
}

/** Each tenant's totals, storage and quotas now: the per-tenant metrics' source. */
export function* tenantMetricsViews(tenants: Tenants, topics: TopicManager, nowMs: number): Iterable<TenantMetricsView> {
  for (const t of tenants.definitions) {
    const usage = tenants.usageOf(t.name)!;
    yield {
      tenant: t.name,
      producedBytes: usage.producedBytes,
      fetchedBytes: usage.fetchedBytes,
      storageBytes: tenantStorageBytes(topics, t),
      storageLimitBytes: t.storageLimitBytes,
      storageRefusals: usage.storageRefusals,
      connections: usage.connections,
      maxConnections: t.maxConnections,
      connectionRefusals: usage.connectionRefusals,
      quotas: tenants.quotaViews(t, nowMs),
    };
  }
}
