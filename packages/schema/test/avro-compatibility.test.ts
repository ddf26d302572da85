// Avro compatibility, one row per resolution rule of the Avro spec ("Schema Resolution") as Avro's
// SchemaCompatibility names them: each row is a reader and a writer schema and what must be found.
import { describe, expect, it } from 'vitest';
import { avroProvider, compatibilityMessages } from '../src/index.js';

const rec = (fields: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields, ...extra });
const enumOf = (symbols: string[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'enum', name: 'Color', symbols, ...extra });

/** [rule, reader, writer, expected incompatibility types (empty: compatible)] */
const ROWS: [string, string, string, string[]][] = [
  ['identical primitives resolve', '"string"', '"string"', []],
  ['promotion int→long', '"long"', '"int"', []],
  ['promotion int→float', '"float"', '"int"', []],
  ['promotion int→double', '"double"', '"int"', []],
  ['promotion long→float', '"float"', '"long"', []],
  ['promotion long→double', '"double"', '"long"', []],
  ['promotion float→double', '"double"', '"float"', []],
  ['promotion string→bytes', '"bytes"', '"string"', []],
  ['promotion bytes→string', '"string"', '"bytes"', []],
  ['no demotion long→int', '"int"', '"long"', ['TYPE_MISMATCH']],
  ['no demotion double→float', '"float"', '"double"', ['TYPE_MISMATCH']],
  ['no int from string', '"int"', '"string"', ['TYPE_MISMATCH']],
  ['no boolean from int', '"boolean"', '"int"', ['TYPE_MISMATCH']],
  ['record: added field with default (backward)', rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'x' }]), rec([{ name: 'a', type: 'int' }]), []],
  ['record: added field without default', rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]), rec([{ name: 'a', type: 'int' }]), ['READER_FIELD_MISSING_DEFAULT_VALUE']],
  ['record: removed field (writer extra fields are skipped)', rec([{ name: 'a', type: 'int' }]), rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]), []],
  ['record: null default on an optional field', rec([{ name: 'a', type: 'int' }, { name: 'b', type: ['null', 'string'], default: null }]), rec([{ name: 'a', type: 'int' }]), []],
  ['record: field renamed with reader alias', rec([{ name: 'b', type: 'int', aliases: ['a'] }]), rec([{ name: 'a', type: 'int' }]), []],
  ['record: field renamed without alias or default', rec([{ name: 'b', type: 'int' }]), rec([{ name: 'a', type: 'int' }]), ['READER_FIELD_MISSING_DEFAULT_VALUE']],
  ['record: field type promoted', rec([{ name: 'a', type: 'long' }]), rec([{ name: 'a', type: 'int' }]), []],
  ['record: field type narrowed', rec([{ name: 'a', type: 'int' }]), rec([{ name: 'a', type: 'long' }]), ['TYPE_MISMATCH']],
  ['named: record renamed', JSON.stringify({ type: 'record', name: 'Person', fields: [] }), JSON.stringify({ type: 'record', name: 'User', fields: [] }), ['NAME_MISMATCH']],
  ['named: record renamed with alias of the writer full name', JSON.stringify({ type: 'record', name: 'Person', aliases: ['com.example.User'], fields: [] }), rec([]), []],
  ['named: namespace change keeps the simple name', JSON.stringify({ type: 'record', name: 'User', namespace: 'org.other', fields: [] }), rec([]), []],
  ['fixed: same size', JSON.stringify({ type: 'fixed', name: 'F', size: 4 }), JSON.stringify({ type: 'fixed', name: 'F', size: 4 }), []],
  ['fixed: size changed', JSON.stringify({ type: 'fixed', name: 'F', size: 8 }), JSON.stringify({ type: 'fixed', name: 'F', size: 4 }), ['FIXED_SIZE_MISMATCH']],
  ['enum: symbol added in reader', enumOf(['RED', 'GREEN', 'BLUE']), enumOf(['RED', 'GREEN']), []],
  ['enum: writer symbol missing in reader', enumOf(['RED']), enumOf(['RED', 'GREEN']), ['MISSING_ENUM_SYMBOLS']],
  ['enum: writer symbol missing but reader has a default', enumOf(['RED', 'UNKNOWN'], { default: 'UNKNOWN' }), enumOf(['RED', 'GREEN']), []],
  ['array: items promoted', '{"type":"array","items":"long"}', '{"type":"array","items":"int"}', []],
  ['array: items narrowed', '{"type":"array","items":"int"}', '{"type":"array","items":"long"}', ['TYPE_MISMATCH']],
  ['map: values narrowed', '{"type":"map","values":"int"}', '{"type":"map","values":"string"}', ['TYPE_MISMATCH']],
  ['union: writer branches all in reader union', '["null","string","int"]', '["null","string"]', []],
  ['union: writer branch missing from reader union', '["null","string"]', '["null","string","int"]', ['MISSING_UNION_BRANCH']],
  ['union: writer branch promoted into reader union', '["null","long"]', '["null","int"]', []],
  ['union: non-union writer read by a union with its type', '["null","string"]', '"string"', []],
  ['union: non-union writer read by a union without it', '["null","int"]', '"string"', ['MISSING_UNION_BRANCH']],
  ['union: writer union read by a non-union of one branch', '"string"', '["null","string"]', ['MISSING_UNION_BRANCH']],
  ['union: writer union read by a non-union all branches promote to', '"double"', '["int","float"]', []],
  ['nested: record in array field missing default', rec([{ name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'x', type: 'int' }] } } }]), rec([{ name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [] } } }]), ['READER_FIELD_MISSING_DEFAULT_VALUE']],
  ['recursive: a linked list read by itself', JSON.stringify({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] }), JSON.stringify({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] }), []],
];

describe('Avro schema resolution rules', () => {
  it.each(ROWS)('%s', (_rule, reader, writer, expected) => {
    const found = avroProvider.incompatibilities(avroProvider.parse(reader, []), avroProvider.parse(writer, []));
    expect([...new Set(found.map((i) => i.type))].sort()).toEqual([...expected].sort());
  });

  it('locates the field: /fields/1 for the second reader field, with its name as the message', () => {
    const reader = avroProvider.parse(rec([{ name: 'a', type: 'int' }, { name: 'age', type: 'int' }]), []);
    const writer = avroProvider.parse(rec([{ name: 'a', type: 'int' }]), []);
    const [i] = avroProvider.incompatibilities(reader, writer);
    expect(i).toMatchObject({ type: 'READER_FIELD_MISSING_DEFAULT_VALUE', location: '/fields/1' });
    expect(i!.message.startsWith('age, reader:')).toBe(true);
  });

  it('levels pick the direction: an added required field is FORWARD- but not BACKWARD-compatible', () => {
    const v1 = avroProvider.parse(rec([{ name: 'a', type: 'int' }]), []);
    const v2 = avroProvider.parse(rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), []);
    const history = [{ version: 1, parsed: v1 }];
    expect(compatibilityMessages(avroProvider, v2, history, 'FORWARD')).toEqual([]);
    const backward = compatibilityMessages(avroProvider, v2, history, 'BACKWARD');
    expect(backward[0]).toMatch(/^Incompatibility\{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:\/fields\/1, message:b, reader:/);
    expect(backward.slice(-3)).toEqual(['{oldSchemaVersion: 1}', `{oldSchema: '${v1.canonical}'}`, "{compatibility: 'BACKWARD'}"]);
    expect(compatibilityMessages(avroProvider, v2, history, 'FULL').length).toBeGreaterThan(0);
    expect(compatibilityMessages(avroProvider, v2, history, 'NONE')).toEqual([]);
  });

  it('transitive levels check every version, plain ones only the latest', () => {
    // v1 {a}, v2 {a, b=default} , v3 {b}: v3 drops a (fine backward: writer extras skipped) but
    // lacks... use a field without default that v1 lacks and v2 has.
    const v1 = avroProvider.parse(rec([{ name: 'a', type: 'int' }]), []);
    const v2 = avroProvider.parse(rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]), []);
    const v3 = avroProvider.parse(rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), []);
    const history = [{ version: 1, parsed: v1 }, { version: 2, parsed: v2 }];
    expect(compatibilityMessages(avroProvider, v3, history, 'BACKWARD')).toEqual([]);
    const transitive = compatibilityMessages(avroProvider, v3, history, 'BACKWARD_TRANSITIVE');
    expect(transitive).toContain('{oldSchemaVersion: 1}');
  });

  it('normal form: namespace vs dotted name, key order and docs normalise alike', () => {
    const a = avroProvider.parse('{"type":"record","name":"User","namespace":"com.example","doc":"d","fields":[{"name":"a","type":"int","doc":"x"}]}', []);
    const b = avroProvider.parse('{"fields":[{"type":"int","name":"a"}],"name":"com.example.User","type":"record"}', []);
    expect(a.canonical).not.toBe(b.canonical);
    expect(a.normalized()).toBe(b.normalized());
    expect(a.normalized()).toBe('{"type":"record","name":"com.example.User","fields":[{"name":"a","type":"int"}]}');
  });

  it('invalid schemas are 42201 with the parser’s reason', () => {
    expect(() => avroProvider.parse('{"type":"record","name":"X"}', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
    expect(() => avroProvider.parse('{not json', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
    expect(() => avroProvider.parse('"nosuchtype"', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
  });

  it('references: a record naming a type from a referenced schema', () => {
    const address = { name: 'com.example.Address', schemaType: 'AVRO' as const, schema: '{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}', references: [] };
    const user = avroProvider.parse(rec([{ name: 'home', type: 'com.example.Address' }]), [address]);
    expect(user.type.toBuffer({ home: { city: 'Oslo' } }).length).toBe(5);
    expect(() => avroProvider.parse(rec([{ name: 'home', type: 'com.example.Address' }]), [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
  });
});
