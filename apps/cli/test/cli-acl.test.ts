// `mq acl create|list|delete` through the spawned CLI against a broker with the authorizer on
// (super.users=User:ANONYMOUS, so the CLI may manage ACLs): kafka-acls flags, the principal ×
// operation cross product, PREFIXED patterns, delete by resource, usage errors, and the JSON output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0, config: { authorizerClassName: 'kafka.security.authorizer.AclAuthorizer', superUsers: 'User:ANONYMOUS' } });
  b = ['-b', `127.0.0.1:${broker.port}`];
});
afterAll(async () => {
  await broker?.stop();
});

interface Row {
  resourceType: string;
  patternType: string;
  resourceName: string;
  principal: string;
  host: string;
  operation: string;
  permission: string;
}

async function list(...flags: string[]): Promise<Row[]> {
  const res = await runCli([...b, '-o', 'json', 'acl', 'list', ...flags]);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Row[];
}

describe('mq acl', () => {
  it('creates every principal × operation combination, lists and deletes them', { timeout: 180_000 }, async () => {
    const created = await runCli([...b, 'acl', 'create', '--allow-principal', 'User:alice', '--allow-principal', 'User:carol', '--operation', 'Read', '--operation', 'Describe', '--topic', 'orders']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/TOPIC\s+LITERAL\s+orders\s+User:alice\s+\*\s+READ\s+ALLOW/);
    const deny = await runCli([...b, 'acl', 'create', '--deny-principal', 'User:bob', '--deny-host', '10.0.0.9', '--operation', 'Write', '--topic', 'team-a.', '--resource-pattern-type', 'prefixed']);
    expect(deny.code, deny.stderr).toBe(0);
    const group = await runCli([...b, 'acl', 'create', '--allow-principal', 'User:alice', '--operation', 'Read', '--group', 'g1']);
    expect(group.code, group.stderr).toBe(0);

    const all = await list();
    expect(all).toHaveLength(6);
    expect(await list('--topic', 'orders')).toHaveLength(4);
    expect(await list('--topic', 'orders', '--principal', 'User:carol')).toEqual([
      { resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: 'orders', principal: 'User:carol', host: '*', operation: 'READ', permission: 'ALLOW' },
      { resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: 'orders', principal: 'User:carol', host: '*', operation: 'DESCRIBE', permission: 'ALLOW' },
    ]);
    // MATCH: what applies to one topic, the PREFIXED deny included.
    expect((await list('--topic', 'team-a.payments', '--resource-pattern-type', 'match')).map((r) => `${r.principal} ${r.host} ${r.operation} ${r.permission}`)).toEqual([
      'User:bob 10.0.0.9 WRITE DENY',
    ]);

    const deleted = await runCli([...b, '-o', 'json', 'acl', 'delete', '--topic', 'orders', '--allow-principal', 'User:alice']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((JSON.parse(deleted.stdout) as Row[]).map((r) => r.operation).sort()).toEqual(['DESCRIBE', 'READ']);
    expect(await list('--topic', 'orders')).toHaveLength(2);
  });

  it('refuses bad usage with exit 2 and a one-line error', { timeout: 120_000 }, async () => {
    const noResource = await runCli([...b, 'acl', 'create', '--allow-principal', 'User:x']);
    expect(noResource.code).toBe(2);
    expect(noResource.stderr).toMatch(/name a resource/);
    const badOp = await runCli([...b, 'acl', 'create', '--allow-principal', 'User:x', '--operation', 'Fly', '--topic', 't']);
    expect(badOp.code).toBe(2);
    expect(badOp.stderr).toMatch(/unknown operation: Fly/);
    const badPrincipal = await runCli([...b, 'acl', 'create', '--allow-principal', 'alice', '--topic', 't']);
    expect(badPrincipal.code).toBe(2);
    expect(badPrincipal.stderr).toMatch(/Type:name/);
    const deleteAll = await runCli([...b, 'acl', 'delete']);
    expect(deleteAll.code).toBe(2);
  });
});
