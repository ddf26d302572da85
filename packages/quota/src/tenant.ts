// A tenant: the principals whose name starts with its principal prefix (`User:acme-`), the
// resources (topics, groups, transactional ids) whose name starts with its resource prefix
// (`acme.`), which those principals may use as if PREFIXED ALLOW ALL ACLs named them, quotas the
// tenant's principals share (one sensor for all of them), and a storage limit on its topics.
import { InvalidConfigError } from '@mq/errors';

/** The quota types a tenant may set, Kafka's client quota names. */
export const TENANT_QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;
export type TenantQuotaKey = (typeof TENANT_QUOTA_KEYS)[number];

export interface TenantDefinition {
  /** The tenant's name: metrics label it; letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** A principal (`User:acme-alice`) belongs to the tenant whose prefix it starts with (the longest, if several). */
  readonly principalPrefix: string;
  /** The tenant's resources: topics, groups and transactional ids starting with it. Prefixes of two tenants never overlap. */
  readonly resourcePrefix: string;
  /** Shared by all the tenant's principals, on top of any user / client-id quota (the stricter throttles). */
  readonly quotas?: Readonly<Partial<Record<TenantQuotaKey, number>>>;
  /** The most bytes the tenant's topics may hold on this broker; a Produce past it is refused (POLICY_VIOLATION). */
  readonly storageLimitBytes?: number;
  /**
   * The most connections the tenant's principals hold open on this broker at once, counted once the
   * principal is known (SASL authenticated, or an SSL listener's certificate); one more is closed.
   */
  readonly maxConnections?: number;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/** Checks a tenant list as a whole; throws InvalidConfigError naming the tenant and what is wrong. */
export function validateTenants(defs: readonly TenantDefinition[]): TenantDefinition[] {
  const names = new Set<string>();
  for (const t of defs) {
    const where = `tenant ${JSON.stringify(t.name)}`;
    if (typeof t.name !== 'string' || !NAME.test(t.name)) throw new InvalidConfigError(`${where}: the name must be letters, digits, ".", "_" or "-"`);
    if (names.has(t.name)) throw new InvalidConfigError(`${where} is defined twice`);
    names.add(t.name);
    const colon = typeof t.principalPrefix === 'string' ? t.principalPrefix.indexOf(':') : -1;
    if (colon <= 0 || colon === t.principalPrefix.length - 1) throw new InvalidConfigError(`${where}: principalPrefix must be a principal type and a name prefix, e.g. User:acme-`);
    if (typeof t.resourcePrefix !== 'string' || t.resourcePrefix === '') throw new InvalidConfigError(`${where}: resourcePrefix must not be empty`);
    for (const [key, value] of Object.entries(t.quotas ?? {})) {
      if (!(TENANT_QUOTA_KEYS as readonly string[]).includes(key)) throw new InvalidConfigError(`${where}: ${key} is not a tenant quota (${TENANT_QUOTA_KEYS.join(', ')})`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidConfigError(`${where}: ${key} must be a positive number`);
    }
    const limit = t.storageLimitBytes;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) throw new InvalidConfigError(`${where}: storageLimitBytes must be a positive integer`);
    const conns = t.maxConnections;
    if (conns !== undefined && (!Number.isSafeInteger(conns) || conns < 0)) throw new InvalidConfigError(`${where}: maxConnections must be a non-negative integer`);
  }
  for (const a of defs) {
    for (const b of defs) {
      if (a !== b && b.resourcePrefix.startsWith(a.resourcePrefix)) {
        throw new InvalidConfigError(`tenants ${a.name} and ${b.name}: resource prefixes ${a.resourcePrefix} and ${b.resourcePrefix} overlap (a resource would belong to both)`);
      }
    }
  }
  return [...defs];
}
