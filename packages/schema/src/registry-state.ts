// The registry's state as the `_schemas` records leave it: subjects → versions, ids → schemas,
// compatibility levels and modes (global and per subject). `replay` is the only mutator, so live
// writes and recovery share one path; everything else reads. Reads that run per request (an id's
// schema, the id of a schema's content, a subject's sorted versions) are indexed, not scanned.
import type { CompatibilityLevel, Mode } from './compatibility-level.js';
import { parseSchema } from './providers.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import { decodeKey, decodeSchemaValue, type RegistryRecord, type SchemaValue, schemaRecord } from './registry-records.js';
import type { ParsedSchema, ResolvedReference, SchemaReference, SchemaType } from './schema-type.js';

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
export const DEFAULT_MODE: Mode = 'READWRITE';
const MAX_REFERENCE_DEPTH = 32;
/** Parsed POSTed schemas kept for the next request with the same text (clients re-send the same few). */
const PARSE_CACHE_SIZE = 1024;

function referencesKey(references: readonly SchemaReference[]): string {
  return references.length === 0 ? '' : JSON.stringify(references.map((r) => [r.name, r.subject, r.version]));
}

function contentKey(schemaType: string, schema: string, references: readonly SchemaReference[]): string {
  return `${schemaType}\u0000${schema}\u0000${referencesKey(references)}`;
}

export class RegistryState {
  /** subject → version → stored schema (soft-deleted ones included). */
  readonly subjects = new Map<string, Map<number, SchemaValue>>();
  /** id → the subject-versions registered with it (the id exists while one does). */
  private readonly idUses = new Map<number, Set<string>>();
  /** id → one stored version holding it (the text is the same for all its uses). */
  private readonly byId = new Map<number, SchemaValue>();
  /** schemaType + text + references → the id holding exactly that content. */
  private readonly idByContent = new Map<string, number>();
  /** subject → its versions ascending (soft-deleted included); dropped when the subject changes. */
  private readonly sorted = new Map<string, SchemaValue[]>();
  private readonly configs = new Map<string | null, CompatibilityLevel>();
  private readonly modes = new Map<string | null, Mode>();
  private readonly parsedById = new Map<number, ParsedSchema>();
  private readonly parseCache = new Map<string, ParsedSchema>();
  /** Highest id ever replayed: ids are never reused while its record is on the topic. */
  maxId = 0;

  /** Apply one `_schemas` record (value null: tombstone). Unknown keys are skipped. */
  replay(record: RegistryRecord): void {
    const key = decodeKey(record.key);
    if (key === null) return;
    switch (key.keytype) {
      case 'SCHEMA':
        this.putVersion(key.subject, key.version, record.value === null ? undefined : decodeSchemaValue(record.value));
        return;
      case 'CONFIG':
        if (record.value === null) this.configs.delete(key.subject);
        else this.configs.set(key.subject, (JSON.parse(record.value) as { compatibilityLevel: CompatibilityLevel }).compatibilityLevel);
        return;
      case 'MODE':
        if (record.value === null) this.modes.delete(key.subject);
        else this.modes.set(key.subject, (JSON.parse(record.value) as { mode: Mode }).mode);
        return;
      case 'DELETE_SUBJECT':
      case 'CLEAR_SUBJECT': {
        // Written by Confluent's registry: soft-delete (or drop) every version up to `version`.
        if (record.value === null) return;
        const upTo = (JSON.parse(record.value) as { version: number }).version;
        const versions = this.subjects.get(key.subject);
        if (versions === undefined) return;
        for (const [v, value] of [...versions]) {
          if (v > upTo) continue;
          this.putVersion(key.subject, v, key.keytype === 'DELETE_SUBJECT' ? { ...value, deleted: true } : undefined);
        }
        return;
      }
      case 'NOOP':
        return;
    }
  }

  /**
   * Applies `records` (a look-ahead: later commands of one write see earlier ones) and returns what
   * puts the state back exactly as it was — each key's previous record replayed, newest first.
   */
  applyTentatively(records: readonly RegistryRecord[]): () => void {
    const undo: RegistryRecord[] = [];
    const maxId = this.maxId;
    for (const r of records) {
      undo.push(this.currentRecord(r.key));
      this.replay(r);
    }
    return () => {
      for (let i = undo.length - 1; i >= 0; i--) this.replay(undo[i]!);
      this.maxId = maxId;
    };
  }

  /** The record that reproduces what the state holds for `keyText` now (a tombstone for nothing). */
  private currentRecord(keyText: string): RegistryRecord {
    const key = decodeKey(keyText);
    let value: string | null = null;
    if (key?.keytype === 'SCHEMA') {
      const v = this.subjects.get(key.subject)?.get(key.version);
      if (v !== undefined) value = schemaRecord(v).value;
    } else if (key?.keytype === 'CONFIG') {
      const c = this.configs.get(key.subject);
      if (c !== undefined) value = JSON.stringify({ compatibilityLevel: c });
    } else if (key?.keytype === 'MODE') {
      const m = this.modes.get(key.subject);
      if (m !== undefined) value = JSON.stringify({ mode: m });
    }
    return { key: keyText, value };
  }

  /** Sets (or with undefined removes) one subject-version, keeping the id indexes in step. */
  private putVersion(subject: string, version: number, value: SchemaValue | undefined): void {
    let versions = this.subjects.get(subject);
    const previous = versions?.get(version);
    if (previous !== undefined) this.forgetUse(previous);
    this.sorted.delete(subject);
    if (value === undefined) {
      versions?.delete(version);
      if (versions !== undefined && versions.size === 0) this.subjects.delete(subject);
      return;
    }
    if (versions === undefined) this.subjects.set(subject, (versions = new Map()));
    versions.set(version, value);
    let uses = this.idUses.get(value.id);
    if (uses === undefined) this.idUses.set(value.id, (uses = new Set()));
    uses.add(`${value.subject}\u0000${value.version}`);
    this.byId.set(value.id, value);
    const content = contentKey(value.schemaType, value.schema, value.references);
    if (!this.idByContent.has(content)) this.idByContent.set(content, value.id);
    if (value.id > this.maxId) this.maxId = value.id;
  }

  private forgetUse(value: SchemaValue): void {
    const uses = this.idUses.get(value.id);
    if (uses === undefined) return;
    uses.delete(`${value.subject}\u0000${value.version}`);
    if (uses.size > 0) {
      if (this.byId.get(value.id) === value) this.byId.set(value.id, this.useValue(uses.values().next().value!)!);
      return;
    }
    this.idUses.delete(value.id);
    this.byId.delete(value.id);
    this.parsedById.delete(value.id);
    const content = contentKey(value.schemaType, value.schema, value.references);
    if (this.idByContent.get(content) === value.id) {
      this.idByContent.delete(content);
      // Another id with the same content (IMPORT mode can make one) takes its place: rare, so scanned.
      for (const [id, v] of this.byId) {
        if (contentKey(v.schemaType, v.schema, v.references) === content) {
          this.idByContent.set(content, id);
          break;
        }
      }
    }
  }

  private useValue(use: string): SchemaValue | undefined {
    const at = use.lastIndexOf('\u0000');
    return this.subjects.get(use.slice(0, at))?.get(Number(use.slice(at + 1)));
  }

  // ---- reads ----

  config(subject: string | null): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }
  /** The level a subject's registrations are checked at. */
  effectiveConfig(subject: string): CompatibilityLevel {
    return this.configs.get(subject) ?? this.configs.get(null) ?? DEFAULT_COMPATIBILITY;
  }
  mode(subject: string | null): Mode | undefined {
    return this.modes.get(subject);
  }
  effectiveMode(subject: string): Mode {
    return this.modes.get(subject) ?? this.modes.get(null) ?? DEFAULT_MODE;
  }
  hasSubjectConfigs(): boolean {
    return [...this.configs.keys()].some((k) => k !== null) || [...this.modes.keys()].some((k) => k !== null);
  }

  /** Versions of a subject, ascending; soft-deleted ones only when asked. */
  versions(subject: string, includeDeleted = false): readonly SchemaValue[] {
    let all = this.sorted.get(subject);
    if (all === undefined) {
      const map = this.subjects.get(subject);
      if (map === undefined) return [];
      all = [...map.values()].sort((a, b) => a.version - b.version);
      this.sorted.set(subject, all);
    }
    return includeDeleted || !all.some((v) => v.deleted) ? all : all.filter((v) => !v.deleted);
  }

  subjectNames(includeDeleted = false): string[] {
    return [...this.subjects.keys()].filter((s) => this.versions(s, includeDeleted).length > 0).sort();
  }

  /** Any stored version with this id (the schema text is the same for all). */
  schemaById(id: number): SchemaValue | undefined {
    return this.byId.get(id);
  }

  /** True when `subject` has a live (not soft-deleted) version registered with `id`. */
  isLiveUnder(subject: string, id: number): boolean {
    const versions = this.subjects.get(subject);
    if (versions === undefined) return false;
    for (const v of versions.values()) if (v.id === id && !v.deleted) return true;
    return false;
  }

  /** Every (subject, version) registered with `id`. */
  usesOf(id: number): { subject: string; version: number; deleted: boolean }[] {
    const out: { subject: string; version: number; deleted: boolean }[] = [];
    for (const use of this.idUses.get(id) ?? []) {
      const v = this.useValue(use);
      if (v !== undefined) out.push({ subject: v.subject, version: v.version, deleted: v.deleted });
    }
    return out.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  }

  /** Ids of live schemas whose references name `subject` at `version`. */
  referencedBy(subject: string, version: number): number[] {
    const ids = new Set<number>();
    for (const versions of this.subjects.values()) {
      for (const v of versions.values()) {
        if (!v.deleted && v.references.some((r) => r.subject === subject && r.version === version)) ids.add(v.id);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** The id already holding exactly this schema (type, text, references), if any. */
  idFor(schemaType: string, schema: string, references: readonly SchemaReference[]): number | undefined {
    return this.idByContent.get(contentKey(schemaType, schema, references));
  }

  /** References resolved to their texts, recursively (42201 for one that does not exist). */
  resolveReferences(references: readonly SchemaReference[], depth = 0): ResolvedReference[] {
    if (depth > MAX_REFERENCE_DEPTH) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: references nest deeper than 32 (a cycle?)');
    return references.map((ref) => {
      if (typeof ref?.name !== 'string' || typeof ref.subject !== 'string' || !Number.isInteger(ref.version)) {
        throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: a reference needs name, subject and an integer version');
      }
      const target = this.subjects.get(ref.subject)?.get(ref.version === -1 ? this.latestVersion(ref.subject) ?? 0 : ref.version);
      if (target === undefined) {
        throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: reference ${ref.name} names subject ${ref.subject} version ${ref.version}, which does not exist`);
      }
      return { name: ref.name, schemaType: target.schemaType, schema: target.schema, references: this.resolveReferences(target.references, depth + 1) };
    });
  }

  latestVersion(subject: string): number | undefined {
    return this.versions(subject).at(-1)?.version;
  }

  /** The parsed form of a stored schema, cached by id. */
  parsed(value: SchemaValue): ParsedSchema {
    let p = this.parsedById.get(value.id);
    if (p === undefined) {
      p = parseSchema(value.schemaType, value.schema, this.resolveReferences(value.references));
      this.parsedById.set(value.id, p);
    }
    return p;
  }

  /**
   * A POSTed schema parsed (42201 when invalid). Reference-free texts are kept (LRU, 1024): parsing
   * (avsc compiles a type, ajv a validator) is most of a lookup's or registration's cost.
   */
  parseInput(schemaType: SchemaType, schema: string, references: readonly SchemaReference[]): ParsedSchema {
    if (references.length > 0) return parseSchema(schemaType, schema, this.resolveReferences(references));
    const key = `${schemaType}\u0000${schema}`;
    let p = this.parseCache.get(key);
    if (p !== undefined) {
      this.parseCache.delete(key); // re-inserted below: most recently used last
    } else {
      p = parseSchema(schemaType, schema, []);
      if (this.parseCache.size >= PARSE_CACHE_SIZE) this.parseCache.delete(this.parseCache.keys().next().value!);
    }
    this.parseCache.set(key, p);
    return p;
  }
}
