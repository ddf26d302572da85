// Acceptance with Confluent's own Node client, @confluentinc/schemaregistry, against mq's registry
// on the broker's HTTP listener: register, fetch by id and version, the Avro and JSON Schema
// serializers/deserializers round-tripping through the registry (and agreeing byte-wise with mq's
// own serdes), Confluent's errors as RestError (409/409, 422/42201, 404/40401, 422/42203), config,
// deletes — and Confluent-serialized values accepted by a topic with broker-side validation.
import {
  AvroDeserializer,
  AvroSerializer,
  Compatibility,
  JsonDeserializer,
  JsonSerializer,
  RestError,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { startBroker, type RunningBroker } from '@mq/broker';
import { SchemaSerde, type SchemaText } from '@mq/schema';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const USER = { type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'string' }] };
const USER_V2 = { ...USER, fields: [...USER.fields, { name: 'age', type: 'int', default: 0 }] };
const USER_BAD = { ...USER, fields: [...USER.fields, { name: 'email', type: 'string' }] };
const EVENT = { type: 'object', properties: { kind: { type: 'string' }, n: { type: 'integer' } }, required: ['kind'] };

describe('@confluentinc/schemaregistry against mq', () => {
  let broker: RunningBroker;
  let url: string;
  let client: SchemaRegistryClient;

  beforeAll(async () => {
    broker = await startBroker({ http: { port: 0 } });
    url = `http://127.0.0.1:${broker.http!.port}`;
    // No retries: an error must come from mq's first answer.
    client = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a RestError');
      },
      (e: unknown) => e as RestError,
    );

  it('registers and fetches: by subject and id, latest, versions, subjects; the same schema keeps its id', async () => {
    const id = await client.register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER) });
    expect(id).toBeGreaterThan(0);
    expect(await client.register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER) })).toBe(id);
    const fresh = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }); // nothing cached
    const byId = await fresh.getBySubjectAndId('users-value', id);
    expect(JSON.parse(byId.schema)).toEqual(USER);
    expect(await fresh.getId('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER) })).toBe(id);
    const latest = await fresh.getLatestSchemaMetadata('users-value');
    expect(latest).toMatchObject({ id, subject: 'users-value', version: 1 });
    const id2 = await client.register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER_V2) });
    expect(await fresh.getAllVersions('users-value')).toEqual([1, 2]);
    expect(await fresh.getVersion('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER_V2) })).toBe(2);
    expect((await fresh.getSchemaMetadata('users-value', 2)).id).toBe(id2);
    expect(await fresh.getAllSubjects()).toContain('users-value');
  });

  it('compatibility: testCompatibility, and errors as Confluent maps them (409/409, 422/42201, 404/40401, 422/42203)', async () => {
    expect(await client.testCompatibility('users-value', 2, { schemaType: 'AVRO', schema: JSON.stringify(USER_BAD) })).toBe(false);
    expect(await client.testCompatibility('users-value', 2, { schemaType: 'AVRO', schema: JSON.stringify(USER_V2) })).toBe(true);
    const conflict = await failure(client.register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER_BAD) }));
    expect(conflict).toBeInstanceOf(RestError);
    expect([conflict.status, conflict.errorCode]).toEqual([409, 409]);
    expect(conflict.message).toMatch(/Schema being registered is incompatible with an earlier schema for subject "users-value"/);
    const invalid = await failure(client.register('broken-value', { schemaType: 'AVRO', schema: '{"type": "record", "name": "X", "fields": [{"name": "a"}]}' }));
    expect([invalid.status, invalid.errorCode]).toEqual([422, 42201]);
    const missing = await failure(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }).getLatestSchemaMetadata('nobody-value'));
    expect([missing.status, missing.errorCode]).toEqual([404, 40401]);
    expect(missing.message).toMatch(/Subject 'nobody-value' not found/);
    const badLevel = await failure(client.updateConfig('users-value', { compatibility: 'SOMETIMES' as Compatibility }));
    expect([badLevel.status, badLevel.errorCode]).toEqual([422, 42203]);

    expect(await client.updateConfig('users-value', { compatibility: Compatibility.FULL })).toMatchObject({ compatibility: 'FULL' });
    expect(await client.getConfig('users-value')).toMatchObject({ compatibilityLevel: 'FULL' });
    expect(await client.updateDefaultConfig({ compatibility: Compatibility.BACKWARD_TRANSITIVE })).toMatchObject({ compatibility: 'BACKWARD_TRANSITIVE' });
    expect(await client.getDefaultConfig()).toMatchObject({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
    await client.updateDefaultConfig({ compatibility: Compatibility.BACKWARD });
  });

  it('Avro serializer/deserializer round trip through the registry; mq’s serdes read the same bytes', async () => {
    const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const bytes = await ser.serialize('users', { name: 'ann', age: 7 });
    const latest = await client.getLatestSchemaMetadata('users-value');
    expect(bytes.subarray(0, 5).toString('hex')).toBe(`00${latest.id!.toString(16).padStart(8, '0')}`);
    // A fresh client and deserializer: the schema is fetched by the id the bytes carry.
    const de = new AvroDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('users', bytes)).toEqual({ name: 'ann', age: 7 });
    const mqSerde = new SchemaSerde({
      schemaById: async (id) => (await (await fetch(`${url}/schemas/ids/${id}`)).json()) as SchemaText,
      schemaByVersion: async (s, v) => (await (await fetch(`${url}/subjects/${s}/versions/${v}`)).json()) as SchemaText,
    });
    expect((await mqSerde.decode(bytes)).value).toEqual({ name: 'ann', age: 7 });
    // And the other way: mq encodes, Confluent decodes.
    expect(await de.deserialize('users', await mqSerde.encode(latest.id!, { name: 'bo', age: 3 }))).toEqual({ name: 'bo', age: 3 });

    const autoReg = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const fresh = await autoReg.serialize('pets', { kind: 'cat' });
    expect((await client.getLatestSchemaMetadata('pets-value')).schemaType ?? 'AVRO').toBe('AVRO');
    expect(await de.deserialize('pets', fresh)).toEqual({ kind: 'cat' });
  });

  it('JSON Schema serializer/deserializer with validation', async () => {
    const id = await client.register('events-value', { schemaType: 'JSON', schema: JSON.stringify(EVENT) });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
    const bytes = await ser.serialize('events', { kind: 'click', n: 2 });
    expect(bytes.readInt32BE(1)).toBe(id);
    await expect(ser.serialize('events', { n: 2 })).rejects.toThrow();
    const de = new JsonDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { validate: true });
    expect(await de.deserialize('events', bytes)).toEqual({ kind: 'click', n: 2 });
  });

  it('values from the Confluent serializer pass broker-side validation (kafkajs producer); plain bytes do not', async () => {
    const kafka = new Kafka({ clientId: 'compat-confluent-sr', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    const producer = kafka.producer({ retry: { retries: 0 } });
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'users', numPartitions: 1, configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }] });
      const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
      const [meta] = await producer.send({ topic: 'users', messages: [{ value: await ser.serialize('users', { name: 'cy', age: 1 }) }] });
      expect(meta!.errorCode).toBe(0);
      const refused = await producer.send({ topic: 'users', messages: [{ value: Buffer.from('plain') }] }).catch((e: unknown) => e as Error);
      expect(refused).toBeInstanceOf(Error);
      expect((await admin.fetchTopicOffsets('users'))[0]!.high).toBe('1');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('soft then permanent delete', async () => {
    await client.register('gone-value', { schemaType: 'AVRO', schema: JSON.stringify(USER) });
    expect(await client.deleteSubject('gone-value')).toEqual([1]);
    const early = await failure(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }).getLatestSchemaMetadata('gone-value'));
    expect([early.status, early.errorCode]).toEqual([404, 40401]);
    expect(await client.deleteSubject('gone-value', true)).toEqual([1]);
    expect(await client.getAllSubjects()).not.toContain('gone-value');
  });
});
