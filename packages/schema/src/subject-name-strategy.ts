// Subject name strategies (Confluent's serializer settings key.subject.name.strategy /
// value.subject.name.strategy): which subject a topic's key or value schema is registered under.
import type { ParsedSchema } from './schema-type.js';
import type { AvroSchema } from './avro/avro-schema.js';
import type { JsonSchema } from './json/json-schema.js';
import type { ProtobufSchema } from './protobuf/protobuf-schema.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import { HEADER_SIZE, readMessageIndexes } from './wire-format.js';

export const SUBJECT_NAME_STRATEGIES = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'] as const;
export type SubjectNameStrategy = (typeof SUBJECT_NAME_STRATEGIES)[number];

/** Accepts the short name or Confluent's class name (io.confluent.kafka.serializers.subject.RecordNameStrategy). */
export function parseSubjectNameStrategy(value: string): SubjectNameStrategy {
  const short = value.slice(value.lastIndexOf('.') + 1);
  if ((SUBJECT_NAME_STRATEGIES as readonly string[]).includes(short)) return short as SubjectNameStrategy;
  throw new RegistryError(RegistryErrorCode.UNPROCESSABLE_ENTITY, `Unknown subject name strategy ${value}: one of ${SUBJECT_NAME_STRATEGIES.join(', ')}`);
}

/** The record's full name: an Avro named type's full name, a Protobuf message's, a JSON Schema's `title`. */
export function recordNameOf(schema: ParsedSchema, messageName?: string): string {
  if (schema.schemaType === 'AVRO') {
    const name = (schema as AvroSchema).type.name;
    if (name === undefined) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: RecordNameStrategy needs a named Avro type');
    return name;
  }
  if (schema.schemaType === 'PROTOBUF') {
    const p = schema as ProtobufSchema;
    const first = p.messageIndexes()[0];
    const name = messageName ?? first?.[0];
    if (name === undefined) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: no message');
    return name;
  }
  const root = (schema as JsonSchema).root;
  const title = typeof root === 'object' && root !== null && !Array.isArray(root) ? root.title : undefined;
  if (typeof title !== 'string') throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: RecordNameStrategy needs a JSON Schema "title"');
  return title;
}

/**
 * The record name of framed bytes (`schema` the one their id names): for Protobuf the message their
 * indexes pick, otherwise the schema's own (recordNameOf). Throws WireFormatError for bad indexes.
 */
export function recordNameOfPayload(schema: ParsedSchema, bytes: Uint8Array): string {
  if (schema.schemaType !== 'PROTOBUF') return recordNameOf(schema);
  const key = readMessageIndexes(bytes, HEADER_SIZE).indexes.join('.');
  const entry = (schema as ProtobufSchema).messageIndexes().find(([, ix]) => ix.join('.') === key);
  if (entry === undefined) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `message indexes [${key}] name no message of the schema`);
  return entry[0];
}

export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName?: string): string {
  if (strategy === 'TopicNameStrategy') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (recordName === undefined) throw new RegistryError(RegistryErrorCode.UNPROCESSABLE_ENTITY, `${strategy} needs the record name`);
  return strategy === 'RecordNameStrategy' ? recordName : `${topic}-${recordName}`;
}
