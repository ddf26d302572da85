// Compatibility levels and modes, and the check of a new schema against a subject's history at a
// level: backward (new reads old), forward (old reads new), full (both); transitive against every
// live version, otherwise against the latest only.
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import type { Incompatibility, ParsedSchema, SchemaProvider } from './schema-type.js';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];

export function parseCompatibilityLevel(value: unknown): CompatibilityLevel {
  const level = typeof value === 'string' ? value.toUpperCase() : value;
  if (typeof level !== 'string' || !(COMPATIBILITY_LEVELS as readonly string[]).includes(level)) {
    throw new RegistryError(RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL, `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`);
  }
  return level as CompatibilityLevel;
}

export function parseMode(value: unknown): Mode {
  const mode = typeof value === 'string' ? value.toUpperCase() : value;
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    throw new RegistryError(RegistryErrorCode.INVALID_MODE, `Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE and IMPORT`);
  }
  return mode as Mode;
}

/** A previous version to check against, newest last. */
export interface PreviousVersion<P extends ParsedSchema = ParsedSchema> {
  version: number;
  parsed: P;
}

/**
 * Confluent-style message lines for `candidate` against `previous` (oldest first) at `level`;
 * empty when compatible. Non-transitive levels compare with the newest previous version only.
 */
export function compatibilityMessages<P extends ParsedSchema>(
  provider: SchemaProvider<P>,
  candidate: P,
  previous: readonly PreviousVersion<P>[],
  level: CompatibilityLevel,
): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? [...previous].reverse() : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  for (const old of against) {
    const found: Incompatibility[] = [];
    if (backward) found.push(...provider.incompatibilities(candidate, old.parsed, 'reader'));
    if (forward) found.push(...provider.incompatibilities(old.parsed, candidate, 'writer'));
    if (found.length > 0) {
      // Confluent stops at the first incompatible version and names it.
      return [
        ...dedupe(found).map((i) => formatIncompatibility(provider.schemaType, i)),
        `{oldSchemaVersion: ${old.version}}`,
        `{oldSchema: '${old.parsed.canonical}'}`,
        `{compatibility: '${level}'}`,
      ];
    }
  }
  return [];
}

function dedupe(list: Incompatibility[]): Incompatibility[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    const key = `${i.type}|${i.location}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Avro's `Incompatibility{...}` or Confluent's `Difference{...}` line. */
export function formatIncompatibility(schemaType: ParsedSchema['schemaType'], i: Incompatibility): string {
  if (schemaType === 'AVRO') return `Incompatibility{type:${i.type}, location:${i.location}, message:${i.message}}`;
  const pathName = schemaType === 'JSON' ? 'jsonPath' : 'fullPath';
  return `Found incompatible change: Difference{${pathName}='${i.location}', type=${i.type}}${i.message ? ` ${i.message}` : ''}`;
}
