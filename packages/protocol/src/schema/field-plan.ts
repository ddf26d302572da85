// Per-version facts about one field, computed once when a codec is compiled: whether the field is
// absent, regular or tagged in the version, its nullability, and its default value.
import type { FieldSpec, FieldType, PrimitiveType } from './types';
import { inVersions, parseVersions } from './versions';

export type FieldMode = 'absent' | 'regular' | 'tagged';

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

export function fieldMode(spec: FieldSpec, version: number): FieldMode {
  if (!inVersions(parseVersions(spec.versions), version)) return 'absent';
  if (spec.taggedVersions !== undefined && inVersions(parseVersions(spec.taggedVersions), version)) return 'tagged';
  return 'regular';
}

export function isNullableIn(spec: FieldSpec, version: number): boolean {
  return spec.nullableVersions !== undefined && inVersions(parseVersions(spec.nullableVersions), version);
}

export function elementType(type: FieldType): PrimitiveType | 'struct' | null {
  return type.startsWith('[]') ? (type.slice(2) as PrimitiveType | 'struct') : null;
}

function coercePrimitive(type: PrimitiveType, d: boolean | number | string | bigint): unknown {
  switch (type) {
    case 'bool':
      return d === true || d === 'true';
    case 'int64':
      return typeof d === 'bigint' ? d : BigInt(d as number | string);
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
      return typeof d === 'number' ? d : Number(d);
    case 'string':
    case 'uuid':
      return String(d);
    default:
      return d;
  }
}

export function zeroValue(type: PrimitiveType): unknown {
  switch (type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return EMPTY_BUFFER;
    case 'records':
      return null;
    default:
      return 0;
  }
}

/**
 * The value a field takes in `version` when it is absent from the wire or omitted by the caller.
 * Struct fields are handled by the caller (their default is an object of their fields' defaults).
 * Arrays default to a fresh [] each time (callers may mutate decoded objects).
 */
export function primitiveOrArrayDefault(spec: FieldSpec, version: number): { value: unknown; freshArray: boolean } {
  const nullable = isNullableIn(spec, version);
  const present = fieldMode(spec, version) !== 'absent';
  const isArray = spec.type.startsWith('[]');
  if (spec.default !== undefined) {
    if (spec.default === null) {
      if (nullable || (!present && spec.nullableVersions !== undefined)) return { value: null, freshArray: false };
    } else if (!isArray && spec.type !== 'struct') {
      return { value: coercePrimitive(spec.type as PrimitiveType, spec.default), freshArray: false };
    }
  }
  if (nullable || (!present && spec.nullableVersions !== undefined)) return { value: null, freshArray: false };
  if (isArray) return { value: undefined, freshArray: true };
  return { value: zeroValue(spec.type as PrimitiveType), freshArray: false };
}
