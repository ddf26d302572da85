// Lookup over the registry in apis/index.ts: apiKey → schema and its version range, plus the
// type-level mapping from a literal API key to its schema's body types.
import { apiSchemas } from './apis';
import type { RequestData, RequestInput, ResponseData, ResponseInput } from './schema/infer';
import type { ApiSchema } from './schema/types';
import { versionRange } from './schema/codec';

export type AnyApiSchema = (typeof apiSchemas)[number];
export type SchemaFor<K extends number> = Extract<AnyApiSchema, { readonly apiKey: K }>;

/** Request body type for a literal API key (a plain object when the key is not a literal). */
export type RequestBodyFor<K extends number> = number extends K
  ? Record<string, unknown>
  : SchemaFor<K> extends infer S
    ? S extends ApiSchema
      ? RequestData<S>
      : never
    : never;
export type ResponseBodyFor<K extends number> = number extends K
  ? Record<string, unknown>
  : SchemaFor<K> extends infer S
    ? S extends ApiSchema
      ? ResponseData<S>
      : never
    : never;
export type RequestInputFor<K extends number> = number extends K
  ? object
  : SchemaFor<K> extends infer S
    ? S extends ApiSchema
      ? RequestInput<S>
      : never
    : never;
export type ResponseInputFor<K extends number> = number extends K
  ? object
  : SchemaFor<K> extends infer S
    ? S extends ApiSchema
      ? ResponseInput<S>
      : never
    : never;

export interface RegisteredApi {
  readonly apiKey: number;
  readonly name: string;
  readonly schema: ApiSchema;
  /** Lowest and highest version the schema covers (inclusive). */
  readonly minVersion: number;
  readonly maxVersion: number;
}

const BY_KEY: (RegisteredApi | undefined)[] = [];
for (const schema of apiSchemas as readonly ApiSchema[]) {
  if (BY_KEY[schema.apiKey] !== undefined) throw new Error(`two schemas for api key ${schema.apiKey}`);
  const { min, max } = versionRange(schema);
  BY_KEY[schema.apiKey] = Object.freeze({ apiKey: schema.apiKey, name: schema.name, schema, minVersion: min, maxVersion: max });
}

/** The registered API for a key, or undefined when this package has no schema for it. */
export function apiSchema(apiKey: number): RegisteredApi | undefined {
  return Number.isInteger(apiKey) && apiKey >= 0 ? BY_KEY[apiKey] : undefined;
}

/** The version range the schema for `apiKey` covers, or undefined for an unknown key. */
export function schemaVersions(apiKey: number): { min: number; max: number } | undefined {
  const api = apiSchema(apiKey);
  return api === undefined ? undefined : { min: api.minVersion, max: api.maxVersion };
}

/** Every registered API, ordered by key. */
export function registeredApis(): RegisteredApi[] {
  return BY_KEY.filter((a): a is RegisteredApi => a !== undefined);
}
