// Test helper: cross-checks our schemas against the codecs of two reference clients —
// @platformatic/kafka (every version it implements) and kafkajs 2.2.4 (the versions it sends).
// Requests they encode must decode with ours; responses we encode must parse with theirs.
import { createRequire } from 'node:module';
import * as platformatic from '@platformatic/kafka';
import { expect, it } from 'vitest';
import type { ApiSchema, FieldSpec } from '../../src/schema/types';
import { inVersions, parseVersions } from '../../src/schema/versions';
import { decodeBody, encodeBody, sampleBody, versionsOf } from './round-trip';

const require = createRequire(import.meta.url);

interface PlatformaticApi {
  createRequest(...args: unknown[]): { buffer: Buffer };
  parseResponse(correlationId: number, apiKey: number, apiVersion: number, reader: unknown): unknown;
}
interface PlatformaticReader {
  readonly remaining: number;
}

/** The @platformatic/kafka codec module of an API version (exported as e.g. `joinGroupV9`), if it has one. */
export function platformaticApi(name: string, version: number): PlatformaticApi | undefined {
  const api = (platformatic as unknown as Record<string, Partial<PlatformaticApi> | undefined>)[`${name}V${version}`];
  // Some versions exist only as request writers (e.g. OffsetCommit v1): treat them as absent.
  return typeof api?.createRequest === 'function' && typeof api.parseResponse === 'function' ? (api as PlatformaticApi) : undefined;
}

/** Our uuid form (22 chars of url-safe base64) as the dashed hex clients use. */
export function dashedUuid(id: string): string {
  const h = Buffer.from(id, 'base64url').toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Error codes set to 0: @platformatic/kafka throws on any non-zero code while parsing. */
function withoutErrors(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutErrors);
  if (x !== null && typeof x === 'object' && !Buffer.isBuffer(x)) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, /errorCode$/i.test(k) ? 0 : withoutErrors(v)]));
  }
  return x;
}

/** Every value `theirs` reports for a field our schema has in `version` equals ours (uuids compared dashed). */
function expectSameValues(fields: readonly FieldSpec[], version: number, ours: Record<string, unknown>, theirs: Record<string, unknown>, path: string): void {
  for (const f of fields) {
    // Fields a version lacks are not on the wire; clients may synthesise them (FindCoordinator v0-3).
    if (!(f.name in theirs) || !inVersions(parseVersions(f.versions), version)) continue;
    const a = ours[f.name];
    const b = theirs[f.name];
    const p = `${path}.${f.name}`;
    if (a === null || b === null || a === undefined) expect(b ?? null, p).toEqual(a ?? null);
    else if (f.type === 'struct') expectSameValues(f.fields ?? [], version, a as Record<string, unknown>, b as Record<string, unknown>, p);
    else if (f.type === '[]struct') {
      const xs = a as Record<string, unknown>[];
      const ys = b as Record<string, unknown>[];
      expect(ys.length, p).toBe(xs.length);
      xs.forEach((x, i) => expectSameValues(f.fields ?? [], version, x, ys[i]!, `${p}[${i}]`));
    } else if (f.type === 'uuid') expect(b, p).toBe(dashedUuid(a as string));
    else if (f.type === '[]uuid') expect(b, p).toEqual((a as string[]).map(dashedUuid));
    else if (Buffer.isBuffer(a)) expect(Buffer.from(b as Uint8Array).equals(a), p).toBe(true);
    else expect(b, p).toEqual(a);
  }
}

/** One test per version @platformatic/kafka implements: it parses our encoded response to the same values. */
export function platformaticParsesEveryResponse(schema: ApiSchema, name: string): void {
  const versions = versionsOf(schema, 'response').filter((v) => platformaticApi(name, v) !== undefined);
  it('@platformatic/kafka implements some version', () => expect(versions.length).toBeGreaterThan(0));
  it.each(versions)('@platformatic/kafka parses our v%i response', (version) => {
    const body = withoutErrors(sampleBody(schema.response.fields, version, 'full')) as Record<string, unknown>;
    const bytes = encodeBody(schema, 'response', version, body);
    const reader = platformatic.Reader.from(bytes) as unknown as PlatformaticReader;
    const parsed = platformaticApi(name, version)!.parseResponse(1, schema.apiKey, version, reader) as Record<string, unknown>;
    expect(reader.remaining, 'bytes left unread by @platformatic/kafka').toBe(0);
    expectSameValues(schema.response.fields, version, decodeBody(schema, 'response', version, bytes), parsed, `${schema.name}v${version}`);
  });
}

/** The request @platformatic/kafka writes for `version` with `args`, decoded by our schema. */
export function decodePlatformaticRequest(schema: ApiSchema, name: string, version: number, args: readonly unknown[]): Record<string, unknown> {
  const api = platformaticApi(name, version);
  if (api === undefined) throw new Error(`@platformatic/kafka has no ${name} v${version}`);
  return decodeBody(schema, 'request', version, api.createRequest(...args).buffer) as Record<string, unknown>;
}

interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }>;
}

/** The request body kafkajs 2.2.4 encodes (`requests/<dir>/v<version>/request.js`). */
export async function kafkajsRequestBytes(dir: string, version: number, args: unknown): Promise<Buffer> {
  const build = require(`kafkajs/src/protocol/requests/${dir}/v${version}/request`) as (a: unknown) => KafkajsRequest;
  return (await build(args).encode()).buffer;
}

/** kafkajs 2.2.4's decoding of a response body we encoded. */
export async function kafkajsDecodeResponse(dir: string, version: number, bytes: Buffer): Promise<Record<string, unknown>> {
  const mod = require(`kafkajs/src/protocol/requests/${dir}/v${version}/response`) as { decode(b: Buffer): Promise<Record<string, unknown>> };
  return mod.decode(bytes);
}
