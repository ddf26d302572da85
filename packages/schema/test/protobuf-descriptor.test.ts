// The serialized form of Protobuf schemas (a base64 FileDescriptorProto, Confluent's
// `format=serialized`): made from the .proto text with fully-qualified type names, map entries and
// enum types as protoc writes them; a registered descriptor stored as the .proto text it describes,
// which parses to the same types; values encoded with one form decode with the other.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  getSchemaById,
  lookupSchema,
  parseSchema,
  protobufProvider,
  type ProtobufSchema,
  protoTextOfDescriptor,
  type RegistryResult,
  RegistryState,
  register,
  schemaInFormat,
  serializedDescriptor,
} from '../src/index.js';

interface Field {
  name: string;
  number: number;
  label: number;
  type: number;
  typeName?: string;
}
interface Message {
  name: string;
  field: Field[];
  nestedType: Message[];
  options?: { mapEntry?: boolean };
}
const { FileDescriptorProto } = createRequire(import.meta.url)('protobufjs/ext/descriptor') as {
  FileDescriptorProto: { decode(b: Uint8Array): { toJSON(): unknown } & Record<string, unknown> };
};
const decodeFile = (b64: string) =>
  FileDescriptorProto.decode(Buffer.from(b64, 'base64')).toJSON() as { name: string; package?: string; syntax?: string; dependency?: string[]; messageType: Message[]; enumType: { name: string }[] };

const ORDER = `syntax = "proto3";
package shop;
enum Kind { KIND_UNKNOWN = 0; KIND_BIG = 1; }
message Order {
  int32 id = 1;
  repeated Line lines = 2;
  Kind kind = 3;
  map<string, Line> by_sku = 4;
  message Inner { Kind k = 1; }
  Inner inner = 5;
}
message Line { string sku = 1; }
`;

describe('Protobuf schemas in serialized form', () => {
  it('the descriptor names every type fully qualified, with the right kinds and map entries', () => {
    const schema = parseSchema('PROTOBUF', ORDER, []) as ProtobufSchema;
    const file = decodeFile(serializedDescriptor(schema, 'orders.proto'));
    expect(file).toMatchObject({ name: 'orders.proto', package: 'shop', syntax: 'proto3' });
    expect(file.messageType.map((m) => m.name)).toEqual(['Order', 'Line']);
    expect(file.enumType.map((e) => e.name)).toEqual(['Kind']);
    const order = file.messageType[0]!;
    const field = (name: string) => order.field.find((f) => f.name === name)!;
    expect(field('lines')).toMatchObject({ number: 2, type: 'TYPE_MESSAGE', label: 'LABEL_REPEATED', typeName: '.shop.Line' });
    expect(field('kind')).toMatchObject({ type: 'TYPE_ENUM', typeName: '.shop.Kind' });
    expect(field('inner')).toMatchObject({ type: 'TYPE_MESSAGE', typeName: '.shop.Order.Inner' });
    const map = field('by_sku');
    expect(map).toMatchObject({ type: 'TYPE_MESSAGE', label: 'LABEL_REPEATED' });
    const entry = order.nestedType.find((n) => `.shop.Order.${n.name}` === map.typeName)!;
    expect(entry.options).toEqual({ mapEntry: true });
    expect(entry.field.find((f) => f.name === 'value')).toMatchObject({ type: 'TYPE_MESSAGE', typeName: '.shop.Line' });
    expect(order.nestedType.find((n) => n.name === 'Inner')!.field[0]).toMatchObject({ type: 'TYPE_ENUM', typeName: '.shop.Kind' });
  });

  it('a descriptor given as the schema is the .proto text it describes; bytes of one form decode with the other', () => {
    const text = parseSchema('PROTOBUF', ORDER, []) as ProtobufSchema;
    const b64 = serializedDescriptor(text, 'orders.proto');
    const rendered = protoTextOfDescriptor(b64)!;
    expect(rendered).toMatch(/^syntax = "proto3";\npackage shop;\n/);
    expect(protoTextOfDescriptor(ORDER)).toBeUndefined();
    const fromDescriptor = parseSchema('PROTOBUF', b64, []) as ProtobufSchema;
    expect(fromDescriptor.messageIndexes()).toEqual(text.messageIndexes());
    const value = { id: 7, lines: [{ sku: 'a' }], kind: 1, by_sku: { x: { sku: 'b' } }, inner: { k: 1 } };
    const bytes = text.lookupType('shop.Order').encode(value).finish();
    expect(fromDescriptor.lookupType('shop.Order').toObject(fromDescriptor.lookupType('shop.Order').decode(bytes))).toEqual(value);
    // Either form read against the other: no incompatibility.
    expect(protobufProvider.incompatibilities(fromDescriptor, text)).toEqual([]);
    expect(protobufProvider.incompatibilities(text, fromDescriptor)).toEqual([]);
  });

  it('registered as a descriptor, stored as text; served serialized only when asked, for Protobuf only', () => {
    const state = new RegistryState();
    const run = <T>(r: RegistryResult<T>): T => {
      for (const rec of r.records) state.replay(rec);
      return r.response;
    };
    const b64 = serializedDescriptor(parseSchema('PROTOBUF', ORDER, []) as ProtobufSchema, 'orders.proto');
    const { id } = run(register(state, 'orders-value', { schemaType: 'PROTOBUF', schema: b64 }));
    expect(run(register(state, 'orders-value', { schemaType: 'PROTOBUF', schema: b64 }))).toEqual({ id }); // the same descriptor again
    const stored = getSchemaById(state, id);
    expect(stored.schema).toMatch(/^syntax="proto3";package shop;message Order\{/);
    expect(schemaInFormat(state, stored, null).schema).toBe(stored.schema);
    const served = decodeFile(schemaInFormat(state, stored, 'serialized').schema);
    expect(served.messageType.map((m) => m.name)).toEqual(['Order', 'Line']);
    expect(served.name).toMatch(/^mq-[0-9a-f]{16}\.proto$/);
    const avro = run(register(state, 'users-value', { schema: '"string"' }));
    expect(schemaInFormat(state, getSchemaById(state, avro.id), 'serialized').schema).toBe('"string"');
    // Not base64 of a descriptor: the parse error of a .proto text, 42201.
    expect(() => register(state, 'bad-value', { schemaType: 'PROTOBUF', schema: 'AAAA' })).toThrow(expect.objectContaining({ errorCode: 42201 }));
  });

  it('one schema as .proto text and as its descriptor: one id, one version under a subject, found by lookup in either form', () => {
    const state = new RegistryState();
    const run = <T>(r: RegistryResult<T>): T => {
      for (const rec of r.records) state.replay(rec);
      return r.response;
    };
    const b64 = serializedDescriptor(parseSchema('PROTOBUF', ORDER, []) as ProtobufSchema, 'orders.proto');
    // The text first (comments and layout of its own), then the descriptor: the same id, no new version.
    const { id } = run(register(state, 'orders-value', { schemaType: 'PROTOBUF', schema: `// orders\n${ORDER}` }));
    expect(run(register(state, 'orders-value', { schemaType: 'PROTOBUF', schema: b64 }))).toEqual({ id });
    expect(state.versions('orders-value').map((v) => v.version)).toEqual([1]);
    // Under another subject: the same id again, as its first version there.
    expect(run(register(state, 'other-value', { schemaType: 'PROTOBUF', schema: b64 }))).toEqual({ id });
    expect(lookupSchema(state, 'orders-value', { schemaType: 'PROTOBUF', schema: b64 })).toMatchObject({ id, version: 1 });
    // The descriptor first, then the text, in a fresh registry.
    const other = new RegistryState();
    const first = register(other, 's-value', { schemaType: 'PROTOBUF', schema: b64 });
    for (const rec of first.records) other.replay(rec);
    expect(register(other, 's-value', { schemaType: 'PROTOBUF', schema: ORDER })).toEqual({ records: [], response: first.response });
    // A different schema still gets its own id.
    const changed = run(register(state, 'orders-value', { schemaType: 'PROTOBUF', schema: ORDER.replace('int32 id = 1;', 'int64 id = 1;') }));
    expect(changed.id).not.toBe(id);
  });

  it('a descriptor importing other files resolves them through its references (and the bundled well-known files)', () => {
    const state = new RegistryState();
    const run = <T>(r: RegistryResult<T>): T => {
      for (const rec of r.records) state.replay(rec);
      return r.response;
    };
    const MONEY = 'syntax = "proto3";\npackage fin;\nmessage Money { string currency = 1; int64 units = 2; }\n';
    run(register(state, 'fin/money.proto', { schemaType: 'PROTOBUF', schema: MONEY }));
    const INVOICE = 'syntax = "proto3";\npackage billing;\nimport "fin/money.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Invoice {\n  fin.Money total = 1;\n  google.protobuf.Timestamp at = 2;\n}\n';
    const refs = [{ name: 'fin/money.proto', subject: 'fin/money.proto', version: 1 }];
    const text = parseSchema('PROTOBUF', INVOICE, state.resolveReferences(refs)) as ProtobufSchema;
    const b64 = serializedDescriptor(text, 'billing/invoice.proto');
    expect(decodeFile(b64).dependency).toEqual(['fin/money.proto', 'google/protobuf/timestamp.proto']);
    // Without its reference: 42201 naming the import.
    expect(() => register(state, 'invoices-value', { schemaType: 'PROTOBUF', schema: b64 })).toThrow(expect.objectContaining({ errorCode: 42201, message: expect.stringMatching(/fin\/money\.proto/) }));
    const { id } = run(register(state, 'invoices-value', { schemaType: 'PROTOBUF', schema: b64, references: refs }));
    const stored = getSchemaById(state, id);
    expect(stored.references).toEqual(refs);
    expect(stored.schema).toContain('import "fin/money.proto";');
    expect(stored.schema).not.toContain('message Money');
    // The text form with the same reference is the same schema; its parse reads what the descriptor's writes.
    expect(run(register(state, 'invoices-value', { schemaType: 'PROTOBUF', schema: INVOICE, references: refs }))).toEqual({ id });
    const fromDescriptor = state.parsed(stored) as ProtobufSchema;
    const value = { total: { currency: 'EUR', units: 5 }, at: { seconds: 7, nanos: 3 } };
    const bytes = text.lookupType('billing.Invoice').encode(value).finish();
    expect(fromDescriptor.lookupType('billing.Invoice').toObject(fromDescriptor.lookupType('billing.Invoice').decode(bytes), { longs: Number })).toEqual(value);
  });
});
