// Tenant storage limits (@mq/quota TenantDefinition.storageLimitBytes), as a Produce middleware: a
// topic a tenant owns (its name starts with the tenant's resource prefix) takes no more records once
// the tenant's topics hold its limit — on this broker alone (one node), or in the whole cluster (this
// broker's leaders and the other brokers' reports, TenantStorageMeter) — its entry is answered
// POLICY_VIOLATION with a message naming the tenant, the bytes held and the limit, the other topics
// are served. acks=0 has no response to carry the refusal: the connection is closed, as Kafka does
// for errors there.
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { TenantDefinition, Tenants } from '@mq/quota';
import { concatField, splitByAuthorization } from './authorization/split-by-authorization';
import { Completion, NO_RESPONSE } from './completion';
import type { RequestMiddleware } from './request-middleware';
import type { TenantStorageMeter } from './tenant-storage-meter';

interface ProduceRequest {
  acks: number;
  topicData: { name: string; partitionData: { records: Buffer | null }[] }[];
}

interface ProduceAnswer {
  responses: { name: string; partitionResponses: { errorCode: number; errorMessage?: string | null }[] }[];
}

/** The refusal's message: what the tenant holds, and where it was counted. */
export function storageLimitMessage(tenant: TenantDefinition, meter: TenantStorageMeter): string {
  const where = meter.clusterWide ? ` in the cluster (${meter.others(tenant.name)} of them on other brokers' leaders)` : '';
  return `tenant ${tenant.name} is at its storage limit: its topics hold ${meter.used(tenant)} of ${tenant.storageLimitBytes} bytes${where}`;
}

/** The Produce middleware; `tenants` may change while it runs (a tenant with a limit is looked up per request). */
export function tenantStorageMiddleware(tenants: Tenants, meter: TenantStorageMeter): RequestMiddleware {
  const full = (topic: string): TenantDefinition | undefined => {
    const owner = tenants.ownerOf(topic);
    return owner?.storageLimitBytes !== undefined && meter.used(owner) >= owner.storageLimitBytes ? owner : undefined;
  };
  return (call, next) => {
    if (call.ctx.apiKey !== ApiKey.Produce || !tenants.storageLimited) return next();
    const req = call.request as unknown as ProduceRequest;
    const refused = new Map<string, TenantDefinition>();
    for (const td of req.topicData) {
      const t = full(td.name);
      if (t !== undefined) refused.set(td.name, t);
    }
    // What is let through counts from now on (the walk sees it only once it is on disk, and later).
    for (const td of req.topicData) {
      const owner = refused.has(td.name) ? undefined : tenants.ownerOf(td.name);
      if (owner?.storageLimitBytes !== undefined) for (const pd of td.partitionData) meter.added(owner.name, pd.records?.length ?? 0);
    }
    if (refused.size === 0) return next();
    for (const t of new Set(refused.values())) {
      const usage = tenants.usageOf(t.name);
      if (usage !== undefined) usage.storageRefusals += 1;
    }
    if (req.acks === 0) {
      call.ctx.closeConnection(`acks=0 produce to a topic of tenant ${[...refused.values()][0]!.name}, which is at its storage limit`);
      const rest = req.topicData.filter((td) => !refused.has(td.name));
      return rest.length === 0 ? Completion.now<object>(NO_RESPONSE) : next({ ...call.request, topicData: rest });
    }
    const answered = splitByAuthorization(call, next, {
      entities: req.topicData,
      refusal: (td) => (refused.has(td.name) ? ErrorCode.POLICY_VIOLATION : ErrorCode.NONE),
      rebuild: (topicData) => ({ ...call.request, topicData }),
      merge: concatField('responses'),
    });
    // The refused entries say why (Produce v8+ carries a per-partition error_message).
    return answered.map(async (pending) => {
      const res = await pending;
      if (res === NO_RESPONSE) return res;
      for (const r of (res as unknown as ProduceAnswer).responses) {
        const t = refused.get(r.name);
        if (t === undefined) continue;
        const message = storageLimitMessage(t, meter);
        for (const p of r.partitionResponses) if (p.errorCode === ErrorCode.POLICY_VIOLATION) p.errorMessage = message;
      }
      return res;
    });
  };
}
