// Test support: a fast-check arbitrary producing a valid JS value for any schema at any version
// (present fields only), and a checker that a decoded value carries those fields unchanged.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FieldSpec, PrimitiveType } from '../../src/schema/types';
import { inVersions, parseVersions } from '../../src/schema/versions';

const present = (f: FieldSpec, v: number) => inVersions(parseVersions(f.versions), v);
const nullable = (f: FieldSpec, v: number) => f.nullableVersions !== undefined && inVersions(parseVersions(f.nullableVersions), v);

const bytes = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
  // Past the writer's zero-copy threshold, so referenced chunks are exercised too.
  { weight: 1, arbitrary: fc.integer({ min: 1024, max: 3000 }).map((n) => Buffer.alloc(n, n & 0xff)) },
);

function primitive(type: PrimitiveType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer();
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double({ noNaN: true });
    case 'string':
      return fc.string({ maxLength: 20, unit: 'grapheme' });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
    case 'bytes':
    case 'records':
      return bytes;
  }
}

export interface ArbitraryOptions {
  /** Generate `records` fields as null (for parsers that decode record batches). */
  readonly nullRecords?: boolean;
  /** Generate every `...errorCode` field as 0 (for parsers that reject unknown codes). */
  readonly zeroErrorCodes?: boolean;
}

export function structArbitrary(fields: readonly FieldSpec[], version: number, opts: ArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    if (!present(f, version)) continue;
    let arb: fc.Arbitrary<unknown>;
    if (f.type === 'records' && opts.nullRecords) {
      model[f.name] = fc.constant(null);
      continue;
    }
    if (opts.zeroErrorCodes && /errorCode$/i.test(f.name) && f.type === 'int16') {
      model[f.name] = fc.constant(0);
      continue;
    }
    if (f.type === 'struct') arb = structArbitrary(f.fields ?? [], version, opts);
    else if (f.type === '[]struct') arb = fc.array(structArbitrary(f.fields ?? [], version, opts), { maxLength: 3 });
    else if (f.type.startsWith('[]')) arb = fc.array(primitive(f.type.slice(2) as PrimitiveType), { maxLength: 4 });
    else arb = primitive(f.type as PrimitiveType);
    model[f.name] = nullable(f, version) || f.type === 'records' ? fc.option(arb, { nil: null }) : arb;
  }
  return fc.record(model);
}

/** Asserts every field present in `version` decoded to what was encoded, recursively. */
export function expectFieldsEqual(fields: readonly FieldSpec[], version: number, input: Record<string, unknown>, decoded: Record<string, unknown>, path = ''): void {
  for (const f of fields) {
    const p = `${path}.${f.name}`;
    expect(Object.hasOwn(decoded, f.name), `${p} missing from decoded object`).toBe(true);
    if (!present(f, version)) continue;
    const a = input[f.name];
    const b = decoded[f.name];
    if (a === null || b === null) {
      expect(b, p).toBe(a);
    } else if (f.type === 'struct') {
      expectFieldsEqual(f.fields ?? [], version, a as Record<string, unknown>, b as Record<string, unknown>, p);
    } else if (f.type === '[]struct') {
      const xs = a as Record<string, unknown>[];
      const ys = b as Record<string, unknown>[];
      expect(ys.length, p).toBe(xs.length);
      xs.forEach((x, i) => expectFieldsEqual(f.fields ?? [], version, x, ys[i]!, `${p}[${i}]`));
    } else if (Buffer.isBuffer(a)) {
      expect(Buffer.isBuffer(b), p).toBe(true);
      expect((b as Buffer).equals(a), p).toBe(true);
    } else {
      expect(b, p).toEqual(a);
    }
  }
}
