// Small builders for the OpenAPI document's JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12): objects
// are closed (additionalProperties: false) and every listed property required unless marked optional,
// so a response that drifts from the document fails its validation test.
export type Schema = Readonly<Record<string, unknown>>;

export const str: Schema = { type: 'string' };
export const int: Schema = { type: 'integer' };
/** Offsets and timestamps: numbers while exact, decimal strings past 2^53 (@mq/http's toJson). */
export const long: Schema = { anyOf: [{ type: 'integer', format: 'int64' }, { type: 'string', pattern: '^-?\\d+$' }] };
export const bool: Schema = { type: 'boolean' };

export function nullable(s: Schema): Schema {
  return { anyOf: [s, { type: 'null' }] };
}

export function arr(items: Schema): Schema {
  return { type: 'array', items };
}

export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

export function oneOfStrings(...values: string[]): Schema {
  return { type: 'string', enum: values };
}

/** A closed object; names in `optional` may be absent. */
export function obj(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return { type: 'object', additionalProperties: false, properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) };
}

/** An open object for request bodies: unknown fields are ignored, as REST Proxy does. */
export function input(properties: Record<string, Schema>, required: readonly string[] = []): Schema {
  return { type: 'object', properties, required };
}

/** REST Proxy v3's collection wrapper. */
export function list(item: string): Schema {
  return obj({ kind: str, metadata: obj({ self: str, next: nullable(str) }), data: arr(ref(item)) });
}
