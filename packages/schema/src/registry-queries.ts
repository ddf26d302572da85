// Registry reads, answered in the REST API's shapes and with its error codes and messages.
import type { CompatibilityLevel, Mode } from './compatibility-level.js';
import { checkAgainstHistory, findVersion, prepare } from './registry-commands.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import type { SchemaInput } from './registry-input.js';
import type { SchemaValue } from './registry-records.js';
import type { RegistryState } from './registry-state.js';
import { contextOf, DEFAULT_CONTEXT } from './schema-context.js';
import { SCHEMA_TYPES, type SchemaReference } from './schema-type.js';
import { createHash } from 'node:crypto';
import { serializedDescriptor } from './protobuf/protobuf-descriptor.js';
import type { ProtobufSchema } from './protobuf/protobuf-schema.js';

/** A version as GET /subjects/{s}/versions/{v} returns it (schemaType and references omitted when default/empty). */
export interface VersionView {
  subject: string;
  version: number;
  id: number;
  schemaType?: string;
  references?: SchemaReference[];
  schema: string;
  deleted?: boolean;
}

export function versionView(v: SchemaValue, withDeleted = false): VersionView {
  const out: VersionView = { subject: v.subject, version: v.version, id: v.id, schema: v.schema };
  if (v.schemaType !== 'AVRO') out.schemaType = v.schemaType;
  if (v.references.length > 0) out.references = v.references;
  if (withDeleted && v.deleted) out.deleted = true;
  return out;
}

function subjectNotFound(subject: string): RegistryError {
  return new RegistryError(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
}

export function listSubjects(state: RegistryState, options: { deleted?: boolean; prefix?: string } = {}): string[] {
  const names = state.subjectNames(options.deleted ?? false);
  return options.prefix ? names.filter((s) => s.startsWith(options.prefix!)) : names;
}

export function listVersions(state: RegistryState, subject: string, deleted = false): number[] {
  const versions = state.versions(subject, deleted);
  if (versions.length === 0) throw subjectNotFound(subject);
  return versions.map((v) => v.version);
}

export function getVersion(state: RegistryState, subject: string, version: number, deleted = false): SchemaValue {
  const all = state.versions(subject, true);
  if (all.length === 0 || (!deleted && all.every((v) => v.deleted))) throw subjectNotFound(subject);
  const pool = deleted ? all : all.filter((v) => !v.deleted);
  const found = version === -1 ? pool.at(-1) : pool.find((v) => v.version === version);
  if (found === undefined) throw new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version === -1 ? 'latest' : version} not found.`);
  return found;
}

/** GET /schemas/ids/{id}: in the default context, or in `context` (from its `subject` query parameter). */
export function getSchemaById(state: RegistryState, id: number, context = DEFAULT_CONTEXT): SchemaValue {
  const found = Number.isInteger(id) ? state.schemaById(id, context) : undefined;
  if (found === undefined) throw new RegistryError(RegistryErrorCode.SCHEMA_NOT_FOUND, `Schema ${id} not found`);
  return found;
}

export function subjectsOfId(state: RegistryState, id: number, deleted = false, context = DEFAULT_CONTEXT): string[] {
  getSchemaById(state, id, context);
  return [...new Set(state.usesOf(id, context).filter((u) => deleted || !u.deleted).map((u) => u.subject))];
}

export function versionsOfId(state: RegistryState, id: number, deleted = false, context = DEFAULT_CONTEXT): { subject: string; version: number }[] {
  getSchemaById(state, id, context);
  return state.usesOf(id, context).filter((u) => deleted || !u.deleted).map(({ subject, version }) => ({ subject, version }));
}

/** GET /contexts: `.` and every context a subject lives in. */
export function listContexts(state: RegistryState): string[] {
  return state.contexts();
}

export function referencedBy(state: RegistryState, subject: string, version: number): number[] {
  const v = getVersion(state, subject, version);
  return state.referencedBy(subject, v.version);
}

export function schemaTypes(): string[] {
  return [...SCHEMA_TYPES];
}

/** POST /subjects/{s}: the version holding this schema (40401 no subject, 40403 not registered there). */
export function lookupSchema(state: RegistryState, subject: string, input: SchemaInput, options: { normalize?: boolean; deleted?: boolean } = {}): SchemaValue {
  if (state.versions(subject, options.deleted ?? false).length === 0) throw subjectNotFound(subject);
  const p = prepare(state, input, options.normalize ?? false, contextOf(subject));
  const found = findVersion(state, subject, p, options.normalize ?? false, options.deleted ?? false);
  if (found === undefined) throw new RegistryError(RegistryErrorCode.SCHEMA_NOT_FOUND, 'Schema not found');
  return found;
}

/**
 * POST /compatibility/subjects/{s}/versions[/{v}]: against one version (`version` given, with the
 * subject's level applied to that pair) or against the history the level names (`version` null).
 */
export function testCompatibility(
  state: RegistryState,
  subject: string,
  version: number | null,
  input: SchemaInput,
  options: { normalize?: boolean } = {},
): { is_compatible: boolean; messages: string[] } {
  const p = prepare(state, input, options.normalize ?? false, contextOf(subject));
  const level: CompatibilityLevel = state.effectiveConfig(subject);
  let only: SchemaValue | undefined;
  if (version !== null) {
    if (state.versions(subject).length === 0) {
      if (version === -1) return { is_compatible: true, messages: [] }; // nothing to be incompatible with
      throw subjectNotFound(subject);
    }
    only = getVersion(state, subject, version);
  }
  const pairLevel = only === undefined ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel);
  const messages = checkAgainstHistory(state, subject, p.parsed, pairLevel, only);
  return { is_compatible: messages.length === 0, messages };
}

export function getConfig(state: RegistryState, subject: string | null, defaultToGlobal = false): { compatibilityLevel: CompatibilityLevel } {
  if (subject === null) return { compatibilityLevel: state.effectiveConfig('\u0000') };
  const own = state.config(subject);
  if (own !== undefined) return { compatibilityLevel: own };
  if (defaultToGlobal) return { compatibilityLevel: state.effectiveConfig(subject) };
  throw new RegistryError(RegistryErrorCode.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level compatibility configured`);
}

export function getMode(state: RegistryState, subject: string | null, defaultToGlobal = false): { mode: Mode } {
  if (subject === null) return { mode: state.effectiveMode('\u0000') };
  const own = state.mode(subject);
  if (own !== undefined) return { mode: own };
  if (defaultToGlobal) return { mode: state.effectiveMode(subject) };
  throw new RegistryError(RegistryErrorCode.SUBJECT_LEVEL_MODE_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level mode configured`);
}

/**
 * A stored schema in the `format` a reader asks for (`?format=`): `serialized` gives a Protobuf
 * schema as a base64 FileDescriptorProto (what Confluent's Protobuf serdes fetch); any other
 * format, or another schema type, the stored text. The descriptor's file name is derived from the
 * text, so two schemas never share one in a reader's file registry.
 */
export function schemaInFormat(state: RegistryState, value: SchemaValue, format: string | null): SchemaValue {
  if (format !== 'serialized' || value.schemaType !== 'PROTOBUF') return value;
  const name = `mq-${createHash('sha256').update(value.schema).digest('hex').slice(0, 16)}.proto`;
  return { ...value, schema: serializedDescriptor(state.parsed(value) as ProtobufSchema, name) };
}
