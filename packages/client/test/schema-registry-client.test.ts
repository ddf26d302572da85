// SchemaRegistryClient and SchemaSerdes against a real broker's registry over HTTP: register,
// fetch, look up, list, delete, compatibility and config; Avro / JSON Schema / Protobuf encoded
// and decoded through the Confluent wire format; registry errors with Confluent's codes, an
// unreachable registry and a bad URL as clear errors.
import { createServer } from 'node:net';
import { startBroker, type RunningBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqClientError, SchemaRegistryClient, SchemaRegistryError, SchemaSerdes, SerdeError } from '../src/index';

const USER = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'string' }] });
const USER_V2 = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'com.example',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int', default: 0 },
  ],
});
const USER_BAD = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'int' }] });

let broker: RunningBroker;
let registry: SchemaRegistryClient;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 } });
  registry = new SchemaRegistryClient({ url: `http://127.0.0.1:${broker.http!.port}` });
});
afterAll(async () => {
  await broker?.stop();
});

describe('SchemaRegistryClient', () => {
  it('registers, fetches, looks up, lists, checks compatibility, configures and deletes', async () => {
    const id = await registry.register('users-value', { schema: USER });
    expect(await registry.register('users-value', { schema: USER })).toBe(id);
    expect(await registry.getVersion('users-value', 'latest')).toEqual({ subject: 'users-value', version: 1, id, schemaType: 'AVRO', schema: USER, references: [] });
    expect((await registry.schemaById(id)).schema).toBe(USER);
    expect(await registry.listSubjects()).toEqual(['users-value']);
    expect(await registry.checkCompatibility('users-value', { schema: USER_V2 })).toEqual({ is_compatible: true, messages: [] });
    const bad = await registry.checkCompatibility('users-value', { schema: USER_BAD });
    expect(bad.is_compatible).toBe(false);
    expect(bad.messages?.join(' ')).toMatch(/TYPE_MISMATCH/);
    const refused = await registry.register('users-value', { schema: USER_BAD }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SchemaRegistryError);
    expect((refused as SchemaRegistryError).status).toBe(409);
    expect((refused as Error).message).toMatch(/^Schema being registered is incompatible with an earlier schema for subject "users-value"/);
    const v2 = await registry.register('users-value', { schema: USER_V2 });
    expect((await registry.lookup('users-value', { schema: USER_V2 })).version).toBe(2);
    expect(await registry.listVersions('users-value')).toEqual([1, 2]);
    expect(await registry.latestId('users-value')).toBe(v2);
    expect(await registry.getCompatibility()).toBe('BACKWARD');
    expect(await registry.setCompatibility('FULL', 'users-value')).toBe('FULL');
    expect(await registry.getCompatibility('users-value')).toBe('FULL');
    expect(await registry.deleteVersion('users-value', 2)).toBe(2);
    expect(await registry.deleteSubject('users-value')).toEqual([1]);
    expect(await registry.deleteSubject('users-value', { permanent: true })).toEqual([1, 2]);
    const gone = await registry.getVersion('users-value', 'latest').catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: 'SchemaRegistryError', status: 404, registryErrorCode: 40401 });
    expect((gone as Error).message).toBe("Subject 'users-value' not found. (HTTP 404, error_code 40401)");
  });

  it('SchemaSerdes: Avro, JSON Schema and Protobuf through the wire format; bad values are SerdeErrors', async () => {
    const serdes = new SchemaSerdes(registry);
    await registry.register('avro-value', { schema: USER });
    const avro = await serdes.encode('avro-value', { name: 'ann' });
    expect(avro[0]).toBe(0);
    expect((await serdes.decode(avro)).value).toEqual({ name: 'ann' });
    await expect(serdes.encode('avro-value', { name: 42 })).rejects.toBeInstanceOf(SerdeError);

    const json = JSON.stringify({ type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] });
    await registry.register('json-value', { schema: json, schemaType: 'JSON' });
    const encoder = await serdes.encoderFor('json-value');
    expect((await serdes.decode(encoder.encode({ qty: 3 }))).value).toEqual({ qty: 3 });
    expect(() => encoder.encode({ qty: 'three' })).toThrow(SerdeError);

    const proto = 'syntax = "proto3";\npackage shop;\nmessage Cart { string id = 1; }\nmessage Item { string sku = 1; int32 count = 2; }\n';
    await registry.register('proto-value', { schema: proto, schemaType: 'PROTOBUF' });
    const item = await serdes.encode('proto-value', { sku: 'a-1', count: 2 }, { messageName: 'shop.Item' });
    expect(await serdes.decode(item)).toMatchObject({ value: { sku: 'a-1', count: 2 }, messageName: 'shop.Item' });
    await expect(serdes.decode(Buffer.from('plain'))).rejects.toBeInstanceOf(SerdeError);
  });

  it('subject-level and global settings: own level or 40408, delete back to global, modes, ids to their subject-versions', async () => {
    const SETTINGS = JSON.stringify({ type: 'record', name: 'Settings', fields: [{ name: 'on', type: 'boolean' }] });
    const id = await registry.register('settings-value', { schema: SETTINGS });
    await registry.register('settings-copy', { schema: SETTINGS });
    expect(await registry.versionsOfId(id)).toEqual([
      { subject: 'settings-copy', version: 1 },
      { subject: 'settings-value', version: 1 },
    ]);
    const none = await registry.getCompatibility('settings-value', { defaultToGlobal: false }).catch((e: unknown) => e);
    expect(none).toMatchObject({ status: 404, registryErrorCode: 40408 });
    expect(await registry.getCompatibility('settings-value')).toBe('BACKWARD');
    await registry.setCompatibility('NONE', 'settings-value');
    expect(await registry.getCompatibility('settings-value', { defaultToGlobal: false })).toBe('NONE');
    expect(await registry.deleteCompatibility('settings-value')).toBe('NONE');
    expect(await registry.getCompatibility('settings-value')).toBe('BACKWARD');
    expect(await registry.setCompatibility('FORWARD')).toBe('FORWARD');
    expect(await registry.deleteCompatibility()).toBe('FORWARD');
    expect(await registry.getCompatibility()).toBe('BACKWARD');

    expect(await registry.getMode()).toBe('READWRITE');
    expect(await registry.getMode('settings-value', { defaultToGlobal: false }).catch((e: unknown) => e)).toMatchObject({ registryErrorCode: 40409 });
    expect(await registry.setMode('READONLY', 'settings-value')).toBe('READONLY');
    expect(await registry.getMode('settings-value')).toBe('READONLY');
    const refused = await registry.register('settings-value', { schema: USER }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 422, registryErrorCode: 42205 });
    // IMPORT on a subject that holds schemas needs force, as Confluent.
    expect(await registry.setMode('IMPORT', 'settings-copy').catch((e: unknown) => e)).toMatchObject({ registryErrorCode: 42205 });
    expect(await registry.setMode('IMPORT', 'settings-copy', { force: true })).toBe('IMPORT');
    await registry.setMode('READWRITE', 'settings-value');
    await registry.setMode('READWRITE', 'settings-copy');
  });

  it('an unreachable registry and a bad URL are clear errors', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const away = new SchemaRegistryClient({ url: `http://127.0.0.1:${closed}` });
    const err = await away.listSubjects().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MqClientError);
    expect((err as MqClientError).retriable).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^schema registry at http://127.0.0.1:${closed} unreachable: .*ECONNREFUSED`));
    // A list of URLs (every broker of a cluster serves the registry): an unreachable one passes the request on.
    const listed = new SchemaRegistryClient({ url: `http://127.0.0.1:${closed}, http://127.0.0.1:${broker.http!.port}` });
    expect(await listed.listSubjects()).toEqual(await registry.listSubjects());
    expect(await listed.register('listed-value', { schema: USER })).toBeGreaterThan(0);
    const none = await new SchemaRegistryClient({ url: `http://127.0.0.1:${closed},http://127.0.0.1:${closed}/x` }).listSubjects().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(none?.message).toMatch(new RegExp(`^schema registry at http://127.0.0.1:${closed} unreachable: .*ECONNREFUSED.*; http://127.0.0.1:${closed}/x unreachable: `));
    expect(() => new SchemaRegistryClient({ url: 'not a url' })).toThrow(/is not a URL/);
    expect(() => new SchemaRegistryClient({ url: ' , ' })).toThrow(/is not a URL/);
    expect(() => new SchemaRegistryClient({ url: 'ftp://127.0.0.1' })).toThrow(/must be http/);
  });
});
