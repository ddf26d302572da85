// JSON Schema compatibility, one row per rule (Confluent's Difference types): a reader is compatible
// with a writer when it accepts every document the writer's schema accepts.
import { describe, expect, it } from 'vitest';
import { compatibilityMessages, jsonProvider } from '../src/index.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'object', properties, ...extra });
const closed = { additionalProperties: false };

/** [rule, reader (new for BACKWARD), writer (old), expected Difference types] */
const ROWS: [string, string, string, string[]][] = [
  ['identical', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }), []],
  ['type widened (string → string|number)', '{"type":["string","number"]}', '{"type":"string"}', []],
  ['type narrowed (string|number → string)', '{"type":"string"}', '{"type":["string","number"]}', ['TYPE_NARROWED']],
  ['integer widened to number', '{"type":"number"}', '{"type":"integer"}', []],
  ['number narrowed to integer', '{"type":"integer"}', '{"type":"number"}', ['TYPE_NARROWED']],
  ['type added to an untyped schema', '{"type":"string"}', '{}', ['TYPE_NARROWED']],
  ['type removed (any type now)', '{}', '{"type":"string"}', []],
  ['enum extended', '{"enum":["a","b","c"]}', '{"enum":["a","b"]}', []],
  ['enum narrowed', '{"enum":["a"]}', '{"enum":["a","b"]}', ['ENUM_ARRAY_NARROWED']],
  ['const changed', '{"const":"b"}', '{"const":"a"}', ['ENUM_ARRAY_NARROWED']],
  ['maxLength added', '{"type":"string","maxLength":5}', '{"type":"string"}', ['MAX_LENGTH_ADDED']],
  ['maxLength decreased', '{"type":"string","maxLength":5}', '{"type":"string","maxLength":9}', ['MAX_LENGTH_DECREASED']],
  ['maxLength increased', '{"type":"string","maxLength":9}', '{"type":"string","maxLength":5}', []],
  ['minLength increased', '{"type":"string","minLength":3}', '{"type":"string","minLength":1}', ['MIN_LENGTH_INCREASED']],
  ['pattern added', '{"type":"string","pattern":"^a"}', '{"type":"string"}', ['PATTERN_ADDED']],
  ['pattern changed', '{"type":"string","pattern":"^b"}', '{"type":"string","pattern":"^a"}', ['PATTERN_CHANGED']],
  ['pattern removed', '{"type":"string"}', '{"type":"string","pattern":"^a"}', []],
  ['maximum decreased', '{"type":"number","maximum":5}', '{"type":"number","maximum":10}', ['MAXIMUM_DECREASED']],
  ['minimum added', '{"type":"number","minimum":0}', '{"type":"number"}', ['MINIMUM_ADDED']],
  ['minimum decreased', '{"type":"number","minimum":0}', '{"type":"number","minimum":1}', []],
  ['multipleOf: 2 accepts multiples of 4', '{"type":"number","multipleOf":2}', '{"type":"number","multipleOf":4}', []],
  ['multipleOf: 4 rejects some multiples of 2', '{"type":"number","multipleOf":4}', '{"type":"number","multipleOf":2}', ['MULTIPLE_OF_CHANGED']],
  ['open model: optional property added', obj({ a: { type: 'string' }, b: { type: 'string' } }), obj({ a: { type: 'string' } }), ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL']],
  ['open model: property with empty schema added', obj({ a: { type: 'string' }, b: {} }), obj({ a: { type: 'string' } }), []],
  ['closed model: optional property added', obj({ a: { type: 'string' }, b: { type: 'string' } }, closed), obj({ a: { type: 'string' } }, closed), []],
  ['closed model: required property added', obj({ a: { type: 'string' }, b: { type: 'string' } }, { ...closed, required: ['b'] }), obj({ a: { type: 'string' } }, closed), ['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL']],
  ['partially open model: added property covered', obj({ a: { type: 'string' }, b: { type: 'number' } }), obj({ a: { type: 'string' } }, { additionalProperties: { type: 'integer' } }), []],
  ['partially open model: added property not covered', obj({ a: { type: 'string' }, b: { type: 'integer' } }), obj({ a: { type: 'string' } }, { additionalProperties: { type: 'number' } }), ['PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL']],
  ['open model: property removed', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' }, b: { type: 'string' } }), []],
  ['closed model: property removed', obj({ a: { type: 'string' } }, closed), obj({ a: { type: 'string' }, b: { type: 'string' } }, closed), ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL']],
  ['partially open reader: removed property not covered', obj({ a: { type: 'string' } }, { additionalProperties: { type: 'number' } }), obj({ a: { type: 'string' }, b: { type: 'string' } }, closed), ['PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL']],
  ['required added to an existing property', obj({ a: { type: 'string' } }, { required: ['a'] }), obj({ a: { type: 'string' } }), ['REQUIRED_ATTRIBUTE_ADDED']],
  ['required removed', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }, { required: ['a'] }), []],
  ['additionalProperties false → true', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }, closed), []],
  ['additionalProperties true → false', obj({ a: { type: 'string' } }, closed), obj({ a: { type: 'string' } }), ['ADDITIONAL_PROPERTIES_REMOVED']],
  ['additionalProperties true → schema', obj({}, { additionalProperties: { type: 'string' } }), obj({}), ['ADDITIONAL_PROPERTIES_NARROWED']],
  ['nested property type narrowed', obj({ a: { type: 'object', properties: { n: { type: 'integer' } } } }), obj({ a: { type: 'object', properties: { n: { type: 'number' } } } }), ['TYPE_NARROWED']],
  ['array items widened', '{"type":"array","items":{"type":"number"}}', '{"type":"array","items":{"type":"integer"}}', []],
  ['array items narrowed', '{"type":"array","items":{"type":"integer"}}', '{"type":"array","items":{"type":"number"}}', ['TYPE_NARROWED']],
  ['maxItems added', '{"type":"array","maxItems":3}', '{"type":"array"}', ['MAX_ITEMS_ADDED']],
  ['uniqueItems added', '{"type":"array","uniqueItems":true}', '{"type":"array"}', ['UNIQUE_ITEMS_ADDED']],
  ['tuple: item added to closed tuple', '{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false}', '{"type":"array","items":[{"type":"string"}],"additionalItems":false}', []],
  ['tuple: item added to open tuple', '{"type":"array","items":[{"type":"string"},{"type":"number"}]}', '{"type":"array","items":[{"type":"string"}]}', ['ITEM_ADDED_TO_OPEN_CONTENT_MODEL']],
  ['tuple: item removed from closed tuple', '{"type":"array","items":[{"type":"string"}],"additionalItems":false}', '{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false}', ['ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL']],
  ['oneOf: branch added', '{"oneOf":[{"type":"string"},{"type":"number"}]}', '{"oneOf":[{"type":"string"}]}', []],
  ['oneOf: branch removed', '{"oneOf":[{"type":"string"}]}', '{"oneOf":[{"type":"string"},{"type":"number"}]}', ['SUM_TYPE_NARROWED']],
  ['anyOf: plain type moved into a sum', '{"anyOf":[{"type":"string"},{"type":"null"}]}', '{"type":"string"}', []],
  ['anyOf → oneOf', '{"oneOf":[{"type":"string"},{"type":"number"}]}', '{"anyOf":[{"type":"string"},{"type":"number"}]}', ['COMBINED_TYPE_CHANGED']],
  ['allOf: conjunct added', '{"allOf":[{"type":"string"},{"maxLength":3}]}', '{"allOf":[{"type":"string"}]}', ['PRODUCT_TYPE_EXTENDED']],
  ['allOf: conjunct removed', '{"allOf":[{"type":"string"}]}', '{"allOf":[{"type":"string"},{"maxLength":3}]}', []],
  ['$ref: resolved through definitions', '{"definitions":{"n":{"type":"integer"}},"type":"object","properties":{"a":{"$ref":"#/definitions/n"}}}', '{"type":"object","properties":{"a":{"type":"number"}}}', ['TYPE_NARROWED']],
  ['recursive $ref against itself', '{"$defs":{"t":{"type":"object","properties":{"c":{"$ref":"#/$defs/t"}}}},"$ref":"#/$defs/t"}', '{"$defs":{"t":{"type":"object","properties":{"c":{"$ref":"#/$defs/t"}}}},"$ref":"#/$defs/t"}', []],
  ['false schema reader', 'false', '{"type":"string"}', ['TYPE_NARROWED']],
  ['true schema reader', 'true', '{"type":"string"}', []],
];

describe('JSON Schema compatibility rules (content models à la Confluent)', () => {
  it.each(ROWS)('%s', (_rule, reader, writer, expected) => {
    const found = jsonProvider.incompatibilities(jsonProvider.parse(reader, []), jsonProvider.parse(writer, []));
    expect([...new Set(found.map((i) => i.type))].sort()).toEqual([...expected].sort());
  });

  it('reports jsonPath and Confluent’s Difference line', () => {
    const v1 = jsonProvider.parse(obj({ a: { type: 'string' } }), []);
    const v2 = jsonProvider.parse(obj({ a: { type: 'string' }, age: { type: 'integer' } }, { required: ['age'] }), []);
    const messages = compatibilityMessages(jsonProvider, v2, [{ version: 1, parsed: v1 }], 'BACKWARD');
    expect(messages).toContain("Found incompatible change: Difference{jsonPath='#/properties/age', type=REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL}");
  });

  it('references: $ref to a referenced schema by its reference name', () => {
    const ref = { name: 'address.json', schemaType: 'JSON' as const, schema: '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}', references: [] };
    const s = jsonProvider.parse('{"type":"object","properties":{"home":{"$ref":"address.json"}}}', [ref]);
    expect(s.validate({ home: { city: 'Oslo' } })).toEqual([]);
    expect(s.validate({ home: {} }).length).toBe(1);
    const older = jsonProvider.parse('{"type":"object","properties":{"home":{"type":"object"}}}', []);
    // The reference requires city: documents the old schema accepted ({home:{}}) are refused.
    expect(jsonProvider.incompatibilities(s, older).map((i) => i.type)).toContain('PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
  });

  it('normal form sorts keys at every depth; invalid schemas are 42201', () => {
    const a = jsonProvider.parse('{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"number"}}}', []);
    const b = jsonProvider.parse('{"properties":{"a":{"type":"number"},"b":{"type":"string"}},"type":"object"}', []);
    expect(a.normalized()).toBe(b.normalized());
    expect(() => jsonProvider.parse('{"type":12}', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
    expect(() => jsonProvider.parse('[1]', [])).toThrow(expect.objectContaining({ errorCode: 42201 }));
  });
});
