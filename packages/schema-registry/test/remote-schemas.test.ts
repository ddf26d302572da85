// What broker-side validation on a broker without a `_schemas` replica reads: schemas fetched by id
// from another broker's registry routes (here a real registry on a temp TopicManager, its routes
// called in-process as the leader's listener would) — cached for CACHE_TTL_MS, so a soft delete is
// seen once that has passed; an unknown id remembered as missing for MISS_TTL_MS (bounded, forgotten
// when a newer id is found or this broker forwards a write), the requests counted at the leader;
// concurrent lookups of one id sharing one request; a broker that cannot answer
// skipped for the next replica; a refusal (401) or no answer within FETCH_TIMEOUT_MS an error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { deleteVersion, register } from '@mq/schema';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ForwardedRequest, type ForwardedResponse, type RegistryForwarder, type RegistryRoute, registryRoutes, SchemaRegistry } from '../src/index.js';
import { CACHE_TTL_MS, FETCH_TIMEOUT_MS, MISS_CACHE_SIZE, MISS_TTL_MS, RemoteSchemas } from '../src/validation/remote-schemas.js';

const USER = '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"name","type":"string"}]}';

let dataDir: string;
let clock: SystemClock;
let topics: TopicManager;
let registry: SchemaRegistry;
let routes: RegistryRoute[];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'remote-schemas-'));
  clock = new SystemClock();
  topics = await TopicManager.open({ dataDir, clock });
  registry = await SchemaRegistry.open({ topics, clock });
  routes = registryRoutes(registry);
});
afterEach(async () => {
  await registry.close();
  await topics.close();
  clock.cancelAll();
  await rm(dataDir, { recursive: true, force: true });
});

/** The registry's answer to a forwarded GET, routed as the HTTP listener routes it. */
async function serve(req: ForwardedRequest): Promise<ForwardedResponse> {
  const url = new URL(req.pathAndQuery, 'http://leader');
  const parts = url.pathname.split('/');
  for (const r of routes) {
    const pattern = r.path.split('/');
    if (r.method !== req.method || pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (!pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i]!)), true) : p === parts[i]))) continue;
    const res = await r.handler({ query: url.searchParams, body: req.body, headers: req.headers }, params);
    return { status: res.status, body: Buffer.from(JSON.stringify(res.body)), contentType: res.contentType, headers: {} };
  }
  return { status: 404, body: Buffer.from('{"error_code":404}'), contentType: undefined, headers: {} };
}

/** Broker 2 forwarding to the others: `answer` decides what each broker says; the time moves only when told. */
function forwarder(answer: (to: number, req: ForwardedRequest) => Promise<ForwardedResponse>) {
  const calls: string[] = [];
  let now = 0;
  const f: RegistryForwarder = {
    nodeId: 2,
    now: () => now,
    pause: async (ms) => {
      now += ms;
    },
    forward: (to, req) => {
      calls.push(`${to} ${req.pathAndQuery}`);
      return answer(to, req);
    },
  };
  return { f, calls, advance: (ms: number) => (now += ms) };
}

const reg = (subject: string) => registry.write('register', (s) => register(s, subject, { schema: USER }, false)).then((r) => r.id);

describe('RemoteSchemas', () => {
  it('fetches an id with its subjects once, keeps it for the TTL, then sees a soft delete', async () => {
    const id = await reg('users-value');
    const { f, calls, advance } = forwarder((_to, req) => serve(req));
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    await remote.ensure([id, id]);
    expect(remote.schemaById(id)).toMatchObject({ id, schemaType: 'AVRO', schema: USER });
    expect(remote.isLiveUnder('users-value', id)).toBe(true);
    expect(remote.isLiveUnder('other-value', id)).toBe(false);
    expect(calls).toEqual([`1 /schemas/ids/${id}`, `1 /schemas/ids/${id}/versions`]);
    await registry.write('delete', (s) => deleteVersion(s, 'users-value', 1, false));
    await remote.ensure([id]);
    expect(calls.length).toBe(2); // cached
    expect(remote.isLiveUnder('users-value', id)).toBe(true);
    advance(CACHE_TTL_MS);
    await remote.ensure([id]);
    expect(remote.isLiveUnder('users-value', id)).toBe(false);
  });

  it('remembers an id the leader does not know for MISS_TTL_MS, then asks again and finds one registered meanwhile', async () => {
    const { f, calls, advance } = forwarder((_to, req) => serve(req));
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    await remote.ensure([1]);
    expect(remote.schemaById(1)).toBeUndefined();
    const id = await reg('late-value');
    expect(id).toBe(1);
    await remote.ensure([1]);
    expect(remote.schemaById(1)).toBeUndefined();
    expect(calls.filter((c) => c === '1 /schemas/ids/1').length).toBe(1);
    advance(MISS_TTL_MS);
    await remote.ensure([1]);
    expect(remote.isLiveUnder('late-value', 1)).toBe(true);
    expect(calls.filter((c) => c === '1 /schemas/ids/1').length).toBe(2);
  });

  it('a flood of batches with bad ids costs the leader one request per distinct id, however many batches', async () => {
    let atLeader = 0;
    const { f } = forwarder((_to, req) => {
      atLeader += 1;
      return serve(req);
    });
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    const bad = Array.from({ length: 50 }, (_, i) => 1000 + i);
    for (let batch = 0; batch < 20; batch++) await remote.ensure(bad);
    expect(atLeader).toBe(50);
    expect(remote.missing).toBe(50);
    // Concurrent batches naming the same ids (not yet known missing) share one request per id.
    const fresh = Array.from({ length: 10 }, (_, i) => 5000 + i);
    await Promise.all(Array.from({ length: 8 }, () => remote.ensure(fresh)));
    expect(atLeader).toBe(60);
  });

  it('shares one fetch between concurrent lookups of a known id', async () => {
    const id = await reg('users-value');
    let atLeader = 0;
    const { f } = forwarder((_to, req) => {
      atLeader += 1;
      return serve(req);
    });
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    await Promise.all([remote.ensure([id]), remote.ensure([id]), remote.ensure([id, id])]);
    // The schema and its subject-versions, once.
    expect(atLeader).toBe(2);
    expect(remote.isLiveUnder('users-value', id)).toBe(true);
  });

  it('forgets misses when a newer id than any seen is found, or this broker forwards a write', async () => {
    const first = await reg('a-value');
    let forwarded = 0n;
    const { f, calls } = forwarder((_to, req) => serve(req));
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1], writesForwarded: () => forwarded });
    await remote.ensure([first]);
    await remote.ensure([first + 1]);
    expect(remote.missing).toBe(1);
    const second = await registry.write('register', (s) => register(s, 'b-value', { schema: USER.replace('User', 'Other') }, false)).then((r) => r.id);
    const third = await registry.write('register', (s) => register(s, 'c-value', { schema: USER.replace('User', 'Third') }, false)).then((r) => r.id);
    expect([second, third]).toEqual([first + 1, first + 2]);
    // Still remembered missing: nothing told this broker otherwise yet.
    await remote.ensure([second]);
    expect(remote.schemaById(second)).toBeUndefined();
    // The newer id found: the misses before it may be registered now.
    await remote.ensure([third]);
    expect(remote.missing).toBe(0);
    await remote.ensure([second]);
    expect(remote.isLiveUnder('b-value', second)).toBe(true);

    await remote.ensure([first + 10]);
    expect(remote.missing).toBe(1);
    forwarded = 42n; // a write this broker forwarded reached offset 42 at the leader
    const asked = calls.length;
    await remote.ensure([first + 10]);
    expect(calls.length).toBe(asked + 1);
  });

  it('remembers at most MISS_CACHE_SIZE unknown ids, the oldest dropped first', async () => {
    const { f, calls } = forwarder((_to, req) => serve(req));
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    await remote.ensure(Array.from({ length: MISS_CACHE_SIZE + 1 }, (_, i) => i + 1));
    expect(remote.missing).toBe(MISS_CACHE_SIZE);
    const asked = calls.length;
    await remote.ensure([MISS_CACHE_SIZE + 1]);
    expect(calls.length).toBe(asked);
    await remote.ensure([1]);
    expect(calls.length).toBe(asked + 1);
  });

  it('goes on to the next replica when one cannot answer; a refusal or no answer at all is an error', async () => {
    const id = await reg('users-value');
    const down = forwarder((to, req) => (to === 1 ? Promise.reject(new Error('connection refused')) : serve(req)));
    const remote = new RemoteSchemas({ forwarder: down.f, sources: () => [1, 3] });
    await remote.ensure([id]);
    expect(remote.isLiveUnder('users-value', id)).toBe(true);

    const refused = forwarder(async () => ({ status: 401, body: Buffer.from('{"error_code":401,"message":"authentication required"}'), contentType: undefined, headers: {} }));
    await expect(new RemoteSchemas({ forwarder: refused.f, sources: () => [1] }).ensure([id])).rejects.toThrow(/answered 401/);
    expect(refused.calls.length).toBe(1);

    const none = forwarder(() => Promise.reject(new Error('connection refused')));
    await expect(new RemoteSchemas({ forwarder: none.f, sources: () => [1, 3] }).ensure([id])).rejects.toThrow(/broker 3: connection refused/);
    // Tried every 100 ms until the deadline, both brokers each time.
    expect(none.calls.length).toBe(2 * (FETCH_TIMEOUT_MS / 100 + 1));
    // Only itself to ask: nothing to fetch from.
    await expect(new RemoteSchemas({ forwarder: none.f, sources: () => [2] }).ensure([id])).rejects.toThrow(/no broker holds a replica/);
  });
});
