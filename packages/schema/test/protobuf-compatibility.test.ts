// Protobuf compatibility, one row per rule (the protobuf guide's "Updating A Message Type" and
// Confluent's Difference types): can bytes written with the writer's .proto be read with the reader's?
import { describe, expect, it } from 'vitest';
import { compatibilityMessages, protobufProvider } from '../src/index.js';

const proto = (body: string, pkg = 'shop') => `syntax = "proto3";\npackage ${pkg};\n${body}\n`;
const msg = (fields: string) => proto(`message Order {\n${fields}\n}`);

/** [rule, reader, writer, expected Difference types] */
const ROWS: [string, string, string, string[]][] = [
  ['identical', msg('int32 id = 1;'), msg('int32 id = 1;'), []],
  ['field added', msg('int32 id = 1; string note = 2;'), msg('int32 id = 1;'), []],
  ['field removed', msg('int32 id = 1;'), msg('int32 id = 1; string note = 2;'), []],
  ['field renamed (numbers are the wire identity)', msg('int32 order_id = 1;'), msg('int32 id = 1;'), []],
  ['int32 → int64 (varint group)', msg('int64 id = 1;'), msg('int32 id = 1;'), []],
  ['uint64 → bool (varint group)', msg('bool id = 1;'), msg('uint64 id = 1;'), []],
  ['sint32 → sint64 (zigzag group)', msg('sint64 id = 1;'), msg('sint32 id = 1;'), []],
  ['int32 → sint32 (varint vs zigzag)', msg('sint32 id = 1;'), msg('int32 id = 1;'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['string → bytes', msg('bytes id = 1;'), msg('string id = 1;'), []],
  ['fixed32 → sfixed32', msg('sfixed32 id = 1;'), msg('fixed32 id = 1;'), []],
  ['fixed32 → fixed64 (different widths)', msg('fixed64 id = 1;'), msg('fixed32 id = 1;'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['int32 → string', msg('string id = 1;'), msg('int32 id = 1;'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['double → float', msg('float id = 1;'), msg('double id = 1;'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['scalar → message', proto('message Id { int32 v = 1; }\nmessage Order { Id id = 1; }'), proto('message Id { int32 v = 1; }\nmessage Order { int32 id = 1; }'), ['FIELD_KIND_CHANGED']],
  ['enum → int32', proto('message Order { int32 s = 1; }\nenum S { A = 0; }'), proto('message Order { S s = 1; }\nenum S { A = 0; }'), ['FIELD_KIND_CHANGED']],
  ['message type changed', proto('message A { int32 v = 1; }\nmessage B { int32 v = 1; }\nmessage Order { B x = 1; }'), proto('message A { int32 v = 1; }\nmessage B { int32 v = 1; }\nmessage Order { A x = 1; }'), ['FIELD_NAMED_TYPE_CHANGED']],
  ['nested message field narrowed', proto('message Order { message Line { int32 q = 1; } Line l = 1; }'), proto('message Order { message Line { string q = 1; } Line l = 1; }'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['repeated string ↔ string', msg('repeated string tags = 1;'), msg('string tags = 1;'), []],
  ['repeated int32 ↔ int32 (packed on the wire)', msg('repeated int32 q = 1;'), msg('int32 q = 1;'), ['FIELD_LABEL_CHANGED']],
  ['map key type changed', msg('map<int64, string> m = 1;'), msg('map<string, string> m = 1;'), ['FIELD_SCALAR_KIND_CHANGED']],
  ['map → scalar', msg('string m = 1;'), msg('map<string, string> m = 1;'), ['FIELD_KIND_CHANGED']],
  ['message added', proto('message Order { int32 id = 1; }\nmessage Extra { int32 x = 1; }'), msg('int32 id = 1;'), []],
  ['message removed', msg('int32 id = 1;'), proto('message Order { int32 id = 1; }\nmessage Extra { int32 x = 1; }'), ['MESSAGE_REMOVED']],
  ['package changed', proto('message Order { int32 id = 1; }', 'store'), msg('int32 id = 1;'), ['PACKAGE_CHANGED']],
  ['enum constant added', proto('message Order { S s = 1; }\nenum S { A = 0; B = 1; }'), proto('message Order { S s = 1; }\nenum S { A = 0; }'), []],
  ['single field moved into a new oneof', msg('oneof v { int32 a = 1; }'), msg('int32 a = 1;'), []],
  ['two fields moved into a new oneof', msg('oneof v { int32 a = 1; string b = 2; }'), msg('int32 a = 1; string b = 2;'), ['MULTIPLE_FIELDS_MOVED_TO_ONEOF']],
  ['field moved into an existing oneof', msg('oneof v { int32 a = 1; string b = 2; }'), msg('oneof v { int32 a = 1; } string b = 2;'), ['FIELD_MOVED_TO_EXISTING_ONEOF']],
  ['field moved out of a oneof', msg('int32 a = 1; string b = 2;'), msg('oneof v { int32 a = 1; string b = 2; }'), ['ONEOF_FIELD_REMOVED']],
  ['oneof member removed', msg('oneof v { int32 a = 1; }'), msg('oneof v { int32 a = 1; string b = 2; }'), ['ONEOF_FIELD_REMOVED']],
  ['proto3 optional is not a oneof', msg('optional int32 a = 1;'), msg('int32 a = 1;'), []],
  ['field removed and its number reserved', msg('reserved 2; reserved "note"; int32 id = 1;'), msg('int32 id = 1; string note = 2;'), []],
  ['reserved number reused (stricter than Confluent)', msg('int32 id = 1; int64 total = 2;'), msg('reserved 2; int32 id = 1;'), ['RESERVED_FIELD_REUSED']],
  ['reserved name reused (stricter than Confluent)', msg('int32 id = 1; int64 note = 3;'), msg('reserved "note"; int32 id = 1;'), ['RESERVED_FIELD_REUSED']],
  ['proto2 required field added', 'syntax = "proto2"; package shop; message Order { required int32 id = 1; required int32 q = 2; }', 'syntax = "proto2"; package shop; message Order { required int32 id = 1; }', ['REQUIRED_FIELD_ADDED']],
  ['proto2 optional → required', 'syntax = "proto2"; package shop; message Order { required int32 id = 1; }', 'syntax = "proto2"; package shop; message Order { optional int32 id = 1; }', ['REQUIRED_FIELD_ADDED']],
];

describe('Protobuf compatibility rules', () => {
  it.each(ROWS)('%s', (_rule, reader, writer, expected) => {
    const found = protobufProvider.incompatibilities(protobufProvider.parse(reader, []), protobufProvider.parse(writer, []));
    expect([...new Set(found.map((i) => i.type))].sort()).toEqual([...expected].sort());
  });

  it('reserved reuse is judged old → new: FORWARD checks see the newer schema as the writer', () => {
    const older = protobufProvider.parse(msg('reserved 2; int32 id = 1;'), []);
    const newer = protobufProvider.parse(msg('int32 id = 1; int64 total = 2;'), []);
    expect(protobufProvider.incompatibilities(older, newer, 'writer').map((i) => i.type)).toEqual(['RESERVED_FIELD_REUSED']);
    expect(protobufProvider.incompatibilities(newer, older, 'writer')).toEqual([]);
    const removed = protobufProvider.parse(msg('reserved 2; int32 id = 1;'), []);
    const before = protobufProvider.parse(msg('int32 id = 1; int64 total = 2;'), []);
    expect(compatibilityMessages(protobufProvider, removed, [{ version: 1, parsed: before }], 'FULL')).toEqual([]);
  });

  it('reports fullPath #/<message>/<field number> in Confluent’s Difference line', () => {
    const v1 = protobufProvider.parse(msg('int32 id = 1; string note = 2;'), []);
    const v2 = protobufProvider.parse(msg('int32 id = 1; int32 note = 2;'), []);
    expect(compatibilityMessages(protobufProvider, v2, [{ version: 1, parsed: v1 }], 'BACKWARD')[0]).toBe(
      "Found incompatible change: Difference{fullPath='#/Order/2', type=FIELD_SCALAR_KIND_CHANGED}",
    );
  });

  it('references: an imported file given as a reference; a missing import is 42201', () => {
    const dep = { name: 'money.proto', schemaType: 'PROTOBUF' as const, schema: 'syntax = "proto3"; package common; message Money { int64 cents = 1; }', references: [] };
    const order = protobufProvider.parse('syntax = "proto3"; package shop; import "money.proto"; message Order { common.Money total = 1; }', [dep]);
    expect(order.messageIndexes()).toEqual([['shop.Order', [0]]]);
    expect(() => protobufProvider.parse('syntax = "proto3"; import "money.proto"; message Order { common.Money total = 1; }', [])).toThrow(
      expect.objectContaining({ errorCode: 42201 }),
    );
    // Well-known types need no reference.
    expect(() => protobufProvider.parse('syntax = "proto3"; import "google/protobuf/timestamp.proto"; message E { google.protobuf.Timestamp at = 1; }', [])).not.toThrow();
  });

  it('message indexes follow declaration order, nested included', () => {
    const s = protobufProvider.parse(proto('message A { message B { int32 x = 1; } message C { int32 y = 1; } }\nmessage D { int32 z = 1; }'), []);
    expect(s.messageIndexes()).toEqual([
      ['shop.A', [0]],
      ['shop.A.B', [0, 0]],
      ['shop.A.C', [0, 1]],
      ['shop.D', [1]],
    ]);
  });

  it('normal form: field order, layout and comments do not matter; invalid text is 42201', () => {
    const a = protobufProvider.parse('syntax="proto3";package shop;\n// c\nmessage Order{string b=2;int32 a=1;}', []);
    const b = protobufProvider.parse('syntax = "proto3";\npackage shop;\nmessage Order {\n  int32 a = 1;\n  string b = 2;\n}\n', []);
    expect(a.normalized()).toBe(b.normalized());
    expect(a.normalized()).toBe('syntax = "proto3";\npackage shop;\nmessage Order {\n  int32 a = 1;\n  string b = 2;\n}\n');
    expect(() => protobufProvider.parse('syntax = "proto3"; message X { int32 = ; }', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
    expect(() => protobufProvider.parse('syntax = "proto3"; message X { Missing m = 1; }', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
  });
});
