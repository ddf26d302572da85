// Registry writes: each returns the `_schemas` records it needs and the answer the REST API gives
// once they are appended and replayed; none mutates the state (RegistryState.replay does). The
// caller runs one command at a time (append, replay, next), so each sees every earlier write.
import { compatibilityMessages, type CompatibilityLevel, type Mode, type PreviousVersion } from './compatibility-level.js';
import { parseSchemaType, providers } from './providers.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import type { RegistryResult, SchemaInput } from './registry-input.js';
import { encodeKey, schemaRecord, type SchemaValue } from './registry-records.js';
import { type RegistryState, sameIdentity } from './registry-state.js';
import { contextOf, DEFAULT_CONTEXT } from './schema-context.js';
import type { ParsedSchema, SchemaReference } from './schema-type.js';

export interface Prepared {
  schemaType: SchemaValue['schemaType'];
  references: SchemaReference[];
  parsed: ParsedSchema;
  /** The text stored and compared: canonical, or the normal form under normalize=true. */
  text: string;
}

/** Parse a POSTed schema with its references resolved against `state` in `context` (42201 when invalid). */
export function prepare(state: RegistryState, input: SchemaInput, normalize: boolean, context = DEFAULT_CONTEXT): Prepared {
  const schemaType = parseSchemaType(input.schemaType);
  const references = (input.references ?? []).map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
  const parsed = state.parseInput(schemaType, input.schema, references, context);
  return { schemaType, references, parsed, text: normalize ? parsed.normalized() : parsed.canonical };
}

/** The live version of `subject` holding exactly this schema, if any. */
export function findVersion(state: RegistryState, subject: string, p: Prepared, normalize: boolean, includeDeleted = false): SchemaValue | undefined {
  const refs = JSON.stringify(p.references);
  const identity = p.parsed.identity?.();
  return state.versions(subject, includeDeleted).find((v) => {
    if (v.schemaType !== p.schemaType || JSON.stringify(v.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version }))) !== refs) return false;
    if (v.schema === p.text) return true;
    const stored = state.parsed(v);
    if (normalize ? stored.normalized() === p.text : stored.canonical === p.text) return true;
    // One Protobuf schema registered as text and looked up (or registered again) as a descriptor, or the other way.
    return identity !== undefined && sameIdentity(state, v, identity);
  });
}

function checkWritable(state: RegistryState, subject: string): Mode {
  const mode = state.effectiveMode(subject);
  if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
    throw new RegistryError(RegistryErrorCode.OPERATION_NOT_PERMITTED, `Subject ${subject} is in read-only mode`);
  }
  return mode;
}

export function register(state: RegistryState, subject: string, input: SchemaInput, normalize = false): RegistryResult<{ id: number }> {
  const mode = checkWritable(state, subject);
  const context = contextOf(subject);
  const p = prepare(state, input, normalize, context);
  const existing = findVersion(state, subject, p, normalize);
  if (existing !== undefined && (input.id === undefined || input.id === existing.id)) return { records: [], response: { id: existing.id } };
  if (mode !== 'IMPORT' && input.id !== undefined && input.id >= 0) {
    throw new RegistryError(RegistryErrorCode.OPERATION_NOT_PERMITTED, `Subject ${subject} is not in import mode`);
  }
  if (mode !== 'IMPORT') {
    const level = state.effectiveConfig(subject);
    const messages = checkAgainstHistory(state, subject, p.parsed, level);
    if (messages.length > 0) {
      throw new RegistryError(
        RegistryErrorCode.INCOMPATIBLE_SCHEMA,
        `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
      );
    }
  }
  let id: number;
  if (input.id !== undefined && input.id >= 0) {
    const taken = state.schemaById(input.id, context);
    if (taken !== undefined && (taken.schema !== p.text || taken.schemaType !== p.schemaType)) {
      throw new RegistryError(RegistryErrorCode.OPERATION_NOT_PERMITTED, `Overwrite new schema with id ${input.id} is not permitted.`);
    }
    id = input.id;
  } else {
    id = state.idOfContent(p.parsed, p.schemaType, p.text, p.references, context) ?? state.maxIdIn(context) + 1;
  }
  const all = state.versions(subject, true);
  let version: number;
  if (input.version !== undefined && input.version > 0) {
    const at = all.find((v) => v.version === input.version);
    if (at !== undefined && at.id !== id) {
      throw new RegistryError(RegistryErrorCode.OPERATION_NOT_PERMITTED, `Overwrite new schema with version ${input.version} of subject ${subject} is not permitted.`);
    }
    version = input.version;
  } else {
    version = (all.at(-1)?.version ?? 0) + 1;
  }
  const value: SchemaValue = { subject, version, id, schemaType: p.schemaType, schema: p.text, references: p.references, deleted: false };
  return { records: [schemaRecord(value)], response: { id } };
}

/** Messages for `candidate` against the subject's live versions at `level` (empty: compatible). */
export function checkAgainstHistory(state: RegistryState, subject: string, candidate: ParsedSchema, level: CompatibilityLevel, only?: SchemaValue): string[] {
  const history = only ? [only] : state.versions(subject);
  const previous: PreviousVersion[] = [];
  for (const v of history) {
    if (v.schemaType !== candidate.schemaType) {
      if (level !== 'NONE') return [`Incompatible schema type: ${candidate.schemaType} after ${v.schemaType}`, `{oldSchemaVersion: ${v.version}}`, `{compatibility: '${level}'}`];
      continue;
    }
    previous.push({ version: v.version, parsed: state.parsed(v) });
  }
  return compatibilityMessages(providers[candidate.schemaType], candidate, previous, level);
}

/** Ids that still reference a version and are live: such a version cannot be deleted (42206). */
function checkNotReferenced(state: RegistryState, subject: string, version: number): void {
  const by = state.referencedBy(subject, version);
  if (by.length > 0) {
    throw new RegistryError(RegistryErrorCode.REFERENCE_EXISTS, `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.`);
  }
}

export function deleteVersion(state: RegistryState, subject: string, version: number, permanent: boolean): RegistryResult<number> {
  checkWritable(state, subject);
  const all = state.versions(subject, true);
  if (all.length === 0) throw new RegistryError(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  const target = version === -1 ? state.versions(subject).at(-1) : all.find((v) => v.version === version);
  if (target === undefined) throw new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version === -1 ? 'latest' : version} not found.`);
  if (permanent) {
    if (!target.deleted) {
      throw new RegistryError(RegistryErrorCode.SCHEMA_VERSION_NOT_SOFT_DELETED, `Subject '${subject}' Version ${target.version} was not deleted first before being permanently deleted`);
    }
    checkNotReferenced(state, subject, target.version);
    return { records: [{ key: encodeKey({ keytype: 'SCHEMA', subject, version: target.version }), value: null }], response: target.version };
  }
  if (target.deleted) {
    throw new RegistryError(RegistryErrorCode.SCHEMA_VERSION_SOFT_DELETED, `Subject '${subject}' Version ${target.version} was soft deleted. Set permanent=true to delete permanently`);
  }
  checkNotReferenced(state, subject, target.version);
  return { records: [schemaRecord({ ...target, deleted: true })], response: target.version };
}

export function deleteSubject(state: RegistryState, subject: string, permanent: boolean): RegistryResult<number[]> {
  checkWritable(state, subject);
  const all = state.versions(subject, true);
  if (all.length === 0) throw new RegistryError(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  const live = all.filter((v) => !v.deleted);
  if (permanent) {
    if (live.length > 0) throw new RegistryError(RegistryErrorCode.SUBJECT_NOT_SOFT_DELETED, `Subject '${subject}' was not deleted first before being permanently deleted`);
    for (const v of all) checkNotReferenced(state, subject, v.version);
    const records = all.map((v) => ({ key: encodeKey({ keytype: 'SCHEMA', subject, version: v.version }), value: null }));
    // The subject's own config and mode go with it, as in Confluent.
    if (state.config(subject) !== undefined) records.push({ key: encodeKey({ keytype: 'CONFIG', subject }), value: null });
    if (state.mode(subject) !== undefined) records.push({ key: encodeKey({ keytype: 'MODE', subject }), value: null });
    return { records, response: all.map((v) => v.version) };
  }
  if (live.length === 0) throw new RegistryError(RegistryErrorCode.SUBJECT_SOFT_DELETED, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
  for (const v of live) checkNotReferenced(state, subject, v.version);
  return { records: live.map((v) => schemaRecord({ ...v, deleted: true })), response: live.map((v) => v.version) };
}

export function setConfig(state: RegistryState, subject: string | null, level: CompatibilityLevel): RegistryResult<{ compatibility: CompatibilityLevel }> {
  void state;
  return { records: [{ key: encodeKey({ keytype: 'CONFIG', subject }), value: JSON.stringify({ compatibilityLevel: level }) }], response: { compatibility: level } };
}

export function deleteConfig(state: RegistryState, subject: string | null): RegistryResult<{ compatibilityLevel: CompatibilityLevel }> {
  const current = state.config(subject);
  if (subject !== null && current === undefined) throw new RegistryError(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  const records = current === undefined ? [] : [{ key: encodeKey({ keytype: 'CONFIG', subject }), value: null }];
  return { records, response: { compatibilityLevel: current ?? state.effectiveConfig('') } };
}

export function setMode(state: RegistryState, subject: string | null, mode: Mode, force: boolean): RegistryResult<{ mode: Mode }> {
  if (mode === 'IMPORT' && !force) {
    const nonEmpty = subject === null ? state.subjectNames(true).length > 0 : state.versions(subject, true).length > 0;
    if (nonEmpty) throw new RegistryError(RegistryErrorCode.OPERATION_NOT_PERMITTED, 'Cannot import since found existing subjects');
  }
  return { records: [{ key: encodeKey({ keytype: 'MODE', subject }), value: JSON.stringify({ mode }) }], response: { mode } };
}

export function deleteMode(state: RegistryState, subject: string): RegistryResult<{ mode: Mode }> {
  const current = state.mode(subject);
  if (current === undefined) throw new RegistryError(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  return { records: [{ key: encodeKey({ keytype: 'MODE', subject }), value: null }], response: { mode: current } };
}
