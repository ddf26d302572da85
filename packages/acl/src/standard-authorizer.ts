// The authorizer (after Kafka's StandardAuthorizer): super users may do anything; otherwise a
// matching DENY wins, then a matching ALLOW (with implied operations); a resource no binding
// names at all is allowed only with allow.everyone.if.no.acl.found. A principal's prefix grant (a
// tenant's resource prefix) allows like a PREFIXED ALLOW ALL binding would, after the DENYs. Bindings arrive as
// entries-seam changes (AclStore), so every broker of a cluster authorizes from the same set.
import type { AclOperationCode } from '@mq/protocol';
import { type AclBinding, decodeBinding } from './acl-binding';
import { type AclBindingFilter, filterMatches } from './acl-binding-filter';
import {
  AclOperation,
  AclPermissionType,
  PatternType,
  ResourceType,
  type ResourceTypeCode,
  SUPPORTED_OPERATIONS,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
} from './acl-codes';
import { AclIndex } from './acl-index';
import { allowGrants, denyCovers } from './implied-operations';

export interface AuthorizerOptions {
  /** `super.users`: principals allowed everything (e.g. `User:admin`). */
  readonly superUsers?: readonly string[];
  /** `allow.everyone.if.no.acl.found`: allow a resource no binding names (default false). */
  readonly allowEveryoneIfNoAclFound?: boolean;
  /**
   * Resource prefixes a principal is allowed everything on, as if PREFIXED ALLOW ALL bindings for
   * TOPIC, GROUP and TRANSACTIONAL_ID named it (a tenant's own resources); a matching DENY still wins.
   */
  readonly prefixGrants?: (principal: string) => string | undefined;
}

/** The resource types a prefix grant covers. */
const PREFIX_GRANT_TYPES: ReadonlySet<number> = new Set([ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID]);

/** Who asks: the connection's principal and client address. */
export interface AuthorizableRequest {
  readonly principal: string;
  readonly host: string;
}

/** One change of the `acl` namespace: a binding stored (`value`) or removed (null). */
export interface AclEntryChange {
  readonly key: string;
  readonly value: string | null;
}

/** A client address as ACL hosts name it: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as plain IPv4. */
export function aclHost(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

export class StandardAuthorizer {
  readonly superUsers: ReadonlySet<string>;
  readonly allowEveryoneIfNoAclFound: boolean;
  private readonly index = new AclIndex();
  private readonly prefixGrants: ((principal: string) => string | undefined) | undefined;

  constructor(options: AuthorizerOptions = {}) {
    this.superUsers = new Set(options.superUsers ?? []);
    this.allowEveryoneIfNoAclFound = options.allowEveryoneIfNoAclFound ?? false;
    this.prefixGrants = options.prefixGrants;
  }

  /** The prefix `who` is granted everything on for this resource type, if any. */
  private grantedPrefix(who: AuthorizableRequest, resourceType: ResourceTypeCode): string | undefined {
    return this.prefixGrants !== undefined && PREFIX_GRANT_TYPES.has(resourceType) ? this.prefixGrants(who.principal) : undefined;
  }

  /** How many bindings are in force. */
  get aclCount(): number {
    return this.index.size;
  }

  /** Applies stored changes; returns the values that were not bindings (skipped, for a log line). */
  apply(changes: Iterable<AclEntryChange>): string[] {
    const skipped: string[] = [];
    for (const c of changes) {
      if (c.value === null) {
        this.index.delete(c.key);
        continue;
      }
      const b = decodeBinding(c.value);
      if (b === undefined) skipped.push(c.key);
      else this.index.set(c.key, b);
    }
    return skipped;
  }

  /** Replaces every binding with `entries` (key → stored value). */
  reset(entries: ReadonlyMap<string, string>): string[] {
    this.index.clear();
    return this.apply([...entries].map(([key, value]) => ({ key, value })));
  }

  authorize(who: AuthorizableRequest, operation: AclOperationCode, resourceType: ResourceTypeCode, resourceName: string): boolean {
    if (this.superUsers.has(who.principal)) return true;
    let named = false;
    let allowed = false;
    let denied = false;
    this.index.forResource(resourceType, resourceName, (bindings) => {
      named = true;
      for (const b of bindings) {
        if (b.principal !== who.principal && b.principal !== WILDCARD_PRINCIPAL) continue;
        if (b.host !== who.host && b.host !== WILDCARD_HOST) continue;
        if (b.permissionType === AclPermissionType.DENY) {
          if (denyCovers(b.operation, operation)) {
            denied = true;
            return false;
          }
        } else if (allowGrants(b.operation, operation)) allowed = true;
      }
      return true;
    });
    if (denied) return false;
    if (allowed) return true;
    const granted = this.grantedPrefix(who, resourceType);
    if (granted !== undefined && resourceName.startsWith(granted)) return true;
    return !named && this.allowEveryoneIfNoAclFound;
  }

  /**
   * Is `operation` allowed on at least one resource of the type (Kafka's authorizeByResourceType:
   * InitProducerId without IDEMPOTENT_WRITE passes with WRITE on any topic)? An ALLOW counts unless
   * a DENY of the same name, or of a prefix of it, takes it back.
   */
  authorizeByResourceType(who: AuthorizableRequest, operation: AclOperationCode, resourceType: ResourceTypeCode): boolean {
    // As Kafka: a name no binding uses answers for super users and allow.everyone.if.no.acl.found.
    if (this.authorize(who, operation, resourceType, '\u0000hardcode')) return true;
    const denyLiteral = new Set<string>();
    const denyPrefix = new Set<string>();
    const allows: AclBinding[] = [];
    for (const b of this.index.ofType(resourceType)) {
      if (b.host !== who.host && b.host !== WILDCARD_HOST) continue;
      if (b.principal !== who.principal && b.principal !== WILDCARD_PRINCIPAL) continue;
      if (!denyCovers(b.operation, operation)) continue;
      if (b.permissionType === AclPermissionType.DENY) {
        if (b.patternType === PatternType.LITERAL) {
          if (b.resourceName === WILDCARD_RESOURCE) return false;
          denyLiteral.add(b.resourceName);
        } else {
          denyPrefix.add(b.resourceName);
        }
      } else {
        if (b.patternType === PatternType.LITERAL && b.resourceName === WILDCARD_RESOURCE) return true;
        allows.push(b);
      }
    }
    const granted = this.grantedPrefix(who, resourceType);
    if (granted !== undefined) allows.push({ principal: who.principal, host: WILDCARD_HOST, resourceType, resourceName: granted, patternType: PatternType.PREFIXED, operation: AclOperation.ALL, permissionType: AclPermissionType.ALLOW });
    for (const a of allows) {
      if (a.patternType === PatternType.LITERAL && denyLiteral.has(a.resourceName)) continue;
      let dominated = false;
      for (let i = 1; i <= a.resourceName.length && !dominated; i++) dominated = denyPrefix.has(a.resourceName.slice(0, i));
      if (!dominated) return true;
    }
    return false;
  }

  /** The authorized_operations bitfield: one bit per supported operation the principal may do. */
  authorizedOperations(who: AuthorizableRequest, resourceType: ResourceTypeCode, resourceName: string): number {
    let field = 0;
    for (const op of SUPPORTED_OPERATIONS[resourceType] ?? []) if (this.authorize(who, op, resourceType, resourceName)) field |= 1 << op;
    return field;
  }

  /** The bindings a DescribeAcls / DeleteAcls filter selects, with their stored keys. */
  matching(filter: AclBindingFilter): [string, AclBinding][] {
    const out: [string, AclBinding][] = [];
    for (const entry of this.index.entries()) if (filterMatches(filter, entry[1])) out.push(entry);
    return out;
  }
}
