// Kafka's ACL enums as they appear on the wire (clients/.../resource/ResourceType.java,
// PatternType.java, acl/AclPermissionType.java; operations are AclOperation), with their names for
// CLIs, logs and stored bindings (parsed case-insensitively, `-` or `_` between words).
import { AclOperation, type AclOperationCode } from './acl-operation';

export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];

/** LITERAL and PREFIXED are stored; ANY and MATCH exist only in filters (KIP-290). */
export const PatternType = {
  UNKNOWN: 0,
  ANY: 1,
  MATCH: 2,
  LITERAL: 3,
  PREFIXED: 4,
} as const;
export type PatternTypeCode = (typeof PatternType)[keyof typeof PatternType];

export const AclPermissionType = {
  UNKNOWN: 0,
  ANY: 1,
  DENY: 2,
  ALLOW: 3,
} as const;
export type AclPermissionTypeCode = (typeof AclPermissionType)[keyof typeof AclPermissionType];

/** Kafka's name of the one CLUSTER resource (Resource.CLUSTER_NAME). */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** The resource name that matches every name in a LITERAL binding (ResourcePattern.WILDCARD_RESOURCE). */
export const WILDCARD_RESOURCE = '*';
/** The principal that matches every user (AclEntry.WILDCARD_PRINCIPAL_STRING). */
export const WILDCARD_PRINCIPAL = 'User:*';
/** The host that matches every client address (AclEntry.WILDCARD_HOST). */
export const WILDCARD_HOST = '*';

function nameOf(table: Record<string, number>, code: number): string {
  for (const [name, c] of Object.entries(table)) if (c === code) return name;
  return 'UNKNOWN';
}

function codeOf(table: Record<string, number>, name: string): number | undefined {
  const key = name.trim().toUpperCase().replace(/[- ]/g, '_');
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export const resourceTypeName = (code: number): string => nameOf(ResourceType, code);
export const patternTypeName = (code: number): string => nameOf(PatternType, code);
export const operationName = (code: number): string => nameOf(AclOperation, code);
export const permissionTypeName = (code: number): string => nameOf(AclPermissionType, code);

/** Case-insensitive, `-` or `_` between words (kafka-acls accepts `transactional-id`, `IdempotentWrite`). */
export function parseResourceType(name: string): ResourceTypeCode | undefined {
  return codeOf(ResourceType, name) as ResourceTypeCode | undefined;
}
export function parsePatternType(name: string): PatternTypeCode | undefined {
  return codeOf(PatternType, name) as PatternTypeCode | undefined;
}
export function parseOperation(name: string): AclOperationCode | undefined {
  // kafka-acls writes operations in CamelCase (IdempotentWrite, DescribeConfigs).
  return codeOf(AclOperation, name.replace(/([a-z])([A-Z])/g, '$1_$2')) as AclOperationCode | undefined;
}
export function parsePermissionType(name: string): AclPermissionTypeCode | undefined {
  return codeOf(AclPermissionType, name) as AclPermissionTypeCode | undefined;
}
