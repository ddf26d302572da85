// The quota values of every entity (what AlterClientQuotas stored), with Kafka's lookup precedence
// for a (user, client-id) pair and DescribeClientQuotas' filter. Immutable: a change builds a new one.
import { InvalidRequestError } from '@mq/errors';
import { type ResolvedQuota, sensorKey } from './client-quota-manager';
import { type QuotaEntity, isQuotaEntityType, parseQuotaEntityKey, quotaEntityKey } from './quota-entity';
import type { ClientQuotaKey } from './quota-keys';

/** The quota types enforced on requests. */
export type EnforcedQuotaKey = 'producer_byte_rate' | 'consumer_byte_rate' | 'request_percentage' | 'controller_mutation_rate';

/** One DescribeClientQuotas filter component; match types as on the wire. */
export interface QuotaFilterComponent {
  readonly entityType: string;
  /** 0 exact name, 1 the default entity, 2 any entity of this type. */
  readonly matchType: number;
  readonly match: string | null;
}

export interface QuotaEntry {
  readonly entity: QuotaEntity;
  readonly values: ReadonlyMap<string, number>;
}

export const MATCH_EXACT = 0;
export const MATCH_DEFAULT = 1;
export const MATCH_SPECIFIED = 2;

/** Lookups cached per (user, client id) before the cache starts over. */
const MAX_CACHED_CLIENTS = 10_000;

const NO_QUOTAS: ReadonlyMap<string, QuotaEntry> = new Map();

export class ClientQuotaConfigs {
  /** Resolved lookups per `user\0clientId`, filled on demand (this object never changes). */
  private readonly cache = new Map<string, Partial<Record<EnforcedQuotaKey, ResolvedQuota | null>>>();

  /** Some user / client-id entity is stored (what the request path checks first). */
  readonly hasClientQuotas: boolean;
  /** Some ip entity is stored (what a new connection checks). */
  readonly hasIpQuotas: boolean;

  private constructor(private readonly byKey: ReadonlyMap<string, QuotaEntry>) {
    let client = false;
    let ip = false;
    for (const e of byKey.values()) {
      if (e.entity[0]?.entityType === 'ip') ip = true;
      else client = true;
    }
    this.hasClientQuotas = client;
    this.hasIpQuotas = ip;
  }

  static readonly EMPTY = new ClientQuotaConfigs(NO_QUOTAS);

  /** From the entries seam's `quota` namespace (entity key → JSON values); keys it cannot read are skipped. */
  static fromEntries(entries: ReadonlyMap<string, string>, onBadEntry?: (key: string, reason: string) => void): ClientQuotaConfigs {
    const byKey = new Map<string, QuotaEntry>();
    for (const [key, json] of entries) {
      const entity = parseQuotaEntityKey(key);
      if (entity === undefined) {
        onBadEntry?.(key, 'not a quota entity key');
        continue;
      }
      const values = parseValues(json);
      if (values === undefined) {
        onBadEntry?.(key, 'values are not a JSON object of numbers');
        continue;
      }
      if (values.size > 0) byKey.set(key, { entity, values });
    }
    return byKey.size === 0 ? ClientQuotaConfigs.EMPTY : new ClientQuotaConfigs(byKey);
  }

  /** No entity has a user / client-id quota: the request path skips every lookup. */
  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  entry(entity: QuotaEntity): QuotaEntry | undefined {
    return this.byKey.get(quotaEntityKey(entity));
  }

  entries(): IterableIterator<QuotaEntry> {
    return this.byKey.values();
  }

  /**
   * The quota of `key` for a client (Kafka's DefaultQuotaCallback): the first entity that sets it, in
   * the order users/<u>/clients/<c>, users/<u>/clients/<default>, users/<u>, users/<default>/clients/<c>,
   * users/<default>/clients/<default>, users/<default>, clients/<c>, clients/<default>. The sensor is
   * per matched entity: a user quota is shared by all of that user's client ids, a default one is
   * per user (or client id) it applies to.
   */
  quotaFor(key: EnforcedQuotaKey, user: string, clientId: string): ResolvedQuota | null {
    const cacheKey = `${user}\u0000${clientId}`;
    let resolved = this.cache.get(cacheKey);
    if (resolved === undefined) {
      // Client ids are the client's to choose: bound what a stream of new ones can make us hold.
      if (this.cache.size >= MAX_CACHED_CLIENTS) this.cache.clear();
      resolved = {};
      this.cache.set(cacheKey, resolved);
    }
    const hit = resolved[key];
    if (hit !== undefined) return hit;
    const found = this.lookup(key, user, clientId);
    resolved[key] = found;
    return found;
  }

  private lookup(key: ClientQuotaKey, user: string, clientId: string): ResolvedQuota | null {
    const candidates: [QuotaEntity, string, string][] = [
      [[u(user), c(clientId)], user, clientId],
      [[u(user), c(null)], user, clientId],
      [[u(user)], user, ''],
      [[u(null), c(clientId)], user, clientId],
      [[u(null), c(null)], user, clientId],
      [[u(null)], user, ''],
      [[c(clientId)], '', clientId],
      [[c(null)], '', clientId],
    ];
    for (const [entity, userTag, clientTag] of candidates) {
      const limit = this.byKey.get(quotaEntityKey(entity))?.values.get(key);
      if (limit !== undefined) return { limit, sensorKey: sensorKey(userTag, clientTag) };
    }
    return null;
  }

  /** connection_creation_rate of an address: its own ip entity, else the default ip entity; null when neither sets it. */
  ipConnectionRate(ip: string): number | null {
    if (!this.hasIpQuotas) return null;
    for (const name of [ip, null]) {
      const v = this.byKey.get(quotaEntityKey([{ entityType: 'ip', entityName: name }]))?.values.get('connection_creation_rate');
      if (v !== undefined) return v;
    }
    return null;
  }

  /** DescribeClientQuotas: the entries matching every component; `strict` excludes entities with other types. */
  describe(components: readonly QuotaFilterComponent[], strict: boolean): QuotaEntry[] {
    const seen = new Set<string>();
    for (const f of components) {
      if (!isQuotaEntityType(f.entityType)) throw new InvalidRequestError(`Unhandled client quota entity type: ${f.entityType}`);
      if (seen.has(f.entityType)) throw new InvalidRequestError(`Entity type ${f.entityType} cannot appear more than once in the filter`);
      seen.add(f.entityType);
      if (f.matchType === MATCH_EXACT && f.match === null) throw new InvalidRequestError(`Exact match of ${f.entityType} needs a name`);
      if (f.matchType !== MATCH_EXACT && f.matchType !== MATCH_DEFAULT && f.matchType !== MATCH_SPECIFIED) {
        throw new InvalidRequestError(`Unknown match type ${f.matchType}`);
      }
    }
    if (seen.has('ip') && seen.size > 1) throw new InvalidRequestError('Invalid entity filter component combination: ip cannot be combined with user or client-id');
    const out: QuotaEntry[] = [];
    for (const e of this.byKey.values()) {
      if (strict && e.entity.length !== components.length) continue;
      const ok = components.every((f) => {
        const comp = e.entity.find((x) => x.entityType === f.entityType);
        if (comp === undefined) return false;
        if (f.matchType === MATCH_EXACT) return comp.entityName === f.match;
        if (f.matchType === MATCH_DEFAULT) return comp.entityName === null;
        return true;
      });
      if (ok) out.push(e);
    }
    return out;
  }

  /** A copy with `entity`'s values replaced (an empty map removes the entity). */
  with(entity: QuotaEntity, values: ReadonlyMap<string, number>): ClientQuotaConfigs {
    const byKey = new Map(this.byKey);
    const key = quotaEntityKey(entity);
    if (values.size === 0) byKey.delete(key);
    else byKey.set(key, { entity, values });
    return byKey.size === 0 ? ClientQuotaConfigs.EMPTY : new ClientQuotaConfigs(byKey);
  }
}

function u(name: string | null) {
  return { entityType: 'user', entityName: name } as const;
}
function c(name: string | null) {
  return { entityType: 'client-id', entityName: name } as const;
}

function parseValues(json: string): Map<string, number> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.set(k, v);
  }
  return out;
}

/** The JSON the entries seam stores for an entity's values. */
export function quotaValuesJson(values: ReadonlyMap<string, number>): string {
  return JSON.stringify(Object.fromEntries([...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
