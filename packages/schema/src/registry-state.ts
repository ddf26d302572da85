// The registry's state as the `_schemas` records leave it: subjects → versions, ids → schemas,
// compatibility levels and modes (global and per subject). `replay` is the only mutator, so live
// writes and recovery share one path; everything else reads. Reads that run per request (an id's
// schema, the id of a schema's content, a subject's sorted versions) are indexed, not scanned.
import type { CompatibilityLevel, Mode } from './compatibility-level.js';
import { parseSchema } from './providers.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import { decodeKey, decodeSchemaValue, type RegistryRecord, type SchemaValue, schemaRecord } from './registry-records.js';
import { contextOf, contextSubject, DEFAULT_CONTEXT, qualifyIn } from './schema-context.js';
import type { ParsedSchema, ResolvedReference, SchemaReference, SchemaType } from './schema-type.js';

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
export const DEFAULT_MODE: Mode = 'READWRITE';
/** Confluent's reference nesting limit. */
const MAX_REFERENCE_DEPTH = 32;

/** Refuses references nested past Confluent's limit (a cycle, most likely): every resolver of references checks through this. */
export function checkReferenceDepth(depth: number): void {
  if (depth > MAX_REFERENCE_DEPTH) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: references nest deeper than ${MAX_REFERENCE_DEPTH} (a cycle?)`);
}
/** Parsed POSTed schemas kept for the next request with the same text (clients re-send the same few). */
const PARSE_CACHE_SIZE = 1024;

function referencesKey(references: readonly SchemaReference[]): string {
  return references.length === 0 ? '' : JSON.stringify(references.map((r) => [r.name, r.subject, r.version]));
}

function contentKey(schemaType: string, schema: string, references: readonly SchemaReference[]): string {
  return `${schemaType}\u0000${schema}\u0000${referencesKey(references)}`;
}

/** One context's ids (Confluent: the same id may name different schemas in two contexts). */
class IdSpace {
  /** id → the subject-versions registered with it (the id exists while one does). */
  readonly idUses = new Map<number, Set<string>>();
  /** id → one stored version holding it (the text is the same for all its uses). */
  readonly byId = new Map<number, SchemaValue>();
  /** schemaType + text + references → the id holding exactly that content. */
  readonly idByContent = new Map<string, number>();
  readonly parsedById = new Map<number, ParsedSchema>();
  /** Highest id ever replayed here: ids are never reused while its record is on the topic. */
  maxId = 0;
}

/** Whether the stored `value` has `identity` (a stored schema that no longer parses has none). */
export function sameIdentity(state: RegistryState, value: SchemaValue, identity: string): boolean {
  try {
    return state.parsed(value).identity?.() === identity;
  } catch {
    return false;
  }
}

export class RegistryState {
  /** subject → version → stored schema (soft-deleted ones included). */
  readonly subjects = new Map<string, Map<number, SchemaValue>>();
  /** context → its id space (the default context `.` always exists). */
  private readonly spaces = new Map<string, IdSpace>([[DEFAULT_CONTEXT, new IdSpace()]]);
  /** subject → its versions ascending (soft-deleted included); dropped when the subject changes. */
  private readonly sorted = new Map<string, SchemaValue[]>();
  private readonly configs = new Map<string | null, CompatibilityLevel>();
  private readonly modes = new Map<string | null, Mode>();
  private readonly parseCache = new Map<string, ParsedSchema>();

  private space(context: string): IdSpace {
    let s = this.spaces.get(context);
    if (s === undefined) this.spaces.set(context, (s = new IdSpace()));
    return s;
  }

  /** Highest id ever replayed in the default context. */
  get maxId(): number {
    return this.space(DEFAULT_CONTEXT).maxId;
  }

  /** Highest id ever replayed in `context` (the next registration there takes the one after). */
  maxIdIn(context: string): number {
    return this.spaces.get(context)?.maxId ?? 0;
  }

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
    const maxIds = new Map([...this.spaces].map(([context, space]) => [context, space.maxId]));
    for (const r of records) {
      undo.push(this.currentRecord(r.key));
      this.replay(r);
    }
    return () => {
      for (let i = undo.length - 1; i >= 0; i--) this.replay(undo[i]!);
      for (const [context, space] of this.spaces) space.maxId = maxIds.get(context) ?? 0;
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
    const space = this.space(contextOf(subject));
    let uses = space.idUses.get(value.id);
    if (uses === undefined) space.idUses.set(value.id, (uses = new Set()));
    uses.add(`${value.subject}\u0000${value.version}`);
    space.byId.set(value.id, value);
    const content = contentKey(value.schemaType, value.schema, value.references);
    if (!space.idByContent.has(content)) space.idByContent.set(content, value.id);
    if (value.id > space.maxId) space.maxId = value.id;
  }

  private forgetUse(value: SchemaValue): void {
    const space = this.space(contextOf(value.subject));
    const uses = space.idUses.get(value.id);
    if (uses === undefined) return;
    uses.delete(`${value.subject}\u0000${value.version}`);
    if (uses.size > 0) {
      if (space.byId.get(value.id) === value) space.byId.set(value.id, this.useValue(uses.values().next().value!)!);
      return;
    }
    space.idUses.delete(value.id);
    space.byId.delete(value.id);
    space.parsedById.delete(value.id);
    const content = contentKey(value.schemaType, value.schema, value.references);
    if (space.idByContent.get(content) === value.id) {
      space.idByContent.delete(content);
      // Another id with the same content (IMPORT mode can make one) takes its place: rare, so scanned.
      for (const [id, v] of space.byId) {
        if (contentKey(v.schemaType, v.schema, v.references) === content) {
          space.idByContent.set(content, id);
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
  /** The level a subject's registrations are checked at: its own, its context's, the global one. */
  effectiveConfig(subject: string): CompatibilityLevel {
    const context = contextSubject(contextOf(subject));
    return this.configs.get(subject) ?? (context === null ? undefined : this.configs.get(context)) ?? this.configs.get(null) ?? DEFAULT_COMPATIBILITY;
  }
  mode(subject: string | null): Mode | undefined {
    return this.modes.get(subject);
  }
  effectiveMode(subject: string): Mode {
    const context = contextSubject(contextOf(subject));
    return this.modes.get(subject) ?? (context === null ? undefined : this.modes.get(context)) ?? this.modes.get(null) ?? DEFAULT_MODE;
  }

  /** The contexts that hold subjects (soft-deleted included), the default one always, sorted. */
  contexts(): string[] {
    const out = new Set([DEFAULT_CONTEXT]);
    for (const s of this.subjects.keys()) out.add(contextOf(s));
    return [...out].sort();
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

  /** Any stored version with this id in `context` (the schema text is the same for all). */
  schemaById(id: number, context = DEFAULT_CONTEXT): SchemaValue | undefined {
    return this.spaces.get(context)?.byId.get(id);
  }

  /** True when `subject` has a live (not soft-deleted) version registered with `id`. */
  isLiveUnder(subject: string, id: number): boolean {
    const versions = this.subjects.get(subject);
    if (versions === undefined) return false;
    for (const v of versions.values()) if (v.id === id && !v.deleted) return true;
    return false;
  }

  /** Every (subject, version) registered with `id`. */
  usesOf(id: number, context = DEFAULT_CONTEXT): { subject: string; version: number; deleted: boolean }[] {
    const out: { subject: string; version: number; deleted: boolean }[] = [];
    for (const use of this.spaces.get(context)?.idUses.get(id) ?? []) {
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
        if (!v.deleted && v.references.some((r) => qualifyIn(contextOf(v.subject), r.subject) === subject && r.version === version)) ids.add(v.id);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** The id in `context` already holding exactly this schema (type, text, references), if any. */
  idFor(schemaType: string, schema: string, references: readonly SchemaReference[], context = DEFAULT_CONTEXT): number | undefined {
    return this.spaces.get(context)?.idByContent.get(contentKey(schemaType, schema, references));
  }

  /**
   * The id in `context` of a schema with the same content as `parsed`: the same text, or (a type with
   * several registered forms, Protobuf) the same identity — a .proto text and its descriptor share one
   * id. The identity is looked for among the context's schemas of the type with the same references
   * (their parses are cached), only when no id holds the exact text.
   */
  idOfContent(parsed: ParsedSchema, schemaType: SchemaType, schema: string, references: readonly SchemaReference[], context = DEFAULT_CONTEXT): number | undefined {
    const exact = this.idFor(schemaType, schema, references, context);
    if (exact !== undefined || parsed.identity === undefined) return exact;
    const space = this.spaces.get(context);
    if (space === undefined) return undefined;
    const identity = parsed.identity();
    const refs = referencesKey(references);
    for (const [id, v] of space.byId) {
      if (v.schemaType !== schemaType || referencesKey(v.references) !== refs) continue;
      if (sameIdentity(this, v, identity)) return id;
    }
    return undefined;
  }

  /**
   * References resolved to their texts, recursively (42201 for one that does not exist); a
   * reference's subject without a context is looked up in `context` (the referrer's).
   */
  resolveReferences(references: readonly SchemaReference[], depth = 0, context = DEFAULT_CONTEXT): ResolvedReference[] {
    checkReferenceDepth(depth);
    return references.map((ref) => {
      if (typeof ref?.name !== 'string' || typeof ref.subject !== 'string' || !Number.isInteger(ref.version)) {
        throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: a reference needs name, subject and an integer version');
      }
      const subject = qualifyIn(context, ref.subject);
      const target = this.subjects.get(subject)?.get(ref.version === -1 ? this.latestVersion(subject) ?? 0 : ref.version);
      if (target === undefined) {
        throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: reference ${ref.name} names subject ${ref.subject} version ${ref.version}, which does not exist`);
      }
      return { name: ref.name, schemaType: target.schemaType, schema: target.schema, references: this.resolveReferences(target.references, depth + 1, contextOf(subject)) };
    });
  }

  latestVersion(subject: string): number | undefined {
    return this.versions(subject).at(-1)?.version;
  }

  /** The parsed form of a stored schema, cached by id. */
  parsed(value: SchemaValue): ParsedSchema {
    const context = contextOf(value.subject);
    const space = this.space(context);
    let p = space.parsedById.get(value.id);
    if (p === undefined) {
      p = parseSchema(value.schemaType, value.schema, this.resolveReferences(value.references, 0, context));
      space.parsedById.set(value.id, p);
    }
    return p;
  }

  /**
   * A POSTed schema parsed (42201 when invalid). Reference-free texts are kept (LRU, 1024): parsing
   * (avsc compiles a type, ajv a validator) is most of a lookup's or registration's cost.
   */
  parseInput(schemaType: SchemaType, schema: string, references: readonly SchemaReference[], context = DEFAULT_CONTEXT): ParsedSchema {
    if (references.length > 0) return parseSchema(schemaType, schema, this.resolveReferences(references, 0, context));
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
