// One ACL binding (Kafka's AclBinding: a resource pattern and an access-control entry), its
// validation as Kafka's AclControlManager.validateNewAcl does it, and its stored form on the
// metadata entries seam: a key naming every field (so creating the same binding twice is one entry)
// and a JSON value.
import { InvalidRequestError } from '@mq/protocol';
import {
  AclOperation,
  AclPermissionType,
  type AclOperationCode,
  type AclPermissionTypeCode,
  operationName,
  PatternType,
  type PatternTypeCode,
  patternTypeName,
  permissionTypeName,
  ResourceType,
  type ResourceTypeCode,
  resourceTypeName,
} from './acl-codes';

export interface AclBinding {
  readonly resourceType: ResourceTypeCode;
  readonly resourceName: string;
  /** LITERAL or PREFIXED. */
  readonly patternType: PatternTypeCode;
  /** `Type:name`, e.g. `User:alice`, or `User:*` for everyone. */
  readonly principal: string;
  /** A client address or `*`. */
  readonly host: string;
  readonly operation: AclOperationCode;
  readonly permissionType: AclPermissionTypeCode;
}

/** The principal's `Type:name` form (SecurityUtils.parseKafkaPrincipal): both parts non-empty. */
export function isValidPrincipal(principal: string): boolean {
  const colon = principal.indexOf(':');
  return colon > 0 && colon < principal.length - 1;
}

/** Throws InvalidRequestError (INVALID_REQUEST, Kafka's code for a bad creation) naming the bad field. */
export function validateBinding(b: AclBinding): void {
  const bad = (what: string): never => {
    throw new InvalidRequestError(`Invalid ${what} in ACL binding ${describeBinding(b)}`);
  };
  if (b.resourceType === ResourceType.ANY || resourceTypeName(b.resourceType) === 'UNKNOWN') bad('resource type');
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) bad('pattern type (only LITERAL or PREFIXED can be stored)');
  if (b.operation === AclOperation.ANY || operationName(b.operation) === 'UNKNOWN') bad('operation');
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) bad('permission type');
  if (b.resourceName === '') throw new InvalidRequestError('Resource name should not be empty');
  if (!isValidPrincipal(b.principal)) throw new InvalidRequestError(`Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`);
  if (b.host === '') bad('host');
}

/** The entries-seam key: every field, names escaped so no `/` or `:` of a name splits it. */
export function bindingKey(b: AclBinding): string {
  return [
    resourceTypeName(b.resourceType),
    patternTypeName(b.patternType),
    encodeURIComponent(b.resourceName),
    encodeURIComponent(b.principal),
    encodeURIComponent(b.host),
    operationName(b.operation),
    permissionTypeName(b.permissionType),
  ].join(':');
}

interface StoredBinding {
  resourceType: string;
  patternType: string;
  resourceName: string;
  principal: string;
  host: string;
  operation: string;
  permissionType: string;
}

/** The entries-seam value: names rather than codes, so the stored form reads like kafka-acls output. */
export function encodeBinding(b: AclBinding): string {
  const stored: StoredBinding = {
    resourceType: resourceTypeName(b.resourceType),
    patternType: patternTypeName(b.patternType),
    resourceName: b.resourceName,
    principal: b.principal,
    host: b.host,
    operation: operationName(b.operation),
    permissionType: permissionTypeName(b.permissionType),
  };
  return JSON.stringify(stored);
}

/** A stored value back to a binding; undefined when it is not one (a newer broker's form, a hand edit). */
export function decodeBinding(value: string): AclBinding | undefined {
  let s: Partial<StoredBinding>;
  try {
    s = JSON.parse(value) as Partial<StoredBinding>;
  } catch {
    return undefined;
  }
  const code = (table: Record<string, number>, name: unknown): number | undefined =>
    typeof name === 'string' && Object.hasOwn(table, name) ? table[name] : undefined;
  const resourceType = code(ResourceType, s.resourceType);
  const patternType = code(PatternType, s.patternType);
  const operation = code(AclOperation, s.operation);
  const permissionType = code(AclPermissionType, s.permissionType);
  if (resourceType === undefined || patternType === undefined || operation === undefined || permissionType === undefined) return undefined;
  if (typeof s.resourceName !== 'string' || typeof s.principal !== 'string' || typeof s.host !== 'string') return undefined;
  return {
    resourceType: resourceType as ResourceTypeCode,
    patternType: patternType as PatternTypeCode,
    resourceName: s.resourceName,
    principal: s.principal,
    host: s.host,
    operation: operation as AclOperationCode,
    permissionType: permissionType as AclPermissionTypeCode,
  };
}

/** Kafka's AclBinding.toString shape, for logs and error messages. */
export function describeBinding(b: AclBinding): string {
  return (
    `(pattern=ResourcePattern(resourceType=${resourceTypeName(b.resourceType)}, name=${b.resourceName}, patternType=${patternTypeName(b.patternType)}), ` +
    `entry=(principal=${b.principal}, host=${b.host}, operation=${operationName(b.operation)}, permissionType=${permissionTypeName(b.permissionType)}))`
  );
}
