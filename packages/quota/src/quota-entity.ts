// A client quota entity (Kafka's ClientQuotaEntity): user, client-id or (user, client-id), or an ip;
// each component names one entity or, with a null name, the type's <default>. Validated here, and
// encoded as the stable key it is stored under on the metadata entries seam.
import { InvalidRequestError } from '@mq/errors';
import { isIP } from 'node:net';

/** Kafka's entity types (ClientQuotaEntity.USER / CLIENT_ID / IP). */
export type QuotaEntityType = 'user' | 'client-id' | 'ip';

export const QUOTA_ENTITY_TYPES: readonly QuotaEntityType[] = ['user', 'client-id', 'ip'];

/** One component: a named entity, or `name: null` for the type's default (`<default>` in Kafka's tools). */
export interface QuotaEntityComponent {
  readonly entityType: QuotaEntityType;
  readonly entityName: string | null;
}

/** Components in the fixed order user, client-id, ip; at most one of each type. */
export type QuotaEntity = readonly QuotaEntityComponent[];

/** How Kafka's ZooKeeper paths and kafka-configs spell a default entity. */
export const DEFAULT_ENTITY_NAME = '<default>';

const ORDER: Record<QuotaEntityType, number> = { user: 0, 'client-id': 1, ip: 2 };

export function isQuotaEntityType(t: string): t is QuotaEntityType {
  return t === 'user' || t === 'client-id' || t === 'ip';
}

/**
 * Checks an entity as AlterClientQuotas receives it and returns it in canonical order; throws
 * InvalidRequestError (INVALID_REQUEST) as Kafka's ClientQuotaControlManager does: empty entity,
 * unknown or repeated type, ip combined with another type, an ip name that is not an address.
 */
export function validateQuotaEntity(components: readonly { readonly entityType: string; readonly entityName: string | null }[]): QuotaEntity {
  if (components.length === 0) throw new InvalidRequestError('Invalid empty client quota entity');
  const seen = new Set<string>();
  const out: QuotaEntityComponent[] = [];
  for (const c of components) {
    if (!isQuotaEntityType(c.entityType)) throw new InvalidRequestError(`Unhandled client quota entity type: ${c.entityType}`);
    if (seen.has(c.entityType)) throw new InvalidRequestError(`Duplicate ${c.entityType} entity type in client quota entity`);
    seen.add(c.entityType);
    if (c.entityName === '') throw new InvalidRequestError(`Empty ${c.entityType} name in client quota entity (null is the default entity)`);
    if (c.entityType === 'ip' && c.entityName !== null && isIP(c.entityName) === 0) {
      throw new InvalidRequestError(`${c.entityName} is not a valid IP address`);
    }
    out.push({ entityType: c.entityType, entityName: c.entityName });
  }
  if (seen.has('ip') && seen.size > 1) throw new InvalidRequestError('Invalid quota entity combination: ip cannot be combined with user or client-id');
  return out.sort((a, b) => ORDER[a.entityType] - ORDER[b.entityType]);
}

/**
 * The entries-seam key: `user:alice&client-id:<default>`. Names are URI-encoded, so `&`, `:` and
 * `/` inside a name cannot break the key and a user literally named `<default>` stays distinct.
 */
export function quotaEntityKey(entity: QuotaEntity): string {
  return entity.map((c) => `${c.entityType}:${c.entityName === null ? DEFAULT_ENTITY_NAME : encodeURIComponent(c.entityName)}`).join('&');
}

/** The inverse of quotaEntityKey; undefined for a key this package did not write. */
export function parseQuotaEntityKey(key: string): QuotaEntity | undefined {
  const out: QuotaEntityComponent[] = [];
  for (const part of key.split('&')) {
    const colon = part.indexOf(':');
    if (colon < 0) return undefined;
    const type = part.slice(0, colon);
    const raw = part.slice(colon + 1);
    if (!isQuotaEntityType(type)) return undefined;
    let name: string | null;
    try {
      name = raw === DEFAULT_ENTITY_NAME ? null : decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    out.push({ entityType: type, entityName: name });
  }
  try {
    return validateQuotaEntity(out);
  } catch {
    return undefined;
  }
}

/** The user entity name of a principal: `User:alice` → `alice` (Kafka quotas key on the principal's name). */
export function quotaUserOf(principal: string): string {
  const colon = principal.indexOf(':');
  return colon < 0 ? principal : principal.slice(colon + 1);
}
