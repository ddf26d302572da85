// The registry's state as the `_schemas` records leave it: subjects → versions, ids → schemas,
// compatibility levels and modes (global and per subject). `replay` is the only mutator, so live
// writes and recovery share one path; everything else reads.
import type { CompatibilityLevel, Mode } from './compatibility-level.js';
import { parseSchema } from './providers.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import { decodeKey, decodeSchemaValue, type RegistryRecord, type SchemaValue } from './registry-records.js';
import type { ParsedSchema, ResolvedReference, SchemaReference } from './schema-type.js';

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
export const DEFAULT_MODE: Mode = 'READWRITE';
const MAX_REFERENCE_DEPTH = 32;

export class RegistryState {
  /** subject → version → stored schema (soft-deleted ones included). */
  readonly subjects = new Map<string, Map<number, SchemaValue>>();
  /** id → the subject-versions registered with it (the id exists while one does). */
  private readonly idUses = new Map<number, Set<string>>();
  private readonly configs = new Map<string | null, CompatibilityLevel>();
  private readonly modes = new Map<string | null, Mode>();
  private readonly parsedById = new Map<number, ParsedSchema>();
  /** Highest id ever replayed: ids are never reused while its record is on the topic. */
  maxId = 0;

  /** Apply one `_schemas` record (value null: tombstone). Unknown keys are skipped. */
  replay(record: RegistryRecord): void {
    const key = decodeKey(record.key);
    if (key === null) return;
    switch (key.keytype) {
      case 'SCHEMA': {
        const versions = this.subjects.get(key.subject);
        const previous = versions?.get(key.version);
        if (previous !== undefined) this.forgetUse(previous);
        if (record.value === null) {
          versions?.delete(key.version);
          if (versions !== undefined && versions.size === 0) this.subjects.delete(key.subject);
          return;
        }
        const value = decodeSchemaValue(record.value);
        let map = versions;
        if (map === undefined) this.subjects.set(key.subject, (map = new Map()));
        map.set(key.version, value);
        let uses = this.idUses.get(value.id);
        if (uses === undefined) this.idUses.set(value.id, (uses = new Set()));
        uses.add(`${value.subject}\u0000${value.version}`);
        if (value.id > this.maxId) this.maxId = value.id;
        return;
      }
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
          if (key.keytype === 'DELETE_SUBJECT') versions.set(v, { ...value, deleted: true });
          else this.replay({ key: JSON.stringify({ keytype: 'SCHEMA', subject: key.subject, version: v, magic: 1 }), value: null });
        }
        return;
      }
      case 'NOOP':
        return;
    }
  }

  private forgetUse(value: SchemaValue): void {
    const uses = this.idUses.get(value.id);
    uses?.delete(`${value.subject}\u0000${value.version}`);
    if (uses !== undefined && uses.size === 0) {
      this.idUses.delete(value.id);
      this.parsedById.delete(value.id);
    }
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
  versions(subject: string, includeDeleted = false): SchemaValue[] {
    const map = this.subjects.get(subject);
    if (map === undefined) return [];
    return [...map.values()].filter((v) => includeDeleted || !v.deleted).sort((a, b) => a.version - b.version);
  }

  subjectNames(includeDeleted = false): string[] {
    return [...this.subjects.keys()].filter((s) => this.versions(s, includeDeleted).length > 0).sort();
  }

  /** Any stored version with this id (the schema text is the same for all). */
  schemaById(id: number): SchemaValue | undefined {
    const uses = this.idUses.get(id);
    if (uses === undefined) return undefined;
    const first = [...uses][0]!;
    const [subject, version] = first.split('\u0000') as [string, string];
    return this.subjects.get(subject)?.get(Number(version));
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
      const [subject, version] = use.split('\u0000') as [string, string];
      const v = this.subjects.get(subject)?.get(Number(version));
      if (v !== undefined) out.push({ subject, version: v.version, deleted: v.deleted });
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

  /** Find an id already holding exactly this schema (type, text, references). */
  idFor(schemaType: string, schema: string, references: readonly SchemaReference[]): number | undefined {
    const refs = JSON.stringify(references.map((r) => [r.name, r.subject, r.version]));
    for (const id of this.idUses.keys()) {
      const v = this.schemaById(id)!;
      if (v.schemaType === schemaType && v.schema === schema && JSON.stringify(v.references.map((r) => [r.name, r.subject, r.version])) === refs) return id;
    }
    return undefined;
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
}
