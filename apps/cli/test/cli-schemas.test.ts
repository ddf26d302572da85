// `mq schemas list|get|register|delete|check|config` through the spawned CLI against a real broker's
// schema registry (its HTTP listener): Avro, JSON Schema and Protobuf with references, compatibility
// checks and 409s, per-subject and global config, soft and permanent deletes, and each error path's
// exit status and one stderr line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli as run } from './run-cli';

/** Each call starts tsx on the sources: slow on a loaded machine. */
const runCli = (args: string[], opts: Parameters<typeof run>[1] = {}) => run(args, { timeoutMs: 120_000, ...opts });

const USER = { type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'string' }] };
const USER_V2 = { ...USER, fields: [...USER.fields, { name: 'age', type: 'int', default: 0 }] };
const USER_BAD = { ...USER, fields: [{ name: 'name', type: 'int' }] };
const ADDRESS_PROTO = 'syntax = "proto3";\npackage shop;\nmessage Address { string city = 1; }\n';
const CUSTOMER_PROTO = 'syntax = "proto3";\npackage shop;\nimport "address.proto";\nmessage Customer { string name = 1; Address home = 2; }\n';

let broker: RunningBroker;
let dir: string;
let sr: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0, http: { port: 0 } });
  sr = ['--schema-registry', `http://127.0.0.1:${broker.http!.port}`];
  dir = await mkdtemp(join(tmpdir(), 'mq-cli-schemas-'));
  await writeFile(join(dir, 'user.avsc'), JSON.stringify(USER));
  await writeFile(join(dir, 'user-v2.avsc'), JSON.stringify(USER_V2));
  await writeFile(join(dir, 'user-bad.avsc'), JSON.stringify(USER_BAD));
  await writeFile(join(dir, 'address.proto'), ADDRESS_PROTO);
  await writeFile(join(dir, 'customer.proto'), CUSTOMER_PROTO);
});
afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('mq schemas', () => {
  it('registers, lists, gets (by version and id), checks compatibility and refuses an incompatible schema with 409', async () => {
    const reg = await runCli(['schemas', 'register', 'users-value', '--schema-file', join(dir, 'user.avsc'), ...sr]);
    expect(reg.stderr).toBe('');
    expect(reg.code).toBe(0);
    expect(reg.stdout).toMatch(/^SUBJECT\s+VERSION\s+ID\s+TYPE\nusers-value\s+1\s+(\d+)\s+AVRO\n$/);
    const id = Number(/users-value\s+1\s+(\d+)/.exec(reg.stdout)![1]);
    // The same schema again: the same id and version (env instead of the flag).
    const again = await runCli(['-o', 'json', 'schemas', 'register', 'users-value', '-f', join(dir, 'user.avsc')], { env: { MQ_SCHEMA_REGISTRY: sr[1]! } });
    expect(JSON.parse(again.stdout)).toEqual([{ subject: 'users-value', version: 1, id, type: 'AVRO' }]);

    const ok = await runCli(['schemas', 'check', 'users-value', '-f', join(dir, 'user-v2.avsc'), ...sr]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/^SUBJECT\s+VERSION\s+COMPATIBLE\s+MESSAGE\nusers-value\s+latest\s+true\s+-\n$/);
    const bad = await runCli(['-o', 'json', 'schemas', 'check', 'users-value', '-f', join(dir, 'user-bad.avsc'), ...sr]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: the schema is not compatible with users-value (version latest)\n');
    const verdict = JSON.parse(bad.stdout) as { compatible: boolean; messages: string[] };
    expect(verdict.compatible).toBe(false);
    expect(verdict.messages.join(' ')).toMatch(/TYPE_MISMATCH/);
    const refused = await runCli(['schemas', 'register', 'users-value', '-f', join(dir, 'user-bad.avsc'), ...sr]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Schema being registered is incompatible with an earlier schema for subject "users-value".*\(HTTP 409, error_code 409\)\n$/);

    const v2 = await runCli(['-o', 'json', 'schemas', 'register', 'users-value', '-f', join(dir, 'user-v2.avsc'), ...sr]);
    const id2 = (JSON.parse(v2.stdout) as Array<{ id: number; version: number }>)[0]!;
    expect(id2.version).toBe(2);

    const list = await runCli(['schemas', 'list', ...sr]);
    expect(list.stdout).toMatch(new RegExp(`^SUBJECT\\s+VERSIONS\\s+LATEST_VERSION\\s+ID\\s+TYPE\\nusers-value\\s+2\\s+2\\s+${id2.id}\\s+AVRO\\n$`));
    const versions = await runCli(['-o', 'json', 'schemas', 'list', 'users-value', ...sr]);
    expect(JSON.parse(versions.stdout)).toEqual([
      { subject: 'users-value', version: 1, id, type: 'AVRO', deleted: false },
      { subject: 'users-value', version: 2, id: id2.id, type: 'AVRO', deleted: false },
    ]);

    const get = await runCli(['schemas', 'get', 'users-value', '--schema-version', '1', ...sr]);
    expect(get.code).toBe(0);
    const [head, row, blank, ...text] = get.stdout.split('\n');
    expect(head).toMatch(/^SUBJECT\s+VERSION\s+ID\s+TYPE\s+REFERENCES$/);
    expect(row).toMatch(new RegExp(`^users-value\\s+1\\s+${id}\\s+AVRO\\s+-$`));
    expect([blank, text.join('\n')]).toEqual(['', `${JSON.stringify(USER, null, 2)}\n`]);
    const byId = await runCli(['-o', 'yaml', 'schemas', 'get', '--id', String(id), ...sr]);
    expect(byId.stdout).toContain(`id: ${id}\nschemaType: AVRO\n`);
    expect(byId.stdout).toContain('usedBy:\n  - subject: users-value\n    version: 1\n');
    const raw = await runCli(['schemas', 'get', 'users-value', '--schema-only', ...sr]);
    expect(raw.stdout).toBe(`${JSON.stringify(USER_V2)}\n`);
  }, 600_000);

  it('JSON Schema from stdin and Protobuf with a reference; config per subject and global; soft then permanent delete', async () => {
    const json = JSON.stringify({ type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] });
    const js = await runCli(['schemas', 'register', 'orders-value', '-f', '-', '--type', 'json', ...sr], { input: json });
    expect(js.code, js.stderr).toBe(0);
    expect(js.stdout).toMatch(/orders-value\s+1\s+\d+\s+JSON\n$/);

    const addr = await runCli(['schemas', 'register', 'address-value', '-f', join(dir, 'address.proto'), ...sr]);
    expect(addr.stdout).toMatch(/address-value\s+1\s+\d+\s+PROTOBUF\n$/);
    const noRef = await runCli(['schemas', 'register', 'customer-value', '-f', join(dir, 'customer.proto'), ...sr]);
    expect(noRef.code).toBe(1);
    expect(noRef.stderr).toMatch(/^error: .*address\.proto.*\(HTTP 422, error_code 42201\)\n$/);
    await writeFile(join(dir, 'refs.json'), JSON.stringify([{ name: 'address.proto', subject: 'address-value', version: 'latest' }]));
    const cust = await runCli(['-o', 'json', 'schemas', 'register', 'customer-value', '-f', join(dir, 'customer.proto'), '--references', join(dir, 'refs.json'), ...sr]);
    expect(cust.code, cust.stderr).toBe(0);
    const same = await runCli(['schemas', 'check', 'customer-value', '-f', join(dir, 'customer.proto'), '--reference', 'address.proto=address-value:1', ...sr]);
    expect([same.code, same.stderr]).toEqual([0, '']);
    const got = await runCli(['-o', 'json', 'schemas', 'get', 'customer-value', ...sr]);
    expect(JSON.parse(got.stdout)).toMatchObject({ subject: 'customer-value', version: 1, schemaType: 'PROTOBUF', references: [{ name: 'address.proto', subject: 'address-value', version: 1 }] });

    // A qualified subject lives in its own context, with its own ids.
    const ctx = await runCli(['-o', 'json', 'schemas', 'register', ':.eu:orders-value', '-f', '-', '-t', 'JSON', ...sr], { input: json });
    expect(JSON.parse(ctx.stdout)).toEqual([{ subject: ':.eu:orders-value', version: 1, id: 1, type: 'JSON' }]);
    const contexts = await runCli(['schemas', 'contexts', ...sr]);
    expect(contexts.stdout).toBe('CONTEXT\n.\n.eu\n');

    const global = await runCli(['-o', 'json', 'schemas', 'config', ...sr]);
    expect(JSON.parse(global.stdout)).toEqual({ subject: null, compatibility: 'BACKWARD', compatibilityFrom: 'global', mode: 'READWRITE', modeFrom: 'global' });
    const set = await runCli(['schemas', 'config', 'orders-value', '--compatibility', 'full_transitive', ...sr]);
    expect(set.stdout).toMatch(/^SUBJECT\s+COMPATIBILITY\s+COMPATIBILITY_FROM\s+MODE\s+MODE_FROM\norders-value\s+FULL_TRANSITIVE\s+subject\s+READWRITE\s+global\n$/);
    const setGlobal = await runCli(['-o', 'json', 'schemas', 'config', '-c', 'NONE', ...sr]);
    expect(JSON.parse(setGlobal.stdout)).toMatchObject({ compatibility: 'NONE', compatibilityFrom: 'global' });
    const other = await runCli(['-o', 'json', 'schemas', 'config', 'address-value', ...sr]);
    expect(JSON.parse(other.stdout)).toMatchObject({ subject: 'address-value', compatibility: 'NONE', compatibilityFrom: 'global' });
    const dropped = await runCli(['-o', 'json', 'schemas', 'config', 'orders-value', '--delete', ...sr]);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ compatibility: 'NONE', compatibilityFrom: 'global' });
    const ro = await runCli(['-o', 'json', 'schemas', 'config', 'orders-value', '--mode', 'readonly', ...sr]);
    expect(JSON.parse(ro.stdout)).toMatchObject({ mode: 'READONLY', modeFrom: 'subject' });
    const blocked = await runCli(['schemas', 'register', 'orders-value', '-f', '-', '-t', 'JSON', ...sr], { input: JSON.stringify({ type: 'object' }) });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/error_code 42205\)\n$/);
    await runCli(['schemas', 'config', 'orders-value', '--mode', 'READWRITE', ...sr]);
    await runCli(['schemas', 'config', '--delete', ...sr]);

    // A referenced schema cannot go; the referrer can, soft first, then for good.
    const inUse = await runCli(['schemas', 'delete', 'address-value', ...sr]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/error_code 42206\)\n$/);
    const hardFirst = await runCli(['schemas', 'delete', 'customer-value', '--permanent', ...sr]);
    expect(hardFirst.code).toBe(1);
    expect(hardFirst.stderr).toMatch(/was not deleted first before being permanently deleted.*error_code 40405\)\n$/);
    const soft = await runCli(['schemas', 'delete', 'customer-value', ...sr]);
    expect(soft.stdout).toMatch(/^SUBJECT\s+VERSION\s+DELETED\ncustomer-value\s+1\s+soft\n$/);
    const listed = await runCli(['-o', 'json', 'schemas', 'list', '--deleted', '--prefix', 'customer', ...sr]);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ subject: 'customer-value', versions: 1 }]);
    const marked = await runCli(['-o', 'json', 'schemas', 'list', 'customer-value', '--deleted', ...sr]);
    expect(JSON.parse(marked.stdout)).toMatchObject([{ version: 1, deleted: true }]);
    const hard = await runCli(['-o', 'json', 'schemas', 'delete', 'customer-value', '--permanent', ...sr]);
    expect(JSON.parse(hard.stdout)).toEqual({ subject: 'customer-value', versions: [1], permanent: true });
    const gone = await runCli(['schemas', 'get', 'customer-value', ...sr]);
    expect([gone.code, gone.stderr]).toEqual([1, "error: Subject 'customer-value' not found. (HTTP 404, error_code 40401)\n"]);
  }, 600_000);

  it('usage errors exit 2 before any request; an unreachable registry exits 1', async () => {
    const env = { MQ_CLI_CONFIG: join(dir, 'no-config.yaml') };
    const none = await runCli(['schemas', 'list'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: no schema registry: give --schema-registry <url>/);
    const badUrl = await runCli(['schemas', 'list', '--schema-registry', 'ftp://x'], { env });
    expect([badUrl.code, badUrl.stderr]).toEqual([2, 'error: not an http(s) URL for the schema registry: ftp://x\n']);
    const badType = await runCli(['schemas', 'register', 's', '-f', join(dir, 'user.avsc'), '--type', 'XML', ...sr]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type.*must be one of AVRO, JSON, PROTOBUF/);
    const missing = await runCli(['schemas', 'register', 's', '-f', join(dir, 'nope.avsc'), ...sr]);
    expect([missing.code, missing.stderr]).toEqual([2, `error: cannot read ${join(dir, 'nope.avsc')}: ENOENT\n`]);
    const badRef = await runCli(['schemas', 'register', 's', '-f', join(dir, 'user.avsc'), '--reference', 'x', ...sr]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/is not name=subject:version/);
    const both = await runCli(['schemas', 'get', 's', '--id', '1', ...sr]);
    expect([both.code, both.stderr]).toEqual([2, 'error: give a subject (with --schema-version) or --id, not both\n']);
    const level = await runCli(['schemas', 'config', '-c', 'SOMETIMES', ...sr]);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/must be one of NONE, BACKWARD/);

    // From a profile: the profile's schema-registry is used.
    await writeFile(join(dir, 'config.yaml'), `current: local\nprofiles:\n  local: { schema-registry: "http://127.0.0.1:${await closedPort()}" }\n`);
    const down = await runCli(['schemas', 'list'], { env: { MQ_CLI_CONFIG: join(dir, 'config.yaml') } });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: schema registry at http:\/\/127\.0\.0\.1:\d+ unreachable: .*ECONNREFUSED/);
  }, 600_000);
});
