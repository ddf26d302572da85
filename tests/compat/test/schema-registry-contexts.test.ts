// Confluent's context URL prefix over real HTTP: `/contexts/{context}/…` is the `:.ctx:subject`
// qualified form of every registry route (subjects, versions, lookups, ids, compatibility, config,
// mode, deletes), listings and id lookups are scoped to the context, `/contexts/{ctx}/config` and
// `/mode` are the context's own settings, and a context name with a colon is a 400 in Confluent's shape.
import { startBroker, type RunningBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CT = 'application/vnd.schemaregistry.v1+json';
const EU_V1 = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'int' }] });
const EU_V2 = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'int' }, { name: 'note', type: 'string', default: '' }] });
const DEFAULT_V1 = JSON.stringify({ type: 'string' });

let broker: RunningBroker;
let base: string;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 } });
  base = `http://127.0.0.1:${broker.http!.port}`;
});
afterAll(async () => {
  await broker?.stop();
});

async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': CT, Accept: CT }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // GET …/schema of a non-JSON schema: the text itself
  }
  return { status: res.status, type: res.headers.get('content-type'), body: parsed };
}

const q = (s: string) => encodeURIComponent(s);

describe('schema registry: /contexts/{context}/… URL prefix', () => {
  it('registers, reads and looks up in the context, the same as the :.ctx: qualified subject', async () => {
    expect((await rest('POST', '/subjects/orders-value/versions', { schema: DEFAULT_V1 })).body).toEqual({ id: 1 });
    const reg = await rest('POST', '/contexts/.eu/subjects/orders-value/versions', { schema: EU_V1 });
    expect(reg).toEqual({ status: 200, type: CT, body: { id: 1 } }); // the context's own id space
    expect((await rest('GET', `/subjects/${q(':.eu:orders-value')}/versions`)).body).toEqual([1]);
    expect((await rest('GET', '/contexts/.eu/subjects/orders-value/versions/latest')).body).toEqual({ subject: ':.eu:orders-value', version: 1, id: 1, schema: EU_V1 });
    // The context named without its dot, or in its qualified spelling, is the same context.
    expect((await rest('GET', '/contexts/eu/subjects/orders-value/versions/1')).body).toMatchObject({ subject: ':.eu:orders-value', id: 1 });
    expect((await rest('GET', `/contexts/${q(':.eu:')}/subjects/orders-value/versions`)).body).toEqual([1]);
    expect((await rest('GET', '/contexts/.eu/subjects/orders-value/versions/1/schema')).body).toEqual(JSON.parse(EU_V1));
    expect((await rest('GET', '/contexts/.eu/subjects/orders-value/versions/1/referencedby')).body).toEqual([]);
    expect((await rest('POST', '/contexts/.eu/subjects/orders-value', { schema: EU_V1 })).body).toMatchObject({ subject: ':.eu:orders-value', version: 1, id: 1 });
    // A subject that names its own context keeps it (as Confluent's filter).
    expect((await rest('POST', `/contexts/.eu/subjects/${q(':.us:orders-value')}/versions`, { schema: EU_V1 })).body).toEqual({ id: 1 });
    expect((await rest('GET', `/subjects/${q(':.us:orders-value')}/versions`)).body).toEqual([1]);
  });

  it('listings and id lookups are scoped to the context', async () => {
    expect((await rest('GET', '/contexts/.eu/subjects')).body).toEqual([':.eu:orders-value']);
    expect((await rest('GET', '/contexts/.eu/subjects?subjectPrefix=orders')).body).toEqual([':.eu:orders-value']);
    expect((await rest('GET', '/contexts/.eu/subjects?subjectPrefix=nothing')).body).toEqual([]);
    expect((await rest('GET', '/schemas/ids/1')).body).toEqual({ schema: DEFAULT_V1 });
    expect((await rest('GET', '/contexts/.eu/schemas/ids/1')).body).toEqual({ schema: EU_V1 });
    expect((await rest('GET', '/contexts/.eu/schemas/ids/1/schema')).body).toEqual(JSON.parse(EU_V1));
    expect((await rest('GET', '/contexts/.eu/schemas/ids/1/subjects')).body).toEqual([':.eu:orders-value']);
    expect((await rest('GET', '/contexts/.eu/schemas/ids/1/versions')).body).toEqual([{ subject: ':.eu:orders-value', version: 1 }]);
    expect((await rest('GET', '/contexts/.eu/schemas/ids/2')).body).toMatchObject({ error_code: 40403 });
    expect((await rest('GET', '/contexts/.eu/schemas/types')).body).toEqual(['AVRO', 'JSON', 'PROTOBUF']);
  });

  it('the context’s own compatibility and mode, subject settings and compatibility checks in it', async () => {
    expect((await rest('PUT', '/contexts/.eu/config', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await rest('GET', `/config/${q(':.eu:')}`)).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await rest('GET', '/contexts/.eu/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await rest('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' }); // the global level is untouched
    expect((await rest('PUT', '/contexts/.eu/config/orders-value', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
    expect((await rest('GET', `/config/${q(':.eu:orders-value')}`)).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await rest('DELETE', '/contexts/.eu/config/orders-value')).body).toEqual({ compatibilityLevel: 'NONE' });
    const check = await rest('POST', '/contexts/.eu/compatibility/subjects/orders-value/versions/latest', { schema: EU_V2 });
    expect(check.body).toEqual({ is_compatible: true });
    const bad = await rest('POST', '/contexts/.eu/compatibility/subjects/orders-value/versions?verbose=true', { schema: DEFAULT_V1 });
    expect(bad.body).toMatchObject({ is_compatible: false });

    expect((await rest('PUT', '/contexts/.eu/mode', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    expect((await rest('GET', '/contexts/.eu/mode')).body).toEqual({ mode: 'READONLY' });
    const refused = await rest('POST', '/contexts/.eu/subjects/orders-value/versions', { schema: EU_V2 });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error_code: 42205 });
    expect((await rest('POST', '/subjects/other-value/versions', { schema: EU_V1 })).status).toBe(200); // another context is writable
    expect((await rest('PUT', '/contexts/.eu/mode/orders-value', { mode: 'READWRITE' })).body).toEqual({ mode: 'READWRITE' });
    expect((await rest('GET', `/mode/${q(':.eu:orders-value')}`)).body).toEqual({ mode: 'READWRITE' });
    expect((await rest('DELETE', '/contexts/.eu/mode/orders-value')).body).toEqual({ mode: 'READWRITE' });
    expect((await rest('PUT', `/mode/${q(':.eu:')}`, { mode: 'READWRITE' })).body).toEqual({ mode: 'READWRITE' });
    expect((await rest('DELETE', '/contexts/.eu/config')).status).toBe(200);
    expect((await rest('POST', '/contexts/.eu/subjects/orders-value/versions', { schema: EU_V2 })).body).toEqual({ id: 2 });
  });

  it('deletes in the context; a colon in the context name is a 400 in Confluent’s shape', async () => {
    expect((await rest('DELETE', '/contexts/.eu/subjects/orders-value/versions/2')).body).toBe(2);
    expect((await rest('GET', '/contexts/.eu/subjects/orders-value/versions')).body).toEqual([1]);
    expect((await rest('DELETE', '/contexts/.eu/subjects/orders-value')).body).toEqual([1]);
    expect((await rest('GET', '/contexts/.eu/subjects')).body).toEqual([]);
    expect((await rest('GET', '/contexts/.eu/subjects?deleted=true')).body).toEqual([':.eu:orders-value']);
    expect((await rest('GET', '/subjects/orders-value/versions')).body).toEqual([1]); // the default context's subject stays
    const bad = await rest('GET', `/contexts/${q('a:b')}/subjects`);
    expect(bad).toEqual({ status: 400, type: CT, body: { error_code: 400, message: 'Context name cannot contain a colon' } });
  });
});
