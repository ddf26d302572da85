// Client quota administration (KIP-546): DescribeClientQuotas (48) and AlterClientQuotas (49), the
// calls behind `kafka-configs --entity-type users|clients|ips` and `mq quotas describe|alter`.
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { InvalidArgumentError } from '../errors';

export type QuotaEntityType = 'user' | 'client-id' | 'ip';

/** One entity component: a name, or null for the type's default entity (`<default>`). */
export interface QuotaEntityPart {
  readonly entityType: QuotaEntityType;
  readonly entityName: string | null;
}

/** A filter component: `match` a name, null for the default entity, undefined for any entity of the type. */
export interface QuotaFilterPart {
  readonly entityType: QuotaEntityType;
  readonly match?: string | null;
}

export interface ClientQuotaEntry {
  readonly entity: QuotaEntityPart[];
  readonly values: Record<string, number>;
}

export interface ClientQuotaAlteration {
  readonly entity: readonly QuotaEntityPart[];
  /** Keys to set (producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate, connection_creation_rate). */
  readonly set?: Readonly<Record<string, number>>;
  /** Keys to remove. */
  readonly remove?: readonly string[];
}

const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_SPECIFIED = 2;

export async function describeClientQuotas(cluster: Cluster, filter: readonly QuotaFilterPart[], strict = false): Promise<ClientQuotaEntry[]> {
  const components = filter.map((f) => ({
    entityType: f.entityType,
    matchType: f.match === undefined ? MATCH_SPECIFIED : f.match === null ? MATCH_DEFAULT : MATCH_EXACT,
    match: f.match ?? null,
  }));
  const res = await cluster.requestAny(ApiKey.DescribeClientQuotas, { components, strict });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `describe client quotas: ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
  return (res.entries ?? []).map((e) => ({
    entity: e.entity.map((c) => ({ entityType: c.entityType as QuotaEntityType, entityName: c.entityName })),
    values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
  }));
}

/** Alters every entry in one request; throws the first entry's error (Kafka's message included). */
export async function alterClientQuotas(cluster: Cluster, alterations: readonly ClientQuotaAlteration[], validateOnly = false): Promise<void> {
  const entries = alterations.map((a) => {
    const ops = [
      ...Object.entries(a.set ?? {}).map(([key, value]) => ({ key, value, remove: false })),
      ...(a.remove ?? []).map((key) => ({ key, value: 0, remove: true })),
    ];
    if (ops.length === 0) throw new InvalidArgumentError('no quota changes given');
    return { entity: a.entity.map((c) => ({ entityType: c.entityType, entityName: c.entityName })), ops };
  });
  const res = await cluster.requestAny(ApiKey.AlterClientQuotas, { entries, validateOnly });
  for (const r of res.entries) {
    if (r.errorCode !== ErrorCode.NONE) {
      const who = r.entity.map((c) => `${c.entityType}=${c.entityName ?? '<default>'}`).join(',');
      throw new KafkaError(r.errorCode, `alter client quotas of ${who}: ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
    }
  }
}
