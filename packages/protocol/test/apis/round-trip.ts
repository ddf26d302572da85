// Test helper for the API schema tests: deterministic representative bodies for any schema at any
// version (every field present in that version, in three variants: full, nulls, empty), and a
// round trip through the compiled codec that checks the decoded body and byte-stable re-encoding.
import { describe, expect, it } from 'vitest';
import { Reader } from '../../src/primitives/reader';
import { Writer } from '../../src/primitives/writer';
import { decodeWith, encodeWith, messageCodec, type MessageKind } from '../../src/schema/codec';
import type { RequestData, ResponseData } from '../../src/schema/infer';
import type { ApiSchema, FieldSpec, PrimitiveType } from '../../src/schema/types';
import { inVersions, parseVersions } from '../../src/schema/versions';

export type Variant = 'full' | 'nulls' | 'empty';
type Body = Record<string, unknown>;
/** The decoded body type of a schema's request or response. */
export type Decoded<S extends ApiSchema, K extends MessageKind> = K extends 'request' ? RequestData<S> : ResponseData<S>;

const inRange = (spec: string | undefined, v: number) => inVersions(parseVersions(spec), v);
const present = (f: FieldSpec, v: number) => inRange(f.versions, v);
const nullable = (f: FieldSpec, v: number) => inRange(f.nullableVersions, v);

/** Every version a message spec declares valid. */
export function versionsOf(schema: ApiSchema, kind: MessageKind): number[] {
  const r = parseVersions(schema[kind].validVersions);
  const out: number[] = [];
  for (let v = r.min; v <= r.max; v++) out.push(v);
  return out;
}

function primitive(type: PrimitiveType, name: string, n: number, variant: Variant): unknown {
  const empty = variant === 'empty';
  switch (type) {
    case 'bool':
      return !empty;
    case 'int8':
      return empty ? 0 : (n % 2 === 0 ? -1 : 1) * ((n * 13) % 128);
    case 'int16':
      return empty ? 0 : (n % 2 === 0 ? -1 : 1) * ((n * 977) % 32768);
    case 'uint16':
      return empty ? 0 : (n * 977) % 65536;
    case 'int32':
      return empty ? 0 : (n % 2 === 0 ? -1 : 1) * (n * 100_003);
    case 'uint32':
      return empty ? 0 : n * 100_003 + 0x80000000;
    case 'int64':
      return empty ? 0n : (n % 2 === 0 ? -1n : 1n) * (BigInt(n) * 1_000_000_007n + 2n ** 40n);
    case 'float64':
      return empty ? 0 : n + 0.5;
    case 'string':
      // Non-ASCII on purpose: string lengths are UTF-8 byte counts, not JS string lengths.
      return empty ? '' : `${name}-é${n}`;
    case 'uuid': {
      const b = Buffer.alloc(16);
      if (!empty) for (let i = 0; i < 16; i++) b[i] = (n * 31 + i * 7) & 0xff;
      return b.toString('base64url');
    }
    case 'bytes':
    case 'records':
      return empty ? Buffer.alloc(0) : Buffer.from([n & 0xff, (n + 1) & 0xff, 0, 0xff]);
  }
}

/** A representative body for `fields` at `version`; only fields present in that version are set. */
export function sampleBody(fields: readonly FieldSpec[], version: number, variant: Variant, seed = { n: 1 }): Body {
  const o: Body = {};
  for (const f of fields) {
    if (!present(f, version)) continue;
    const n = seed.n++;
    if (variant !== 'full' && nullable(f, version)) {
      o[f.name] = null;
    } else if (f.type === 'struct') {
      o[f.name] = sampleBody(f.fields ?? [], version, variant, seed);
    } else if (f.type === '[]struct') {
      const len = variant === 'empty' ? 0 : variant === 'full' ? 2 : 1;
      o[f.name] = Array.from({ length: len }, () => sampleBody(f.fields ?? [], version, variant, seed));
    } else if (f.type.startsWith('[]')) {
      const len = variant === 'empty' ? 0 : 3;
      const elem = f.type.slice(2) as PrimitiveType;
      o[f.name] = Array.from({ length: len }, (_, i) => primitive(elem, `${f.name}${i}`, n + i, variant));
    } else {
      o[f.name] = primitive(f.type as PrimitiveType, f.name, n, variant);
    }
  }
  return o;
}

export function encodeBody(schema: ApiSchema, kind: MessageKind, version: number, body: unknown): Buffer {
  const w = new Writer(64);
  encodeWith(messageCodec(schema, kind, version), w, body);
  return w.finishBuffer();
}

/** Decodes a whole body and asserts no byte is left over. */
export function decodeBody<S extends ApiSchema, K extends MessageKind>(schema: S, kind: K, version: number, bytes: Buffer): Decoded<S, K> {
  const r = new Reader(bytes);
  const body = decodeWith(messageCodec(schema, kind, version), r) as Decoded<S, K>;
  expect(r.offset, 'bytes left after decoding').toBe(bytes.length);
  return body;
}

/** Every schema field is a key of the decoded object (absent ones hold defaults), recursively. */
function expectAllKeys(fields: readonly FieldSpec[], version: number, decoded: Body, path: string): void {
  expect(Object.keys(decoded).sort(), path).toEqual(fields.map((f) => f.name).sort());
  for (const f of fields) {
    const v = decoded[f.name];
    if (v === null || !present(f, version)) continue;
    if (f.type === 'struct') expectAllKeys(f.fields ?? [], version, v as Body, `${path}.${f.name}`);
    if (f.type === '[]struct') for (const e of v as Body[]) expectAllKeys(f.fields ?? [], version, e, `${path}.${f.name}[]`);
  }
}

/** Encode → decode → compare → re-encode; returns the decoded body for further assertions. */
export function roundTrip<S extends ApiSchema, K extends MessageKind>(schema: S, kind: K, version: number, body: Body): Decoded<S, K> {
  const bytes = encodeBody(schema, kind, version, body);
  const decoded = decodeBody(schema, kind, version, bytes);
  expect(decoded).toMatchObject(body);
  expectAllKeys(schema[kind].fields, version, decoded as Body, `${schema.name}${kind}v${version}`);
  expect(encodeBody(schema, kind, version, decoded).equals(bytes), 're-encoding the decoded body changes bytes').toBe(true);
  return decoded;
}

/** One test per (kind, version, variant): the whole declared version range of both messages. */
export function roundTripEveryVersion(schema: ApiSchema): void {
  for (const kind of ['request', 'response'] as const) {
    describe(`${schema.name} ${kind}: every version round-trips`, () => {
      const cases = versionsOf(schema, kind).flatMap((v) => (['full', 'nulls', 'empty'] as const).map((variant) => [v, variant] as const));
      it.each(cases)('v%i %s', (version, variant) => {
        roundTrip(schema, kind, version, sampleBody(schema[kind].fields, version, variant));
      });
    });
  }
}

/** Hex helper for golden bytes written by hand: spaces and newlines are ignored. */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}
