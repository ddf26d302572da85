// Version ranges as Kafka writes them ("0+", "3-7", "5", "none"), parsed once at codec compile time.

export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for an open range ("3+"). */
  readonly max: number;
}

const NONE: VersionRange = { min: 1, max: 0 };

export function parseVersions(spec: string | undefined): VersionRange {
  if (spec === undefined || spec === 'none' || spec === '') return NONE;
  let m = /^(\d+)\+$/.exec(spec);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(spec);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(spec);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`invalid version range ${JSON.stringify(spec)}`);
}

export function inVersions(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}
