// The matcher: literal, wildcard and prefixed patterns, principal and host wildcards, implied
// operations, DENY over ALLOW, super users, allow.everyone.if.no.acl.found, by-resource-type checks.
import { describe, expect, it } from 'vitest';
import {
  AclOperation as Op,
  AclPermissionType as Perm,
  type AclBinding,
  PatternType,
  ResourceType,
  StandardAuthorizer,
  aclHost,
  bindingKey,
  encodeBinding,
} from '../src/index';

const alice = { principal: 'User:alice', host: '10.0.0.1' };
const bob = { principal: 'User:bob', host: '10.0.0.2' };

function binding(over: Partial<AclBinding>): AclBinding {
  return {
    resourceType: ResourceType.TOPIC,
    resourceName: 'orders',
    patternType: PatternType.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: Op.READ,
    permissionType: Perm.ALLOW,
    ...over,
  };
}

function authorizer(bindings: AclBinding[], opts: ConstructorParameters<typeof StandardAuthorizer>[0] = {}): StandardAuthorizer {
  const a = new StandardAuthorizer(opts);
  a.apply(bindings.map((b) => ({ key: bindingKey(b), value: encodeBinding(b) })));
  return a;
}

describe('StandardAuthorizer', () => {
  it('allows what a LITERAL binding grants and nothing else', () => {
    const a = authorizer([binding({})]);
    expect(a.authorize(alice, Op.READ, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(a.authorize(alice, Op.READ, ResourceType.TOPIC, 'orders2')).toBe(false);
    expect(a.authorize(bob, Op.READ, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(a.authorize(alice, Op.READ, ResourceType.GROUP, 'orders')).toBe(false);
  });

  it('READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies all', () => {
    for (const op of [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER]) {
      expect(authorizer([binding({ operation: op })]).authorize(alice, Op.DESCRIBE, ResourceType.TOPIC, 'orders')).toBe(true);
    }
    expect(authorizer([binding({ operation: Op.CREATE })]).authorize(alice, Op.DESCRIBE, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(authorizer([binding({ operation: Op.ALTER_CONFIGS })]).authorize(alice, Op.DESCRIBE_CONFIGS, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(authorizer([binding({ operation: Op.DESCRIBE_CONFIGS })]).authorize(alice, Op.ALTER_CONFIGS, ResourceType.TOPIC, 'orders')).toBe(false);
    const all = authorizer([binding({ operation: Op.ALL })]);
    for (const op of [Op.READ, Op.WRITE, Op.CREATE, Op.DELETE, Op.ALTER, Op.DESCRIBE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS]) {
      expect(all.authorize(alice, op, ResourceType.TOPIC, 'orders')).toBe(true);
    }
  });

  it('DENY beats ALLOW, but a DENY of READ does not deny the DESCRIBE an ALLOW implies', () => {
    const a = authorizer([binding({ operation: Op.ALL }), binding({ operation: Op.READ, permissionType: Perm.DENY })]);
    expect(a.authorize(alice, Op.READ, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(a.authorize(alice, Op.DESCRIBE, ResourceType.TOPIC, 'orders')).toBe(true);
    const denyAll = authorizer([binding({ operation: Op.WRITE }), binding({ principal: 'User:*', operation: Op.ALL, permissionType: Perm.DENY, resourceName: '*' })]);
    expect(denyAll.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(false);
  });

  it('PREFIXED bindings match every name that starts with the prefix', () => {
    const a = authorizer([binding({ patternType: PatternType.PREFIXED, resourceName: 'team-a.', operation: Op.WRITE })]);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'team-a.orders')).toBe(true);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'team-a.')).toBe(true);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'team-a')).toBe(false);
    expect(a.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'team-b.orders')).toBe(false);
    // A PREFIXED DENY under a broader ALLOW.
    const b = authorizer([
      binding({ patternType: PatternType.PREFIXED, resourceName: 'team-', operation: Op.ALL }),
      binding({ patternType: PatternType.PREFIXED, resourceName: 'team-secret', operation: Op.ALL, permissionType: Perm.DENY }),
    ]);
    expect(b.authorize(alice, Op.READ, ResourceType.TOPIC, 'team-a')).toBe(true);
    expect(b.authorize(alice, Op.READ, ResourceType.TOPIC, 'team-secret-1')).toBe(false);
  });

  it('the LITERAL wildcard resource, the User:* principal and the * host match everything', () => {
    const a = authorizer([binding({ resourceName: '*', principal: 'User:*', operation: Op.DESCRIBE })]);
    expect(a.authorize(bob, Op.DESCRIBE, ResourceType.TOPIC, 'anything')).toBe(true);
    expect(a.authorize(bob, Op.READ, ResourceType.TOPIC, 'anything')).toBe(false);
    const hosted = authorizer([binding({ host: '10.0.0.1' })]);
    expect(hosted.authorize(alice, Op.READ, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(hosted.authorize({ ...alice, host: '10.0.0.9' }, Op.READ, ResourceType.TOPIC, 'orders')).toBe(false);
  });

  it('super users may do anything, even against a DENY', () => {
    const a = authorizer([binding({ principal: 'User:admin', operation: Op.ALL, permissionType: Perm.DENY })], { superUsers: ['User:admin'] });
    expect(a.authorize({ principal: 'User:admin', host: 'h' }, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(a.authorize({ principal: 'User:admin', host: 'h' }, Op.ALTER, ResourceType.CLUSTER, 'kafka-cluster')).toBe(true);
  });

  it('allow.everyone.if.no.acl.found allows only resources no binding names', () => {
    const a = authorizer([binding({})], { allowEveryoneIfNoAclFound: true });
    expect(a.authorize(bob, Op.WRITE, ResourceType.TOPIC, 'unnamed')).toBe(true);
    expect(a.authorize(bob, Op.READ, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(authorizer([binding({})]).authorize(bob, Op.WRITE, ResourceType.TOPIC, 'unnamed')).toBe(false);
  });

  it('removing a binding takes its grant away', () => {
    const b = binding({});
    const a = authorizer([b]);
    a.apply([{ key: bindingKey(b), value: null }]);
    expect(a.authorize(alice, Op.READ, ResourceType.TOPIC, 'orders')).toBe(false);
    expect(a.aclCount).toBe(0);
  });

  it('authorizeByResourceType: an ALLOW on some topic counts unless a DENY takes it back', () => {
    expect(authorizer([binding({ operation: Op.WRITE })]).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC)).toBe(true);
    expect(authorizer([binding({ operation: Op.READ })]).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC)).toBe(false);
    expect(
      authorizer([binding({ operation: Op.WRITE }), binding({ operation: Op.WRITE, permissionType: Perm.DENY })]).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC),
    ).toBe(false);
    expect(
      authorizer([
        binding({ operation: Op.WRITE, resourceName: 'ab' }),
        binding({ operation: Op.WRITE, resourceName: 'a', patternType: PatternType.PREFIXED, permissionType: Perm.DENY }),
      ]).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC),
    ).toBe(false);
    expect(authorizer([], { superUsers: ['User:alice'] }).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC)).toBe(true);
  });

  it('authorizedOperations sets one bit per allowed supported operation', () => {
    const a = authorizer([binding({ operation: Op.READ })]);
    expect(a.authorizedOperations(alice, ResourceType.TOPIC, 'orders')).toBe((1 << Op.READ) | (1 << Op.DESCRIBE));
    expect(a.authorizedOperations(bob, ResourceType.TOPIC, 'orders')).toBe(0);
  });

  it('IPv4-mapped client addresses compare as IPv4', () => {
    expect(aclHost('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(aclHost('::1')).toBe('::1');
  });
});

describe('prefix grants (a tenant’s resources)', () => {
  const acme = { principal: 'User:acme-alice', host: '10.0.0.3' };
  const grants = (p: string) => (p.startsWith('User:acme-') ? 'acme.' : undefined);

  it('allow everything on topics, groups and transactional ids under the prefix, nothing else', () => {
    const a = authorizer([], { prefixGrants: grants });
    for (const type of [ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID]) {
      expect(a.authorize(acme, Op.WRITE, type, 'acme.orders')).toBe(true);
      expect(a.authorize(acme, Op.DELETE, type, 'acme.orders')).toBe(true);
      expect(a.authorize(acme, Op.READ, type, 'globex.orders')).toBe(false);
      expect(a.authorize(alice, Op.READ, type, 'acme.orders')).toBe(false);
    }
    expect(a.authorize(acme, Op.ALTER, ResourceType.CLUSTER, 'kafka-cluster')).toBe(false);
  });

  it('a DENY binding still wins; by resource type the grant counts unless a DENY prefix covers it', () => {
    const deny = binding({ principal: 'User:acme-alice', resourceName: 'acme.secret', permissionType: Perm.DENY, operation: Op.ALL });
    const a = authorizer([deny], { prefixGrants: grants });
    expect(a.authorize(acme, Op.READ, ResourceType.TOPIC, 'acme.secret')).toBe(false);
    expect(a.authorize(acme, Op.READ, ResourceType.TOPIC, 'acme.public')).toBe(true);
    expect(a.authorizeByResourceType(acme, Op.WRITE, ResourceType.TOPIC)).toBe(true);
    const denyAll = authorizer([binding({ principal: 'User:acme-alice', resourceName: 'acme', patternType: PatternType.PREFIXED, permissionType: Perm.DENY, operation: Op.WRITE })], { prefixGrants: grants });
    expect(denyAll.authorizeByResourceType(acme, Op.WRITE, ResourceType.TOPIC)).toBe(false);
    expect(authorizer([]).authorizeByResourceType(acme, Op.WRITE, ResourceType.TOPIC)).toBe(false);
  });
});
