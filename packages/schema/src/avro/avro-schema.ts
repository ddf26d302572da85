// Avro schemas parsed with avsc: references become named types in the parse registry (so a record
// may name a type defined in a referenced subject), the canonical text and the normal form.
import avsc from 'avsc';
import { RegistryError, RegistryErrorCode } from '../registry-error.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from '../schema-type.js';
import { avroIncompatibilities } from './avro-compatibility.js';
import { avroNormalForm } from './avro-normal-form.js';

export class AvroSchema implements ParsedSchema {
  readonly schemaType = 'AVRO' as const;
  readonly canonical: string;
  readonly type: avsc.Type;
  constructor(type: avsc.Type, canonical: string) {
    this.type = type;
    this.canonical = canonical;
  }
  normalized(): string {
    return avroNormalForm(this.type);
  }
}

type Registry = Record<string, avsc.Type>;

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // A bare type name ("string") is valid Avro only as JSON text `"string"`; Confluent accepts
    // both, so an unquoted primitive name is tried as such.
    if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(text.trim())) return text.trim();
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema ${what}: not JSON (${(err as Error).message})`, { cause: err });
  }
}

function addReferences(references: readonly ResolvedReference[], registry: Registry, seen: Set<string>): void {
  for (const ref of references) {
    if (seen.has(ref.name)) continue;
    seen.add(ref.name);
    if (ref.schemaType !== 'AVRO') throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: reference ${ref.name} is ${ref.schemaType}, not AVRO`);
    addReferences(ref.references, registry, seen);
    forSchema(parseJson(ref.schema, `reference ${ref.name}`), registry, `reference ${ref.name}`);
  }
}

function forSchema(json: unknown, registry: Registry, what: string): avsc.Type {
  try {
    // No logical types: compatibility and serde work on the underlying types, as Confluent's do.
    return avsc.Type.forSchema(json as avsc.Schema, { registry });
  } catch (err) {
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema ${what}: ${(err as Error).message}`, { cause: err });
  }
}

export const avroProvider: SchemaProvider<AvroSchema> = {
  schemaType: 'AVRO',
  parse(schema, references) {
    const registry: Registry = {};
    addReferences(references, registry, new Set());
    const json = parseJson(schema, '');
    const type = forSchema(json, registry, '');
    return new AvroSchema(type, JSON.stringify(json));
  },
  incompatibilities(reader, writer) {
    return avroIncompatibilities(reader.type, writer.type);
  },
};
