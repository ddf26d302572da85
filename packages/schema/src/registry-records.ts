// The records of the `_schemas` topic in Confluent's JSON shapes, so a log written by one reads in
// the other. Keys are written with a fixed field order: compaction keeps the last value per key
// bytes, and every registry fact is the last value of one key (soft deletes rewrite the SCHEMA value
// with deleted=true, hard deletes and config/mode removals are tombstones).
import type { SchemaReference, SchemaType } from './schema-type.js';

export type RegistryKey =
  | { keytype: 'SCHEMA'; subject: string; version: number }
  | { keytype: 'CONFIG'; subject: string | null }
  | { keytype: 'MODE'; subject: string | null }
  | { keytype: 'DELETE_SUBJECT'; subject: string }
  | { keytype: 'CLEAR_SUBJECT'; subject: string }
  | { keytype: 'NOOP' };

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  deleted: boolean;
}

/** One record to append: key and value as the JSON text stored on the topic (value null: a tombstone). */
export interface RegistryRecord {
  key: string;
  value: string | null;
}

export function encodeKey(key: RegistryKey): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: 'SCHEMA', subject: key.subject, version: key.version, magic: 1 });
    case 'CONFIG':
    case 'MODE':
      return key.subject === null ? JSON.stringify({ keytype: key.keytype, magic: 0 }) : JSON.stringify({ keytype: key.keytype, subject: key.subject, magic: 0 });
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return JSON.stringify({ keytype: key.keytype, subject: key.subject, magic: 0 });
    case 'NOOP':
      return JSON.stringify({ keytype: 'NOOP', magic: 0 });
  }
}

export function schemaRecord(value: SchemaValue): RegistryRecord {
  const body: Record<string, unknown> = { subject: value.subject, version: value.version, id: value.id };
  // Confluent omits schemaType for Avro and references when there are none.
  if (value.schemaType !== 'AVRO') body.schemaType = value.schemaType;
  if (value.references.length > 0) body.references = value.references;
  body.schema = value.schema;
  body.deleted = value.deleted;
  return { key: encodeKey({ keytype: 'SCHEMA', subject: value.subject, version: value.version }), value: JSON.stringify(body) };
}

/** The record's key parsed; null for a key this registry does not know (skipped on replay, as Confluent does). */
export function decodeKey(text: string): RegistryKey | null {
  let k: Record<string, unknown>;
  try {
    k = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const subject = typeof k.subject === 'string' ? k.subject : null;
  switch (k.keytype) {
    case 'SCHEMA':
      return subject !== null && typeof k.version === 'number' ? { keytype: 'SCHEMA', subject, version: k.version } : null;
    case 'CONFIG':
    case 'MODE':
      return { keytype: k.keytype, subject };
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return subject !== null ? { keytype: k.keytype, subject } : null;
    case 'NOOP':
      return { keytype: 'NOOP' };
    default:
      return null;
  }
}

export function decodeSchemaValue(text: string): SchemaValue {
  const v = JSON.parse(text) as Record<string, unknown>;
  return {
    subject: String(v.subject),
    version: Number(v.version),
    id: Number(v.id),
    schemaType: (typeof v.schemaType === 'string' ? v.schemaType : 'AVRO') as SchemaType,
    schema: String(v.schema),
    references: Array.isArray(v.references) ? (v.references as SchemaReference[]) : [],
    deleted: v.deleted === true,
  };
}
