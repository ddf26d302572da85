// Field lists shared by the ACL APIs (29 DescribeAcls, 31 DeleteAcls): a binding filter, a resource
// pattern and an access-control entry are one structure each on the wire, so they are declared once.
import type { FieldSpec } from '../schema/types';

/** A binding filter: null names / principals / hosts match any; pattern type 3 (LITERAL) before v1. */
export const aclBindingFilterFields = [
  { name: 'resourceTypeFilter', type: 'int8', versions: '0+' },
  { name: 'resourceNameFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
  { name: 'patternTypeFilter', type: 'int8', versions: '1+', default: 3 },
  { name: 'principalFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
  { name: 'hostFilter', type: 'string', versions: '0+', nullableVersions: '0+' },
  { name: 'operation', type: 'int8', versions: '0+' },
  { name: 'permissionType', type: 'int8', versions: '0+' },
] as const satisfies readonly FieldSpec[];

/** A resource pattern (pattern types from v1, KIP-290; a v0 binding is LITERAL = 3). */
export const aclResourcePatternFields = [
  { name: 'resourceType', type: 'int8', versions: '0+' },
  { name: 'resourceName', type: 'string', versions: '0+' },
  { name: 'patternType', type: 'int8', versions: '1+', default: 3 },
] as const satisfies readonly FieldSpec[];

/** An access-control entry: who, from where, which operation, allow or deny. */
export const aclEntryFields = [
  { name: 'principal', type: 'string', versions: '0+' },
  { name: 'host', type: 'string', versions: '0+' },
  { name: 'operation', type: 'int8', versions: '0+' },
  { name: 'permissionType', type: 'int8', versions: '0+' },
] as const satisfies readonly FieldSpec[];
