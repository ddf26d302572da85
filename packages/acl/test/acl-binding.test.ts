// Bindings: validation as Kafka's AclControlManager does it, the stored form, and filters (ANY,
// MATCH, exact) as DescribeAcls / DeleteAcls apply them.
import { describe, expect, it } from 'vitest';
import {
  ANY_BINDING,
  AclOperation as Op,
  AclPermissionType as Perm,
  type AclBinding,
  ErrorCodeOf,
  PatternType,
  ResourceType,
  bindingKey,
  decodeBinding,
  encodeBinding,
  filterMatches,
  parseOperation,
  parseResourceType,
  validateBinding,
  validateFilter,
} from './support';

const b: AclBinding = {
  resourceType: ResourceType.TOPIC,
  resourceName: 'a/b:c',
  patternType: PatternType.PREFIXED,
  principal: 'User:alice',
  host: '*',
  operation: Op.WRITE,
  permissionType: Perm.ALLOW,
};

describe('AclBinding', () => {
  it('round-trips through its stored form; the key escapes / and :', () => {
    expect(decodeBinding(encodeBinding(b))).toEqual(b);
    expect(bindingKey(b)).toBe('TOPIC:PREFIXED:a%2Fb%3Ac:User%3Aalice:*:WRITE:ALLOW');
    expect(decodeBinding('{"resourceType":"NOPE"}')).toBeUndefined();
    expect(decodeBinding('not json')).toBeUndefined();
  });

  it.each([
    ['an ANY resource type', { resourceType: ResourceType.ANY }],
    ['a MATCH pattern', { patternType: PatternType.MATCH }],
    ['an ANY operation', { operation: Op.ANY }],
    ['an ANY permission', { permissionType: Perm.ANY }],
    ['an empty name', { resourceName: '' }],
    ['a principal without a type', { principal: 'alice' }],
  ] as const)('refuses %s with INVALID_REQUEST', (_, over) => {
    expect(ErrorCodeOf(() => validateBinding({ ...b, ...over } as AclBinding))).toBe(42);
  });

  it('filters: ANY, exact and MATCH', () => {
    expect(filterMatches(ANY_BINDING, b)).toBe(true);
    expect(filterMatches({ ...ANY_BINDING, resourceType: ResourceType.GROUP }, b)).toBe(false);
    expect(filterMatches({ ...ANY_BINDING, patternType: PatternType.LITERAL }, b)).toBe(false);
    expect(filterMatches({ ...ANY_BINDING, patternType: PatternType.PREFIXED, resourceName: 'a/b:c' }, b)).toBe(true);
    expect(filterMatches({ ...ANY_BINDING, patternType: PatternType.MATCH, resourceName: 'a/b:c-topic' }, b)).toBe(true);
    expect(filterMatches({ ...ANY_BINDING, patternType: PatternType.MATCH, resourceName: 'a/b' }, b)).toBe(false);
    const wildcard = { ...b, patternType: PatternType.LITERAL, resourceName: '*' } as const;
    expect(filterMatches({ ...ANY_BINDING, patternType: PatternType.MATCH, resourceName: 'x' }, wildcard)).toBe(true);
    expect(filterMatches({ ...ANY_BINDING, principal: 'User:bob' }, b)).toBe(false);
    expect(filterMatches({ ...ANY_BINDING, operation: Op.WRITE, permissionType: Perm.ALLOW, host: '*' }, b)).toBe(true);
    expect(ErrorCodeOf(() => validateFilter({ ...ANY_BINDING, operation: 0 }))).toBe(42);
  });

  it('parses kafka-acls names', () => {
    expect(parseOperation('IdempotentWrite')).toBe(Op.IDEMPOTENT_WRITE);
    expect(parseOperation('describe-configs')).toBe(Op.DESCRIBE_CONFIGS);
    expect(parseOperation('read')).toBe(Op.READ);
    expect(parseResourceType('transactional-id')).toBe(ResourceType.TRANSACTIONAL_ID);
    expect(parseOperation('fly')).toBeUndefined();
  });
});
