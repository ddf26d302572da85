// Acceptance with Confluent's own Node client, @confluentinc/schemaregistry, against mq's registry
// on the broker's HTTP listener: register, fetch by id and version, the Avro and JSON Schema
// serializers/deserializers round-tripping through the registry (and agreeing byte-wise with mq's
// own serdes), Confluent's errors as RestError (409/409, 422/42201, 404/40401, 422/42203), config,
// deletes — and Confluent-serialized values accepted by a topic with broker-side validation. Its
// Protobuf serdes work on @bufbuild/protobuf descriptors: they register and fetch schemas as
// serialized FileDescriptorProtos (`format=serialized`).
import { create, createFileRegistry, createMutableRegistry, fromBinary, fromJson, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  AvroDeserializer,
  AvroSerializer,
  Compatibility,
  JsonDeserializer,
  JsonSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  RestError,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { startBroker, type RunningBroker } from '@mq/broker';
import { SchemaRegistryClient as MqSchemaRegistryClient, SchemaSerdes } from '@mq/client';
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

  /** The registry's serialized form of schema `id` as a FileDescriptorProto (what Confluent's Protobuf serdes fetch). */
  const servedFile = async (id: number) => {
    const body = (await (await fetch(`${url}/schemas/ids/${id}?format=serialized`)).json()) as { schema: string; schemaType: string };
    expect(body.schemaType).toBe('PROTOBUF');
    return fromBinary(FileDescriptorProtoSchema, Buffer.from(body.schema, 'base64'));
  };

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

  it('Protobuf serializer/deserializer: registered as a descriptor, stored as text, fetched serialized; mq’s serdes read the same bytes both ways', async () => {
    // The message types as an application has them: generated code (protoc-gen-es) embeds the file's
    // descriptor as protoc wrote it; here it is read from its JSON form.
    const file = fromJson(FileDescriptorProtoSchema, {
      name: 'shop/order.proto',
      package: 'shop',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Order',
          field: [
            { name: 'id', jsonName: 'id', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' },
            { name: 'note', jsonName: 'note', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
            { name: 'lines', jsonName: 'lines', number: 3, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', typeName: '.shop.Line' },
          ],
        },
        { name: 'Line', field: [{ name: 'sku', jsonName: 'sku', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' }] },
      ],
    });
    const registry = createMutableRegistry(createFileRegistry(file, () => undefined));
    const Order = registry.getMessage('shop.Order')!;
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const bytes = await ser.serialize('orders', create(Order, { id: 7, note: 'x', lines: [{ sku: 'a' }] }));
    const latest = await client.getLatestSchemaMetadata('orders-value');
    expect(bytes.readInt32BE(1)).toBe(latest.id);
    expect(bytes[5]).toBe(0); // message indexes [0]: the first message of the file
    // Stored as the .proto text the descriptor describes, which every other reader gets.
    expect(latest.schemaType).toBe('PROTOBUF');
    expect(latest.schema).toMatch(/^syntax="proto3";package shop;message Order\{int32 id=1;string note=2;repeated \.shop\.Line lines=3;\}/);
    // The same serializer again (a restarted producer): the same id.
    const again = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    expect((await again.serialize('orders', create(Order, { id: 1 }))).readInt32BE(1)).toBe(latest.id);

    // A fresh deserializer fetches the writer's schema by id with format=serialized.
    const de = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('orders', bytes)).toMatchObject({ $typeName: 'shop.Order', id: 7, note: 'x', lines: [{ $typeName: 'shop.Line', sku: 'a' }] });
    const mqSerde = new SchemaSerde({
      schemaById: async (id) => (await (await fetch(`${url}/schemas/ids/${id}`)).json()) as SchemaText,
      schemaByVersion: async (s, v) => (await (await fetch(`${url}/subjects/${s}/versions/${v}`)).json()) as SchemaText,
    });
    expect((await mqSerde.decode(bytes)).value).toMatchObject({ id: 7, note: 'x', lines: [{ sku: 'a' }] });
    expect(await de.deserialize('orders', await mqSerde.encode(latest.id!, { id: 8, note: 'y', lines: [{ sku: 'b' }] }))).toMatchObject({
      id: 8,
      note: 'y',
      lines: [{ sku: 'b' }],
    });

    // A schema registered as text, used by a serializer that takes the latest version (fetched serialized).
    const text = 'syntax = "proto3";\npackage shop;\nmessage Refund {\n  int32 order = 1;\n  string reason = 2;\n}\n';
    const refundId = await client.register('refunds-value', { schemaType: 'PROTOBUF', schema: text });
    // The application's types here come from the registry's own serialized form (as a consumer generating code from it would).
    const refunds = createMutableRegistry(createFileRegistry(await servedFile(refundId), () => undefined));
    const Refund = refunds.getMessage('shop.Refund')!;
    const byLatest = new ProtobufSerializer(client, SerdeType.VALUE, { useLatestVersion: true, registry: refunds });
    const refund = await byLatest.serialize('refunds', create(Refund, { order: 7, reason: 'late' }));
    expect(refund.readInt32BE(1)).toBe(refundId);
    expect((await mqSerde.decode(refund)).value).toEqual({ order: 7, reason: 'late' });
  });

  it('Protobuf as .proto text over HTTP and as the serializer’s descriptor: one id and one version, whichever came first', async () => {
    const post = async (subject: string, schema: string) => {
      const res = await fetch(`${url}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schemaType: 'PROTOBUF', schema }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { id: number }).id;
    };
    const versions = async (subject: string) => (await (await fetch(`${url}/subjects/${subject}/versions`)).json()) as number[];
    // The file as a developer writes it (comments, its own layout, enum first) and as protoc describes it.
    const text = 'syntax = "proto3";\npackage ship;\n// sizes\nenum Unit { UNIT_CM = 0; UNIT_IN = 1; }\nmessage Parcel {\n  int64 weight = 1;\n  Dim dim = 2;\n  Unit unit = 3;\n}\nmessage Dim { int32 w = 1; int32 h = 2; }\n';
    const file = fromJson(FileDescriptorProtoSchema, {
      name: 'ship/parcel.proto',
      package: 'ship',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Parcel',
          field: [
            { name: 'weight', jsonName: 'weight', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_INT64' },
            { name: 'dim', jsonName: 'dim', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', typeName: '.ship.Dim' },
            { name: 'unit', jsonName: 'unit', number: 3, label: 'LABEL_OPTIONAL', type: 'TYPE_ENUM', typeName: '.ship.Unit' },
          ],
        },
        {
          name: 'Dim',
          field: [
            { name: 'w', jsonName: 'w', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' },
            { name: 'h', jsonName: 'h', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' },
          ],
        },
      ],
      enumType: [{ name: 'Unit', value: [{ name: 'UNIT_CM', number: 0 }, { name: 'UNIT_IN', number: 1 }] }],
    });
    const registry = createMutableRegistry(createFileRegistry(file, () => undefined));
    const Parcel = registry.getMessage('ship.Parcel')!;
    const parcel = create(Parcel, { weight: 3n, dim: { w: 1, h: 2 }, unit: 1 });

    // Text first, then the serializer registers its descriptor under the same subject.
    const id = await post('parcels-value', text);
    const ser = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const bytes = await ser.serialize('parcels', parcel);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await versions('parcels-value')).toEqual([1]);
    // The descriptor first (another subject), then the text: the id again, one version.
    const other = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    expect((await other.serialize('boxes', parcel)).readInt32BE(1)).toBe(id);
    expect(await post('boxes-value', text)).toBe(id);
    expect(await versions('boxes-value')).toEqual([1]);
    const de = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('parcels', bytes)).toMatchObject({ $typeName: 'ship.Parcel', weight: 3n, dim: { w: 1, h: 2 }, unit: 1 });
  });

  it('Protobuf with an imported file: the serializer registers the import as a reference, round trip through a fresh deserializer, compatibility through the reference', async () => {
    const CT = 'application/vnd.schemaregistry.v1+json';
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, { method, headers: { 'Content-Type': CT }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const money = fromJson(FileDescriptorProtoSchema, {
      name: 'fin/money.proto',
      package: 'fin',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Money',
          field: [
            { name: 'currency', jsonName: 'currency', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
            { name: 'units', jsonName: 'units', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_INT64' },
          ],
        },
      ],
    });
    const invoice = fromJson(FileDescriptorProtoSchema, {
      name: 'billing/invoice.proto',
      package: 'billing',
      dependency: ['fin/money.proto'],
      syntax: 'proto3',
      messageType: [
        {
          name: 'Invoice',
          field: [
            { name: 'number', jsonName: 'number', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
            { name: 'total', jsonName: 'total', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', typeName: '.fin.Money' },
          ],
        },
      ],
    });
    const registry = createMutableRegistry(createFileRegistry(invoice, (name) => (name === 'fin/money.proto' ? money : undefined)));
    const Invoice = registry.getMessage('billing.Invoice')!;
    const ser = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const bytes = await ser.serialize('invoices', create(Invoice, { number: 'A-1', total: { currency: 'EUR', units: 12n } }));

    // The import went in as its own subject (named after the file), referenced by name from the invoice.
    const latest = await call('GET', '/subjects/invoices-value/versions/latest');
    expect(latest.status).toBe(200);
    expect(bytes.readInt32BE(1)).toBe(latest.body.id);
    expect(latest.body.references).toEqual([{ name: 'fin/money.proto', subject: 'fin/money.proto', version: 1 }]);
    expect(latest.body.schema).toMatch(/import "fin\/money\.proto";/);
    expect((await call('GET', `/subjects/${encodeURIComponent('fin/money.proto')}/versions/1`)).body.schema).toMatch(/message Money\{string currency=1;int64 units=2;\}/);
    expect((await call('GET', `/subjects/${encodeURIComponent('fin/money.proto')}/versions/1/referencedby`)).body).toEqual([latest.body.id]);

    // A fresh deserializer fetches the writer's schema and its reference (both serialized).
    const de = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('invoices', bytes)).toMatchObject({ $typeName: 'billing.Invoice', number: 'A-1', total: { $typeName: 'fin.Money', currency: 'EUR', units: 12n } });
    // Again from a fresh serializer: the same ids, no new versions.
    const again = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    expect((await again.serialize('invoices', create(Invoice, { number: 'A-2' }))).readInt32BE(1)).toBe(latest.body.id);
    expect((await call('GET', '/subjects/invoices-value/versions')).body).toEqual([1]);

    // The same invoice as .proto text with the reference, over HTTP: the same id.
    const text = 'syntax = "proto3";\npackage billing;\nimport "fin/money.proto";\nmessage Invoice {\n  string number = 1;\n  fin.Money total = 2;\n}\n';
    const refs = [{ name: 'fin/money.proto', subject: 'fin/money.proto', version: 1 }];
    expect((await call('POST', '/subjects/invoices-value/versions', { schemaType: 'PROTOBUF', schema: text, references: refs })).body).toEqual({ id: latest.body.id });

    // Money's units become a string (its own subject allows anything): an invoice referencing that
    // version breaks the invoice's compatibility through the imported type — 409, nothing registered.
    expect((await call('PUT', `/config/${encodeURIComponent('fin/money.proto')}`, { compatibility: 'NONE' })).status).toBe(200);
    const money2 = 'syntax = "proto3";\npackage fin;\nmessage Money {\n  string currency = 1;\n  string units = 2;\n}\n';
    expect((await call('POST', `/subjects/${encodeURIComponent('fin/money.proto')}/versions`, { schemaType: 'PROTOBUF', schema: money2 })).status).toBe(200);
    const refs2 = [{ name: 'fin/money.proto', subject: 'fin/money.proto', version: 2 }];
    const check = await call('POST', '/compatibility/subjects/invoices-value/versions/latest?verbose=true', { schemaType: 'PROTOBUF', schema: text, references: refs2 });
    expect(check.body.is_compatible).toBe(false);
    expect(JSON.stringify(check.body.messages)).toMatch(/FIELD_SCALAR_KIND_CHANGED/);
    const refused = await call('POST', '/subjects/invoices-value/versions', { schemaType: 'PROTOBUF', schema: text, references: refs2 });
    expect([refused.status, refused.body.error_code]).toEqual([409, 409]);
    // A descriptor importing a file it names no reference for: 42201, naming the import.
    const lone = Buffer.from(toBinary(FileDescriptorProtoSchema, invoice)).toString('base64');
    const missing = await call('POST', '/subjects/lone-value/versions', { schemaType: 'PROTOBUF', schema: lone });
    expect([missing.status, missing.body.error_code]).toEqual([422, 42201]);
    expect(String(missing.body.message)).toMatch(/fin\/money\.proto/);
  });

  it('mq’s own serdes (@mq/client) with Protobuf imports: they register and resolve references as @confluentinc/schemaregistry does, and read each other’s bytes', async () => {
    const mq = new MqSchemaRegistryClient({ url });
    // A chain of imports: a place has a point, whose unit is in a third file.
    const unitText = 'syntax = "proto3";\npackage geo;\nenum Unit { UNIT_DEG = 0; UNIT_RAD = 1; }\n';
    const pointText = 'syntax = "proto3";\npackage geo;\nimport "geo/unit.proto";\nmessage Point {\n  double lat = 1;\n  double lon = 2;\n  geo.Unit unit = 3;\n}\n';
    const placeText = 'syntax = "proto3";\npackage maps;\nimport "geo/point.proto";\nmessage Place {\n  string name = 1;\n  geo.Point at = 2;\n  repeated geo.Point border = 3;\n}\n';
    // Each import under the subject named after its file (Confluent's DefaultReferenceSubjectNameStrategy).
    const unitId = await mq.register('geo/unit.proto', { schemaType: 'PROTOBUF', schema: unitText });
    await mq.register('geo/point.proto', { schemaType: 'PROTOBUF', schema: pointText, references: [{ name: 'geo/unit.proto', subject: 'geo/unit.proto', version: 1 }] });
    const placeId = await mq.register('places-value', { schemaType: 'PROTOBUF', schema: placeText, references: [{ name: 'geo/point.proto', subject: 'geo/point.proto', version: 1 }] });
    expect(unitId).toBeGreaterThan(0);
    expect((await mq.getVersion('places-value', 'latest')).references).toEqual([{ name: 'geo/point.proto', subject: 'geo/point.proto', version: 1 }]);

    // mq encodes with the imported types (enums by name, as it decodes them); a fresh mq client resolves the chain and decodes.
    const serdes = new SchemaSerdes(mq);
    const place = { name: 'pier', at: { lat: 52.5, lon: 13.4, unit: 'UNIT_RAD' }, border: [{ lat: 1, lon: 2 }, { lat: 3, lon: 4 }] };
    const bytes = await serdes.encode('places-value', place);
    expect(bytes.readInt32BE(1)).toBe(placeId);
    const fresh = new SchemaSerdes(new MqSchemaRegistryClient({ url }));
    expect(await fresh.decode(bytes)).toEqual({ schemaId: placeId, value: place, messageName: 'maps.Place' });
    // A value the schema cannot hold is refused before anything is framed.
    await expect(serdes.encode('places-value', { name: 'x', at: { lat: 'north' } })).rejects.toThrow(/at.lat: number expected/);
    // Confluent's deserializer decodes mq's bytes of a message with one import (it fetches a reference's
    // own references as text, not serialized — @confluentinc/schemaregistry 1.10's resolveReferences
    // drops the format when it recurses — so a chain of two it cannot read, from any registry).
    const pointBytes = await serdes.encode('geo/point.proto', { lat: 1.5, lon: -2, unit: 'UNIT_RAD' });
    const de = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('points', pointBytes)).toMatchObject({ $typeName: 'geo.Point', lat: 1.5, lon: -2, unit: 1 });

    // Confluent's serializer, from the application's descriptors of the same three files: the same
    // ids, no new versions (it looks up each import as the subject named after its file).
    const unit = fromJson(FileDescriptorProtoSchema, { name: 'geo/unit.proto', package: 'geo', syntax: 'proto3', enumType: [{ name: 'Unit', value: [{ name: 'UNIT_DEG', number: 0 }, { name: 'UNIT_RAD', number: 1 }] }] });
    const point = fromJson(FileDescriptorProtoSchema, {
      name: 'geo/point.proto',
      package: 'geo',
      dependency: ['geo/unit.proto'],
      syntax: 'proto3',
      messageType: [
        {
          name: 'Point',
          field: [
            { name: 'lat', jsonName: 'lat', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_DOUBLE' },
            { name: 'lon', jsonName: 'lon', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_DOUBLE' },
            { name: 'unit', jsonName: 'unit', number: 3, label: 'LABEL_OPTIONAL', type: 'TYPE_ENUM', typeName: '.geo.Unit' },
          ],
        },
      ],
    });
    const placeFile = fromJson(FileDescriptorProtoSchema, {
      name: 'maps/place.proto',
      package: 'maps',
      dependency: ['geo/point.proto'],
      syntax: 'proto3',
      messageType: [
        {
          name: 'Place',
          field: [
            { name: 'name', jsonName: 'name', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
            { name: 'at', jsonName: 'at', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', typeName: '.geo.Point' },
            { name: 'border', jsonName: 'border', number: 3, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', typeName: '.geo.Point' },
          ],
        },
      ],
    });
    const files = new Map([unit, point].map((f) => [f.name, f]));
    const registry = createMutableRegistry(createFileRegistry(placeFile, (name) => files.get(name)));
    const Place = registry.getMessage('maps.Place')!;
    const ser = new ProtobufSerializer(new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 }), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const theirs = await ser.serialize('places', create(Place, { name: 'gate', at: { lat: 7, lon: 8, unit: 0 } }));
    expect(theirs.readInt32BE(1)).toBe(placeId);
    for (const subject of ['places-value', 'geo/point.proto', 'geo/unit.proto']) expect(await mq.listVersions(subject)).toEqual([1]);
    // mq's serdes (a fresh client: nothing cached) decode Confluent's bytes through the same chain.
    expect((await new SchemaSerdes(new MqSchemaRegistryClient({ url })).decode(theirs)).value).toMatchObject({ name: 'gate', at: { lat: 7, lon: 8 } });
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
