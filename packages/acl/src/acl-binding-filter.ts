// Which bindings a DescribeAcls / DeleteAcls filter selects (Kafka's AclBindingFilter,
// ResourcePatternFilter, AccessControlEntryFilter): null fields and ANY match everything; pattern
// type MATCH selects every binding that would apply to the named resource (its LITERAL name, the
// LITERAL wildcard `*`, and every PREFIXED prefix of it).
import { InvalidRequestError } from '@mq/protocol';
import {
  AclOperation,
  AclPermissionType,
  operationName,
  PatternType,
  patternTypeName,
  permissionTypeName,
  ResourceType,
  resourceTypeName,
  WILDCARD_RESOURCE,
} from './acl-codes';
import type { AclBinding } from './acl-binding';

export interface AclBindingFilter {
  readonly resourceType: number;
  /** null: any name. */
  readonly resourceName: string | null;
  readonly patternType: number;
  /** null: any principal. */
  readonly principal: string | null;
  /** null: any host. */
  readonly host: string | null;
  readonly operation: number;
  readonly permissionType: number;
}

/** Everything: what `mq acl list` without flags asks. */
export const ANY_BINDING: AclBindingFilter = {
  resourceType: ResourceType.ANY,
  resourceName: null,
  patternType: PatternType.ANY,
  principal: null,
  host: null,
  operation: AclOperation.ANY,
  permissionType: AclPermissionType.ANY,
};

/** Kafka refuses a filter with an UNKNOWN element (a code it does not know): INVALID_REQUEST. */
export function validateFilter(f: AclBindingFilter): void {
  const unknown =
    resourceTypeName(f.resourceType) === 'UNKNOWN'
      ? 'resource type'
      : patternTypeName(f.patternType) === 'UNKNOWN'
        ? 'pattern type'
        : operationName(f.operation) === 'UNKNOWN'
          ? 'operation'
          : permissionTypeName(f.permissionType) === 'UNKNOWN'
            ? 'permission type'
            : undefined;
  if (unknown !== undefined) throw new InvalidRequestError(`The ACL filter has an unknown ${unknown}`);
}

function patternMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (f.patternType === PatternType.ANY) return f.resourceName === null || f.resourceName === b.resourceName;
  if (f.patternType === PatternType.MATCH) {
    if (f.resourceName === null) return true;
    if (b.patternType === PatternType.LITERAL) return b.resourceName === f.resourceName || b.resourceName === WILDCARD_RESOURCE;
    return f.resourceName.startsWith(b.resourceName);
  }
  return f.patternType === b.patternType && (f.resourceName === null || f.resourceName === b.resourceName);
}

export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  return (
    patternMatches(f, b) &&
    (f.principal === null || f.principal === b.principal) &&
    (f.host === null || f.host === b.host) &&
    (f.operation === AclOperation.ANY || f.operation === b.operation) &&
    (f.permissionType === AclPermissionType.ANY || f.permissionType === b.permissionType)
  );
}
