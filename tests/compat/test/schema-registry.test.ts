// The schema registry on the broker's HTTP listener, driven by a real Confluent-API client nobody
// here wrote (@kafkajs/confluent-schema-registry): register, fetch by id, encode/decode for Avro,
// JSON Schema and Protobuf, Confluent's 409 on an incompatible schema — and the registry surviving a
// SIGKILL of a real broker process (its state replayed from `_schemas`).
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { startBroker, type RunningBroker } from '@mq/broker';
import { SchemaSerde, type SchemaText } from '@mq/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { makeTempDir, removeDir } from '../src/temp-dir';

const USER_V1 = { type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'string' }] };
const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'age', type: 'int', default: 0 }] };
const USER_BAD = { ...USER_V1, fields: [...USER_V1.fields, { name: 'email', type: 'string' }] };

describe('schema registry REST API with @kafkajs/confluent-schema-registry', () => {
  let broker: RunningBroker;
  let url: string;
  let registry: SchemaRegistry;

  beforeAll(async () => {
    broker = await startBroker({ http: { port: 0 } });
    url = `http://127.0.0.1:${broker.http!.port}`;
    registry = new SchemaRegistry({ host: url });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('Avro: register, fetch by id, encode and decode; the same schema again keeps its id', async () => {
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject: 'users-value' });
    expect(id).toBeGreaterThan(0);
    expect(await registry.getLatestSchemaId('users-value')).toBe(id);
    expect(await registry.getRegistryId('users-value', 1)).toBe(id);
    const encoded = await registry.encode(id, { name: 'ann' });
    expect(encoded.subarray(0, 5).toString('hex')).toBe(`00${id.toString(16).padStart(8, '0')}`);
    expect(await new SchemaRegistry({ host: url }).decode(encoded)).toEqual({ name: 'ann' }); // a fresh client: fetched by id
    const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject: 'users-value' });
    expect(again.id).toBe(id);
    const v2 = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V2) }, { subject: 'users-value' });
    expect(v2.id).toBe(id + 1);
  });

  it('an incompatible schema is refused with 409 and Confluent’s message', async () => {
    const err = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_BAD) }, { subject: 'users-value' }).catch((e: unknown) => e);
    expect((err as { status: number }).status).toBe(409);
    expect((err as Error).message).toMatch(/Schema being registered is incompatible with an earlier schema for subject "users-value"/);
    expect((err as Error).message).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE/);
    const res = await fetch(`${url}/compatibility/subjects/users-value/versions/latest?verbose=true`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(USER_BAD) }),
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
    const body = (await res.json()) as { is_compatible: boolean; messages: string[] };
    expect(body.is_compatible).toBe(false);
    expect(body.messages[0]).toMatch(/^Incompatibility\{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:\/fields\/1, message:email/);
  });

  it('JSON Schema: register, encode (validated), decode', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    const { id } = await registry.register({ type: SchemaType.JSON, schema }, { subject: 'numbers-value' });
    const encoded = await registry.encode(id, { n: 5 });
    expect(encoded.subarray(5).toString()).toBe('{"n":5}');
    expect(await new SchemaRegistry({ host: url }).decode(encoded)).toEqual({ n: 5 });
  });

  it('Protobuf: register, encode, decode; our framing (message indexes) decodes in their client', async () => {
    const schema = 'syntax = "proto3";\npackage shop;\nmessage Order {\n  int32 id = 1;\n  string note = 2;\n}\n';
    const { id } = await registry.register({ type: SchemaType.PROTOBUF, schema }, { subject: 'orders-value' });
    const encoded = await registry.encode(id, { id: 7, note: 'x' });
    const decoded = (await new SchemaRegistry({ host: url }).decode(encoded)) as { id: number; note: string };
    expect({ id: decoded.id, note: decoded.note }).toEqual({ id: 7, note: 'x' });
    // This client writes no message indexes (it strips leading zero bytes when decoding); Confluent's
    // serializers and ours write them. Bytes from @mq/schema's serde, fetched over REST, decode there.
    const serde = new SchemaSerde({
      schemaById: async (n) => (await fetch(`${url}/schemas/ids/${n}`)).json() as Promise<SchemaText>,
      schemaByVersion: async (s, v) => (await fetch(`${url}/subjects/${s}/versions/${v}`)).json() as Promise<SchemaText>,
    });
    const ours = await serde.encode(id, { id: 8, note: 'y' });
    expect(ours[5]).toBe(0); // message indexes [0]
    const theirs = (await new SchemaRegistry({ host: url }).decode(ours)) as { id: number; note: string };
    expect({ id: theirs.id, note: theirs.note }).toEqual({ id: 8, note: 'y' });
    const changed = 'syntax = "proto3";\npackage shop;\nmessage Order {\n  string id = 1;\n  string note = 2;\n}\n';
    const err = await registry.register({ type: SchemaType.PROTOBUF, schema: changed }, { subject: 'orders-value' }).catch((e: unknown) => e);
    expect((err as { status: number }).status).toBe(409);
    expect((err as Error).message).toMatch(/fullPath='#\/Order\/1', type=FIELD_SCALAR_KIND_CHANGED/);
  });

  it('REST error codes: 40401, 40402, 40403, 40408, 42201, 42202, 42203, 400 — as {error_code, message}', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as { error_code?: number; message?: string } };
    };
    expect(await call('GET', '/subjects/nope/versions')).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('GET', '/subjects/users-value/versions/99')).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call('GET', '/schemas/ids/9999')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call('GET', '/config/numbers-value')).toMatchObject({ status: 200 }); // the client set it on first registration
    expect(await call('GET', '/config/unconfigured')).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect(await call('POST', '/subjects/x/versions', { schema: '{"type":"record"}' })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call('GET', '/subjects/users-value/versions/zero')).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await call('PUT', '/config', { compatibility: 'SIDEWAYS' })).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect(await call('POST', '/subjects/x/versions', '{not json')).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect((await call('GET', '/schemas/types')).body).toEqual(['AVRO', 'JSON', 'PROTOBUF']);
    const raw = await fetch(`${url}/subjects/users-value/versions/1/schema`);
    expect(JSON.parse(await raw.text())).toEqual(USER_V1);
  });
});

describe('schema registry across a SIGKILL', () => {
  let dataDir: string;
  let proc: BrokerProcess | undefined;
  beforeAll(async () => {
    dataDir = await makeTempDir('schema-restart');
  });
  afterAll(async () => {
    await proc?.kill();
    await removeDir(dataDir);
  });

  const httpPortOf = (p: BrokerProcess): number => {
    for (const line of p.logLines) {
      const parsed = JSON.parse(line) as { msg?: string; httpPort?: number };
      if (parsed.msg === 'broker listening' && parsed.httpPort !== undefined) return parsed.httpPort;
    }
    throw new Error(`no httpPort in ${p.logLines.join('\n')}`);
  };

  it('subjects, ids, levels and soft deletes are replayed from _schemas after kill -9', async () => {
    proc = await BrokerProcess.start({ dataDir, extraArgs: ['--http-port', '0'] });
    let registry = new SchemaRegistry({ host: `http://127.0.0.1:${httpPortOf(proc)}` });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject: 'users-value' });
    const v2 = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V2) }, { subject: 'users-value' });
    const encoded = await registry.encode(v2.id, { name: 'bo', age: 3 });
    const del = await fetch(`http://127.0.0.1:${httpPortOf(proc)}/subjects/users-value/versions/1`, { method: 'DELETE' });
    expect(await del.json()).toBe(1);
    await proc.kill();

    proc = await BrokerProcess.start({ dataDir, extraArgs: ['--http-port', '0'] });
    const base = `http://127.0.0.1:${httpPortOf(proc)}`;
    registry = new SchemaRegistry({ host: base });
    expect(await new SchemaRegistry({ host: base }).decode(encoded)).toEqual({ name: 'bo', age: 3 });
    expect(await (await fetch(`${base}/subjects/users-value/versions`)).json()).toEqual([2]);
    expect(await (await fetch(`${base}/subjects/users-value/versions?deleted=true`)).json()).toEqual([1, 2]);
    expect(await (await fetch(`${base}/schemas/ids/${id}`)).json()).toEqual({ schema: JSON.stringify(USER_V1) });
    // Compatibility still holds against the replayed history; new ids continue after the old ones.
    const err = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_BAD) }, { subject: 'users-value' }).catch((e: unknown) => e);
    expect((err as { status: number }).status).toBe(409);
    const other = await registry.register({ type: SchemaType.JSON, schema: '{"type":"string"}' }, { subject: 'other-value' });
    expect(other.id).toBe(v2.id + 1);
  });
});
