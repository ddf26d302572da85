// Seeded random request bodies for any API and version, built from @mq/protocol's schema so every
// one is well formed on the wire and reaches its handler. Values are biased towards what breaks
// handlers: names that are empty / "." / too long / reused, -1 and 0 and extremes, null where the
// version allows it, and arrays naming the same entry twice. Timing fields stay small so the fuzz
// measures robustness, not long polls.
import type { FieldSpec, PrimitiveType } from '@mq/protocol';

/** mulberry32: tiny, fast, good enough to spread choices; the seed makes a failure reproducible. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface RequestPools {
  /** Strings to reuse (existing topic and group names, invalid names, ...). */
  readonly strings: readonly string[];
  /** Topic ids to reuse (existing topics, the zero id). */
  readonly uuids: readonly string[];
  /** Valid record batches for `records` fields. */
  readonly batches: readonly Buffer[];
}

const TIMING = /(timeout|wait|interval|delay|retention)(ms)?$/i;
const PARTITION_COUNT = /^(numPartitions|count)$/;
const INT_EDGES = [-1, 0, 1, 2, 3, 7, 100];
const INT32_EXTREMES = [2147483647, -2147483648];
const INT64_EDGES = [-1n, -2n, -3n, 0n, 1n, 2n, 1000n, 9223372036854775807n, -9223372036854775808n];

function versionsOf(spec: string | undefined): { min: number; max: number } {
  if (spec === undefined || spec === 'none' || spec === '') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(spec);
  if (plus) return { min: Number(plus[1]), max: Number.POSITIVE_INFINITY };
  const range = /^(\d+)-(\d+)$/.exec(spec);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return { min: Number(spec), max: Number(spec) };
}

function inRange(spec: string | undefined, version: number): boolean {
  const r = versionsOf(spec);
  return version >= r.min && version <= r.max;
}

function randomInt(rng: Rng, bits: number, signed: boolean): number {
  if (rng.chance(0.75)) return rng.pick(INT_EDGES.filter((v) => signed || v >= 0));
  if (bits === 32 && signed && rng.chance(0.3)) return rng.pick(INT32_EXTREMES);
  const span = 2 ** bits;
  const v = rng.int(span);
  return signed ? v - span / 2 : v;
}

function primitive(rng: Rng, f: FieldSpec, type: PrimitiveType, pools: RequestPools): unknown {
  switch (type) {
    case 'bool':
      return rng.chance(0.5);
    case 'int8':
      return randomInt(rng, 8, true);
    case 'int16':
      // acks=0 gets no response and a failed one closes the connection (as Kafka): the server
      // tests cover that; here it would only hide the requests pipelined behind it.
      return f.name === 'acks' ? rng.pick([-1, 1, 2]) : randomInt(rng, 16, true);
    case 'uint16':
      return randomInt(rng, 16, false);
    case 'int32':
      if (TIMING.test(f.name)) return rng.pick([0, 1, 10, 50]);
      // Partition counts stay small (or over the limit): creating hundreds of partitions is slow
      // work, not a protocol edge, and would park the pipeline behind it.
      if (PARTITION_COUNT.test(f.name)) return rng.pick([-1, 0, 1, 2, 3, 10_001, 2147483647]);
      return randomInt(rng, 32, true);
    case 'uint32':
      return randomInt(rng, 32, false);
    case 'int64':
      return TIMING.test(f.name) ? rng.pick([0n, 10n]) : rng.pick(INT64_EDGES);
    case 'float64':
      return rng.pick([0, -1, 0.5, 1e308]);
    case 'string':
      return rng.chance(0.85) ? rng.pick(pools.strings) : Math.random().toString(36).slice(2, 2 + rng.int(10));
    case 'uuid':
      return rng.pick(pools.uuids);
    case 'bytes':
      return Buffer.from(Array.from({ length: rng.int(12) }, () => rng.int(256)));
    case 'records':
      return rng.chance(0.8) ? rng.pick(pools.batches) : Buffer.from(Array.from({ length: rng.int(70) }, () => rng.int(256)));
  }
}

function value(rng: Rng, f: FieldSpec, version: number, pools: RequestPools, depth: number): unknown {
  if (f.nullableVersions !== undefined && inRange(f.nullableVersions, version) && rng.chance(0.15)) return null;
  if (f.type === 'struct') return body(rng, f.fields ?? [], version, pools, depth + 1);
  if (f.type.startsWith('[]')) {
    const n = depth > 2 ? rng.int(2) : rng.int(4);
    const one = () =>
      f.type === '[]struct' ? body(rng, f.fields ?? [], version, pools, depth + 1) : primitive(rng, f, f.type.slice(2) as PrimitiveType, pools);
    const out = Array.from({ length: n }, one);
    // The same entry twice: what duplicate checks (ListOffsets, CreateTopics, ...) must catch.
    if (out.length > 0 && rng.chance(0.2)) out.push(out[0]);
    return out;
  }
  return primitive(rng, f, f.type as PrimitiveType, pools);
}

/** A random body with every field present in `version` (absent fields are left to the encoder). */
export function body(rng: Rng, fields: readonly FieldSpec[], version: number, pools: RequestPools, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    out[f.name] = value(rng, f, version, pools, depth);
  }
  return out;
}
