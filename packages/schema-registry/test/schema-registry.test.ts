// The registry on a real TopicManager in a temp dir: `_schemas` created compacted, state replayed
// after the topics are closed and reopened (a restart), a failing append answered 50001 with the
// state unchanged, and the REST routes' answers and error bodies.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionRecordWriter } from '@mq/coordinator';
import { TopicManager } from '@mq/partition';
import { deleteSubject, listSubjects, listVersions, register, SchemaSerde } from '@mq/schema';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTRY_CONTENT_TYPE, type RegistryRoute, registryRoutes, SCHEMAS_TOPIC, SchemaRegistry } from '../src/index.js';

const V1 = '{"type":"record","name":"User","fields":[{"name":"a","type":"int"}]}';
const V2 = '{"type":"record","name":"User","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}';

let dataDir: string;
let clock: SystemClock;
let topics: TopicManager;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'schema-registry-'));
  clock = new SystemClock();
  topics = await TopicManager.open({ dataDir, clock });
});
afterEach(async () => {
  await topics.close();
  clock.cancelAll();
  await rm(dataDir, { recursive: true, force: true });
});

function call(routes: RegistryRoute[], method: RegistryRoute['method'], path: string, body?: unknown, query = '') {
  // The listener's matching, reduced to what these paths need: literal segments and :params.
  for (const r of routes) {
    if (r.method !== method) continue;
    const want = r.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    if (!want.every((w, i) => (w.startsWith(':') ? ((params[w.slice(1)] = decodeURIComponent(got[i]!)), true) : w === got[i]))) continue;
    const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return r.handler({ query: new URLSearchParams(query), body: raw }, params);
  }
  throw new Error(`no route ${method} ${path}`);
}

describe('SchemaRegistry', () => {
  it('creates _schemas compacted and replays it after a restart', async () => {
    let registry = await SchemaRegistry.open({ topics, clock });
    expect(topics.get(SCHEMAS_TOPIC)?.overrides['cleanup.policy']).toBe('compact');
    expect(await registry.write('r', (s) => register(s, 'users-value', { schema: V1 }))).toEqual({ id: 1 });
    expect(await registry.write('r', (s) => register(s, 'users-value', { schema: V2 }))).toEqual({ id: 2 });
    await registry.close();
    await topics.close();

    topics = await TopicManager.open({ dataDir, clock });
    registry = await SchemaRegistry.open({ topics, clock });
    expect(registry.read((s) => listVersions(s, 'users-value'))).toEqual([1, 2]);
    const serde = new SchemaSerde(registry.source);
    expect((await serde.decode(await serde.encode(2, { a: 1, b: 2 }))).value).toEqual({ a: 1, b: 2 });
    expect(await registry.write('r', (s) => register(s, 'x', { schema: '"string"' }))).toEqual({ id: 3 });
    await registry.close();
  });

  it('a failed append answers 50001 and changes nothing; the next write goes through', async () => {
    let fail = true;
    const registry = await SchemaRegistry.open({
      topics,
      clock,
      writerFor: (partition) => {
        const real = new PartitionRecordWriter(partition);
        return { append: (records) => (fail ? Promise.reject(new Error('disk on fire')) : real.append(records)) };
      },
    });
    const routes = registryRoutes(registry);
    const refused = await call(routes, 'POST', '/subjects/s/versions', { schema: V1 });
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({ error_code: 50001 });
    expect((await call(routes, 'GET', '/subjects')).body).toEqual([]);
    fail = false;
    expect((await call(routes, 'POST', '/subjects/s/versions', { schema: V1 })).body).toEqual({ id: 1 });
    await registry.close();
  });

  it('writes queued during an append share the next one; each sees the earlier ones; a 409 fails alone', async () => {
    const appends: number[] = [];
    let registry = await SchemaRegistry.open({
      topics,
      clock,
      writerFor: (partition) => {
        const real = new PartitionRecordWriter(partition);
        return { append: (records) => (appends.push(records.length), real.append(records)) };
      },
    });
    const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'int', default: 0 }));
    const version = (n: number) => JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, ...fields(n)] });
    const incompatible = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });
    const writes = [
      ...Array.from({ length: 12 }, (_, n) => registry.write('r', (st) => register(st, 'grow', { schema: version(n) }))),
      registry.write('r', (st) => register(st, 'grow', { schema: incompatible })).then(
        () => 'accepted',
        (err: unknown) => (err as { errorCode?: number }).errorCode,
      ),
      ...Array.from({ length: 4 }, (_, n) => registry.write('r', (st) => register(st, `other-${n}`, { schema: version(0) }))),
    ];
    const answers = await Promise.all(writes);
    expect(answers.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, n) => ({ id: n + 1 })));
    expect(answers[12]).toBe(409);
    // The same text under other subjects keeps its id (id 1), as Confluent's.
    expect(answers.slice(13)).toEqual([{ id: 1 }, { id: 1 }, { id: 1 }, { id: 1 }]);
    expect(appends.length).toBeLessThan(16); // grouped: 16 records in fewer appends
    expect(appends.reduce((a, b) => a + b, 0)).toBe(16);
    expect(registry.read((st) => listVersions(st, 'grow'))).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    await registry.close();
    await topics.close();
    topics = await TopicManager.open({ dataDir, clock });
    registry = await SchemaRegistry.open({ topics, clock });
    expect(registry.read((st) => listVersions(st, 'grow'))).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    expect(registry.read((st) => listSubjects(st))).toEqual(['grow', 'other-0', 'other-1', 'other-2', 'other-3']);
    await registry.close();
  });

  it('a failed append fails every write grouped into it and leaves the state as it was', async () => {
    let fail = false;
    const registry = await SchemaRegistry.open({
      topics,
      clock,
      writerFor: (partition) => {
        const real = new PartitionRecordWriter(partition);
        return { append: (records) => (fail ? Promise.reject(new Error('disk on fire')) : real.append(records)) };
      },
    });
    expect(await registry.write('r', (st) => register(st, 'kept', { schema: V1 }))).toEqual({ id: 1 });
    fail = true;
    const results = await Promise.allSettled([
      registry.write('r', (st) => register(st, 'kept', { schema: V2 })),
      registry.write('r', (st) => register(st, 'lost', { schema: '"string"' })),
      registry.write('r', (st) => deleteSubject(st, 'kept', false)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(registry.read((st) => listSubjects(st))).toEqual(['kept']);
    expect(registry.read((st) => listVersions(st, 'kept'))).toEqual([1]);
    expect(registry.read((st) => st.maxId)).toBe(1);
    fail = false;
    expect(await registry.write('r', (st) => register(st, 'lost', { schema: '"string"' }))).toEqual({ id: 2 });
    await registry.close();
  });

  it('routes answer in Confluent’s shapes and media type', async () => {
    const registry = await SchemaRegistry.open({ topics, clock });
    const routes = registryRoutes(registry, { prefix: '/registry' });
    const ok = await call(routes, 'POST', '/registry/subjects/a%2Fb/versions', { schema: V1 });
    expect(ok).toEqual({ status: 200, body: { id: 1 }, contentType: REGISTRY_CONTENT_TYPE });
    expect((await call(routes, 'GET', '/registry/subjects/a%2Fb/versions/latest')).body).toEqual({ subject: 'a/b', version: 1, id: 1, schema: V1 });
    expect((await call(routes, 'GET', '/registry/schemas/ids/1/schema')).body).toBe(V1);
    expect((await call(routes, 'POST', '/registry/subjects/a%2Fb', { schema: V1 })).body).toEqual({ subject: 'a/b', version: 1, id: 1, schema: V1 });
    expect((await call(routes, 'PUT', '/registry/config/a%2Fb', { compatibility: 'full' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call(routes, 'POST', '/registry/compatibility/subjects/a%2Fb/versions', { schema: V2 })).body).toEqual({ is_compatible: true });
    expect((await call(routes, 'PUT', '/registry/mode', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    expect((await call(routes, 'POST', '/registry/subjects/a%2Fb/versions', { schema: V2 })).body).toMatchObject({ error_code: 42205 });
    expect((await call(routes, 'PUT', '/registry/mode', { mode: 'SIDEWAYS' })).body).toMatchObject({ error_code: 42204 });
    expect((await call(routes, 'PUT', '/registry/mode', [])).body).toMatchObject({ error_code: 422 });
    expect((await call(routes, 'DELETE', '/registry/subjects/a%2Fb')).body).toMatchObject({ error_code: 42205 });
    expect((await call(routes, 'PUT', '/registry/mode', { mode: 'READWRITE' })).body).toEqual({ mode: 'READWRITE' });
    expect((await call(routes, 'DELETE', '/registry/subjects/a%2Fb')).body).toEqual([1]);
    expect((await call(routes, 'DELETE', '/registry/subjects/a%2Fb', undefined, 'permanent=true')).body).toEqual([1]);
    expect((await call(routes, 'GET', '/registry/schemas/ids/1')).body).toMatchObject({ error_code: 40403 });
    expect((await call(routes, 'GET', '/registry/schemas/ids/abc')).body).toMatchObject({ error_code: 40403 });
    await registry.close();
  });

  it('contexts over REST: /contexts, ids per context picked by ?subject=, and kept across a restart', async () => {
    let registry = await SchemaRegistry.open({ topics, clock });
    let routes = registryRoutes(registry);
    expect((await call(routes, 'GET', '/contexts')).body).toEqual(['.']);
    expect((await call(routes, 'POST', '/subjects/orders-value/versions', { schema: V1 })).body).toEqual({ id: 1 });
    expect((await call(routes, 'POST', `/subjects/${encodeURIComponent(':.eu:orders-value')}/versions`, { schema: V2 })).body).toEqual({ id: 1 });
    expect((await call(routes, 'GET', '/contexts')).body).toEqual(['.', '.eu']);
    expect((await call(routes, 'GET', '/schemas/ids/1/schema')).body).toBe(V1);
    expect((await call(routes, 'GET', '/schemas/ids/1/schema', undefined, 'subject=:.eu:orders-value')).body).toBe(V2);
    expect((await call(routes, 'GET', '/schemas/ids/1/versions', undefined, 'subject=:.eu:')).body).toEqual([{ subject: ':.eu:orders-value', version: 1 }]);
    expect((await call(routes, 'GET', `/subjects/${encodeURIComponent(':.:orders-value')}/versions`)).body).toEqual([1]);
    await registry.close();
    registry = await SchemaRegistry.open({ topics, clock });
    routes = registryRoutes(registry);
    expect((await call(routes, 'GET', '/schemas/ids/1', undefined, 'subject=:.eu:x')).body).toEqual({ schema: V2 });
    expect((await call(routes, 'POST', `/subjects/${encodeURIComponent(':.eu:other-value')}/versions`, { schema: V1 })).body).toEqual({ id: 2 });
    await registry.close();
  });
});
