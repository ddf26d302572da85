// The Confluent wire format (golden bytes) and the serdes for each schema type over a schema source.
import { describe, expect, it } from 'vitest';
import {
  encodeHeader,
  encodeMessageIndexes,
  readMessageIndexes,
  readSchemaId,
  SchemaSerde,
  type SchemaSource,
  type SchemaText,
  SerdeError,
  subjectName,
  recordNameOf,
  parseSubjectNameStrategy,
  parseSchema,
} from '../src/index.js';

describe('wire format', () => {
  it('magic 0 and a big-endian id (golden bytes)', () => {
    expect(encodeHeader(1).toString('hex')).toBe('0000000001');
    expect(encodeHeader(0x01020304).toString('hex')).toBe('0001020304');
    expect(readSchemaId(Buffer.from('00000000ff', 'hex'))).toBe(255);
    expect(() => readSchemaId(Buffer.from('0100000001', 'hex'))).toThrow(/magic byte 1/);
    expect(() => readSchemaId(Buffer.from('000000', 'hex'))).toThrow(/shorter than the 5-byte/);
  });

  it('message indexes: [0] is the single byte 0, others a zigzag count then zigzag indexes', () => {
    expect(encodeMessageIndexes([0]).toString('hex')).toBe('00');
    expect(encodeMessageIndexes([1]).toString('hex')).toBe('0202');
    expect(encodeMessageIndexes([0, 1]).toString('hex')).toBe('040002');
    expect(encodeMessageIndexes([70]).toString('hex')).toBe('028c01');
    expect(readMessageIndexes(Buffer.from('028c01ff', 'hex'), 0)).toEqual({ indexes: [70], next: 3 });
    expect(readMessageIndexes(Buffer.from('00', 'hex'), 0)).toEqual({ indexes: [0], next: 1 });
    expect(() => readMessageIndexes(Buffer.from('04', 'hex'), 0)).toThrow(/truncated/);
  });
});

class MapSource implements SchemaSource {
  constructor(private readonly byId: Record<number, SchemaText>, private readonly byVersion: Record<string, SchemaText> = {}) {}
  schemaById(id: number) {
    const s = this.byId[id];
    if (!s) throw new Error(`no schema ${id}`);
    return s;
  }
  schemaByVersion(subject: string, version: number) {
    return this.byVersion[`${subject}/${version}`]!;
  }
}

const PROTO = 'syntax = "proto3"; package shop; import "money.proto"; message Order { int32 id = 1; common.Money total = 2; repeated string tags = 3; }\nmessage Refund { int64 order = 1; }';

const source = new MapSource(
  {
    1: { schema: '{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}' },
    2: { schemaType: 'JSON', schema: '{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}' },
    3: { schemaType: 'PROTOBUF', schema: PROTO, references: [{ name: 'money.proto', subject: 'money', version: 1 }] },
  },
  { 'money/1': { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; package common; message Money { int64 cents = 1; }' } },
);

describe('SchemaSerde', () => {
  it('Avro: encodes the binary encoding after the header and decodes it back', async () => {
    const serde = new SchemaSerde(source);
    const bytes = await serde.encode(1, { name: 'ann', age: 42 });
    expect(bytes.toString('hex')).toBe(`0000000001${'06616e6e'}54`);
    expect(await serde.decode(bytes)).toEqual({ schemaId: 1, value: { name: 'ann', age: 42 } });
    await expect(serde.encode(1, { name: 'ann', age: 'x' })).rejects.toThrow(/does not match the Avro schema at age/);
    await expect(serde.decode(Buffer.concat([bytes, Buffer.from([1])]))).rejects.toBeInstanceOf(SerdeError);
  });

  it('JSON Schema: JSON text after the header, validated both ways', async () => {
    const serde = new SchemaSerde(source);
    const bytes = await serde.encode(2, { n: 3 });
    expect(bytes.subarray(5).toString()).toBe('{"n":3}');
    expect((await serde.decode(bytes)).value).toEqual({ n: 3 });
    await expect(serde.encode(2, { n: 'three' })).rejects.toThrow(/must be integer/);
    await expect(serde.decode(Buffer.concat([encodeHeader(2), Buffer.from('{}')]))).rejects.toThrow(/required property 'n'/);
  });

  it('Protobuf: message indexes pick the message; references resolve through the source', async () => {
    const serde = new SchemaSerde(source);
    const order = await serde.encode(3, { id: 7, total: { cents: 250 }, tags: ['a'] });
    expect(order.subarray(0, 6).toString('hex')).toBe('000000000300');
    expect(await serde.decode(order)).toEqual({ schemaId: 3, value: { id: 7, total: { cents: '250' }, tags: ['a'] }, messageName: 'shop.Order' });
    const refund = await serde.encode(3, { order: 9 }, { messageName: 'shop.Refund' });
    expect(refund.subarray(5, 7).toString('hex')).toBe('0202');
    expect((await serde.decode(refund)).messageName).toBe('shop.Refund');
    await expect(serde.encode(3, { id: 'x' })).rejects.toThrow(/id: integer expected/);
    await expect(serde.decode(Buffer.concat([encodeHeader(3), Buffer.from('0208', 'hex')]))).rejects.toThrow(/name no message/);
  });

  it('Protobuf: what decode gives back encodes again — enums by name, 64-bit integers as strings or bigints, in maps, lists and imported types', async () => {
    const unit = 'syntax = "proto3"; package geo; enum Unit { UNIT_DEG = 0; UNIT_RAD = 1; }';
    const point = 'syntax = "proto3"; package geo; import "unit.proto"; message Point { sint64 lat = 1; geo.Unit unit = 2; }';
    const place = 'syntax = "proto3"; package maps; import "point.proto"; message Place { uint64 big = 1; repeated geo.Point border = 2; map<string, geo.Unit> units = 3; geo.Point at = 4; }';
    const serde = new SchemaSerde(
      new MapSource(
        { 4: { schemaType: 'PROTOBUF', schema: place, references: [{ name: 'point.proto', subject: 'point', version: 1 }] } },
        {
          'point/1': { schemaType: 'PROTOBUF', schema: point, references: [{ name: 'unit.proto', subject: 'unit', version: 1 }] },
          'unit/1': { schemaType: 'PROTOBUF', schema: unit },
        },
      ),
    );
    const value = { big: '18446744073709551615', border: [{ lat: '-9007199254740993', unit: 'UNIT_RAD' }, { lat: 2 }], units: { a: 'UNIT_RAD', b: 0 }, at: { lat: 5n, unit: 1 } };
    const decoded = (await serde.decode(await serde.encode(4, value))).value;
    expect(decoded).toEqual({ big: '18446744073709551615', border: [{ lat: '-9007199254740993', unit: 'UNIT_RAD' }, { lat: '2' }], units: { a: 'UNIT_RAD', b: 'UNIT_DEG' }, at: { lat: '5', unit: 'UNIT_RAD' } });
    expect((await serde.decode(await serde.encode(4, decoded))).value).toEqual(decoded);
    await expect(serde.encode(4, { border: [{ unit: 'UNIT_FURLONG' }] })).rejects.toThrow(/border.unit: enum value expected/);
    await expect(serde.encode(4, { big: '12.5' })).rejects.toThrow(/big: integer\|Long expected/);
  });

  it('bad framing and unknown ids are errors, not crashes', async () => {
    const serde = new SchemaSerde(source);
    await expect(serde.decode(Buffer.from('hello'))).rejects.toThrow(/magic byte 104/);
    await expect(serde.decode(encodeHeader(99))).rejects.toThrow(/no schema 99/);
  });
});

describe('subject name strategies', () => {
  it('topic, record and topic-record names', () => {
    const avro = parseSchema('AVRO', '{"type":"record","name":"User","namespace":"com.x","fields":[]}');
    const json = parseSchema('JSON', '{"title":"Order","type":"object"}');
    const proto = parseSchema('PROTOBUF', 'syntax = "proto3"; package shop; message Order {}');
    expect(subjectName('TopicNameStrategy', 'orders', false)).toBe('orders-value');
    expect(subjectName('TopicNameStrategy', 'orders', true)).toBe('orders-key');
    expect(subjectName('RecordNameStrategy', 'orders', false, recordNameOf(avro))).toBe('com.x.User');
    expect(subjectName('TopicRecordNameStrategy', 'orders', false, recordNameOf(json))).toBe('orders-Order');
    expect(recordNameOf(proto)).toBe('shop.Order');
    expect(parseSubjectNameStrategy('io.confluent.kafka.serializers.subject.TopicRecordNameStrategy')).toBe('TopicRecordNameStrategy');
    expect(() => parseSubjectNameStrategy('Nope')).toThrow(/Unknown subject name strategy/);
  });
});
