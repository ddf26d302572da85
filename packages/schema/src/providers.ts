// The schema types by name, and the one parse entry point with Confluent's default (AVRO).
import { avroProvider } from './avro/avro-schema.js';
import { jsonProvider } from './json/json-schema.js';
import { protobufProvider } from './protobuf/protobuf-schema.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider, SchemaType } from './schema-type.js';

export const providers: Readonly<Record<SchemaType, SchemaProvider>> = {
  AVRO: avroProvider as SchemaProvider,
  JSON: jsonProvider as SchemaProvider,
  PROTOBUF: protobufProvider as SchemaProvider,
};

/** `schemaType` as the REST API sends it: absent means AVRO; anything unknown is 42201. */
export function parseSchemaType(value: unknown): SchemaType {
  if (value === undefined || value === null || value === '') return 'AVRO';
  const t = typeof value === 'string' ? value.toUpperCase() : '';
  if (t === 'AVRO' || t === 'JSON' || t === 'PROTOBUF') return t;
  throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema type ${String(value)}: supported are AVRO, JSON, PROTOBUF`);
}

export function parseSchema(schemaType: SchemaType, schema: string, references: readonly ResolvedReference[] = []): ParsedSchema {
  if (typeof schema !== 'string' || schema.trim() === '') throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: empty');
  return providers[schemaType].parse(schema, references);
}
