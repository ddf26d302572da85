// What broker-side validation on a broker without a `_schemas` replica reads: schemas fetched by id
// from another broker's registry routes (here a real registry on a temp TopicManager, its routes
// called in-process as the leader's listener would) — cached for CACHE_TTL_MS, so a soft delete is
// seen once that has passed; an unknown id asked again each time; a broker that cannot answer
// skipped for the next replica; a refusal (401) or no answer within FETCH_TIMEOUT_MS an error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { deleteVersion, register } from '@mq/schema';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ForwardedRequest, type ForwardedResponse, type RegistryForwarder, type RegistryRoute, registryRoutes, SchemaRegistry } from '../src/index.js';
import { CACHE_TTL_MS, FETCH_TIMEOUT_MS, RemoteSchemas } from '../src/validation/remote-schemas.js';

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

  it('asks again for an id it was told does not exist; one registered meanwhile is found', async () => {
    const { f, calls } = forwarder((_to, req) => serve(req));
    const remote = new RemoteSchemas({ forwarder: f, sources: () => [1] });
    await remote.ensure([1]);
    expect(remote.schemaById(1)).toBeUndefined();
    const id = await reg('late-value');
    expect(id).toBe(1);
    await remote.ensure([1]);
    expect(remote.isLiveUnder('late-value', 1)).toBe(true);
    expect(calls.filter((c) => c === '1 /schemas/ids/1').length).toBe(2);
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
