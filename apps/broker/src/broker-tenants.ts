// startBroker({ security: { tenants, tenantsFile } }): the tenants, from the typed list and / or a
// JSON file (mq.tenants.file: `{ "tenants": [ { "name", "principalPrefix", "resourcePrefix",
// "quotas": { "producer_byte_rate", ... }, "storageLimitBytes" } ] }`), checked as one list before
// the listener opens (a bad file is a ConfigError at start); what their storage limits are checked
// against (in a cluster: the whole cluster's, cluster-tenant-usage.ts); and what the tenant metrics read.
import { readFile } from 'node:fs/promises';
import { ErrorCode, InvalidConfigError } from '@mq/protocol';
import type { TenantMetricsView } from '@mq/metrics';
import type { TopicManager } from '@mq/partition';
import type { MetadataStore } from '@mq/metadata';
import { type QuotaWindow, type TenantDefinition, TenantStore, Tenants } from '@mq/quota';
import type { ReplicaManager } from '@mq/replication';
import { TenantStorageMeter, tenantStorageBytes } from '@mq/server';
import type { Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';
import type { ClusterMember } from './cluster-member';
import { ClusterTenantUsage, DEFAULT_TENANT_USAGE_PUBLISH_INTERVAL_MS, TENANT_USAGE_REPORTS } from './cluster-tenant-usage';
import { ConfigError } from './config-error';
import { StoredTenants } from './stored-tenants';

/**
 * The tenants of the list and the file (a bad one stops the start), then those of the metadata store
 * (`store`: the topics' — meta/ on one node, etcd in a cluster), applied now and on every change.
 */
export async function loadTenants(
  list: readonly TenantDefinition[] | undefined,
  file: string | undefined,
  window: QuotaWindow,
  store: MetadataStore,
  nodeId: number,
  logger: Logger,
): Promise<{ readonly tenants: Tenants; readonly stored: StoredTenants }> {
  const defs = [...(list ?? []), ...(file === undefined ? [] : await tenantsFromFile(file))];
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
  const stored = new StoredTenants(tenants, tenants.definitions, new TenantStore(store), nodeId, logger);
  stored.start();
  return { tenants, stored };
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

export interface TenantStorage {
  readonly meter: TenantStorageMeter;
  close(): Promise<void>;
}

/**
 * What tenants' storage limits are checked against. One node: every partition here. A cluster: the
 * partitions this broker leads plus the other brokers' reports of theirs, read from etcd before this
 * returns, this broker's own published every `intervalMs`.
 */
export async function openTenantStorage(o: {
  readonly tenants: Tenants;
  readonly topics: TopicManager;
  readonly clock: Clock;
  readonly cluster?: ClusterMember | undefined;
  readonly replication?: ReplicaManager | undefined;
  readonly intervalMs?: number | undefined;
  readonly logger: Logger;
}): Promise<TenantStorage> {
  const { cluster, replication } = o;
  if (cluster === undefined || replication === undefined) return { meter: new TenantStorageMeter(o.topics, o.clock), close: async () => undefined };
  const usage = new ClusterTenantUsage({ reports: cluster.reports(TENANT_USAGE_REPORTS), tenants: o.tenants, clock: o.clock, intervalMs: o.intervalMs ?? DEFAULT_TENANT_USAGE_PUBLISH_INTERVAL_MS, logger: o.logger });
  const meter = new TenantStorageMeter(o.topics, o.clock, {
    counts: (topic, partition) => replication.checkLeader(topic, partition) === ErrorCode.NONE,
    others: (tenant) => usage.othersBytes(tenant),
  });
  await usage.start(meter);
  return { meter, close: () => usage.close() };
}

/** Each tenant's totals, storage and quotas now: the per-tenant metrics' source. */
export function* tenantMetricsViews(tenants: Tenants, topics: TopicManager, meter: TenantStorageMeter, nowMs: number): Iterable<TenantMetricsView> {
  for (const t of tenants.definitions) {
    const usage = tenants.usageOf(t.name)!;
    yield {
      tenant: t.name,
      producedBytes: usage.producedBytes,
      fetchedBytes: usage.fetchedBytes,
      storageBytes: tenantStorageBytes(topics, t),
      ...(meter.clusterWide ? { clusterStorageBytes: meter.used(t) } : {}),
      storageLimitBytes: t.storageLimitBytes,
      storageRefusals: usage.storageRefusals,
      connections: usage.connections,
      maxConnections: t.maxConnections,
      connectionRefusals: usage.connectionRefusals,
      quotas: tenants.quotaViews(t, nowMs),
    };
  }
}
