// JSON Schemas parsed (and meta-validated) with ajv: draft-07 by default, 2019-09 / 2020-12 by
// `$schema`; references are registered under their reference names so `$ref: "<name>"` resolves.
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import { RegistryError, RegistryErrorCode } from '../registry-error.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from '../schema-type.js';
import { jsonIncompatibilities } from './json-compatibility.js';
import { type JsonValue, sortedJson } from './json-value.js';

export class JsonSchema implements ParsedSchema {
  readonly schemaType = 'JSON' as const;
  readonly canonical: string;
  /** The schema document, and every referenced document by reference name. */
  readonly root: JsonValue;
  readonly documents: ReadonlyMap<string, JsonValue>;
  private readonly validator: ValidateFunction;
  constructor(root: JsonValue, documents: ReadonlyMap<string, JsonValue>, validator: ValidateFunction) {
    this.root = root;
    this.documents = documents;
    this.canonical = JSON.stringify(root);
    this.validator = validator;
  }
  normalized(): string {
    return sortedJson(this.root);
  }
  /** Validation errors of `value` against the schema, as ajv words them; empty when valid. */
  validate(value: unknown): string[] {
    if (this.validator(value)) return [];
    return (this.validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
}

function parseJson(text: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema ${what}: not JSON (${(err as Error).message})`, { cause: err });
  }
}

function ajvFor(root: JsonValue): Ajv {
  const dialect = typeof root === 'object' && root !== null && !Array.isArray(root) ? root.$schema : undefined;
  const options = { strict: false, allErrors: true, validateFormats: false };
  if (typeof dialect === 'string' && dialect.includes('2020-12')) return new Ajv2020(options) as unknown as Ajv;
  if (typeof dialect === 'string' && dialect.includes('2019-09')) return new Ajv2019(options) as unknown as Ajv;
  return new Ajv(options);
}

function collect(references: readonly ResolvedReference[], into: Map<string, JsonValue>): void {
  for (const ref of references) {
    if (into.has(ref.name)) continue;
    if (ref.schemaType !== 'JSON') throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: reference ${ref.name} is ${ref.schemaType}, not JSON`);
    into.set(ref.name, parseJson(ref.schema, `reference ${ref.name}`));
    collect(ref.references, into);
  }
}

export const jsonProvider: SchemaProvider<JsonSchema> = {
  schemaType: 'JSON',
  parse(schema, references) {
    const root = parseJson(schema, '');
    if (typeof root !== 'boolean' && (typeof root !== 'object' || root === null || Array.isArray(root))) {
      throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: a JSON Schema is an object or a boolean');
    }
    const documents = new Map<string, JsonValue>();
    collect(references, documents);
    const ajv = ajvFor(root);
    try {
      for (const [name, doc] of documents) ajv.addSchema(doc as AnySchema, name);
      return new JsonSchema(root, documents, ajv.compile(root as AnySchema));
    } catch (err) {
      throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: ${(err as Error).message}`, { cause: err });
    }
  },
  incompatibilities(reader, writer) {
    return jsonIncompatibilities(reader, writer);
  },
};
