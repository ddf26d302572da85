// Tenant storage limits (@mq/quota TenantDefinition.storageLimitBytes), as a Produce middleware: a
// topic a tenant owns (its name starts with the tenant's resource prefix) takes no more records once
// the tenant's topics hold its limit on this broker — its entry is answered POLICY_VIOLATION with a
// message naming the tenant, the bytes held and the limit, the other topics are served. What a
// tenant holds is the size of its partitions' logs here (every replica this broker has): walked at
// most every STORAGE_STALE_MS (not per request), plus the record bytes of every Produce let through
// since (so a fast producer cannot outrun the walk by more than its one request).
// acks=0 has no response to carry the refusal: the connection is closed, as Kafka does for errors there.
import type { TopicManager } from '@mq/partition';
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { TenantDefinition, Tenants } from '@mq/quota';
import type { Clock } from '@mq/timerwheel';
import { concatField, splitByAuthorization } from './authorization/split-by-authorization';
import { Completion, NO_RESPONSE } from './completion';
import type { RequestMiddleware } from './request-middleware';

/** How old a tenant's measured storage may be when a Produce is checked against its limit. */
export const STORAGE_STALE_MS = 1_000;

/** The bytes of the tenant's topics' logs on this broker. */
export function tenantStorageBytes(topics: TopicManager, tenant: TenantDefinition): number {
  let bytes = 0;
  for (const t of topics.list()) {
    if (!t.name.startsWith(tenant.resourcePrefix)) continue;
    for (const p of t.partitions) bytes += p?.sizeInBytes ?? 0;
  }
  return bytes;
}

interface ProduceRequest {
  acks: number;
  topicData: { name: string; partitionData: { records: Buffer | null }[] }[];
}

interface ProduceAnswer {
  responses: { name: string; partitionResponses: { errorCode: number; errorMessage?: string | null }[] }[];
}

export function tenantStorageMiddleware(tenants: Tenants, topics: TopicManager, clock: Clock): RequestMiddleware | undefined {
  const limited = tenants.definitions.filter((t) => t.storageLimitBytes !== undefined);
  if (limited.length === 0) return undefined;
  const measured = new Map<string, { bytes: number; atMs: number }>();
  const used = (t: TenantDefinition): number => {
    const now = clock.monotonic();
    const m = measured.get(t.name);
    if (m !== undefined && now - m.atMs < STORAGE_STALE_MS) return m.bytes;
    const bytes = tenantStorageBytes(topics, t);
    measured.set(t.name, { bytes, atMs: now });
    return bytes;
  };
  const full = (topic: string): TenantDefinition | undefined => {
    const owner = tenants.ownerOf(topic);
    return owner?.storageLimitBytes !== undefined && used(owner) >= owner.storageLimitBytes ? owner : undefined;
  };
  return (call, next) => {
    if (call.ctx.apiKey !== ApiKey.Produce) return next();
    const req = call.request as unknown as ProduceRequest;
    const refused = new Map<string, TenantDefinition>();
    for (const td of req.topicData) {
      const t = full(td.name);
      if (t !== undefined) refused.set(td.name, t);
    }
    // What is let through counts from now on (the walk sees it only once it is on disk, and later).
    for (const td of req.topicData) {
      const owner = refused.has(td.name) ? undefined : tenants.ownerOf(td.name);
      const m = owner?.storageLimitBytes === undefined ? undefined : measured.get(owner.name);
      if (m !== undefined) for (const pd of td.partitionData) m.bytes += pd.records?.length ?? 0;
    }
    if (refused.size === 0) return next();
    for (const t of new Set(refused.values())) tenants.usageOf(t.name)!.storageRefusals += 1;
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
        const message = `tenant ${t.name} is at its storage limit: its topics hold ${measured.get(t.name)?.bytes ?? 0} of ${t.storageLimitBytes} bytes`;
        for (const p of r.partitionResponses) if (p.errorCode === ErrorCode.POLICY_VIOLATION) p.errorMessage = message;
      }
      return res;
    });
  };
}
