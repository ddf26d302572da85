// Compiled-codec cache and the typed entry points over it: one compiled codec per
// (schema, request|response, version), built on first use and reused for every message.
import { ProtocolDecodeError } from '../protocol-decode-error';
import { ProtocolEncodeError } from '../protocol-encode-error';
import { UnsupportedVersionError } from '@mq/errors';
import type { Reader } from '../primitives/reader';
import type { Writer } from '../primitives/writer';
import { compileMessage, type ValueCodec } from './compile';
import type { ApiSchema, MessageSpec } from './types';
import { inVersions, parseVersions, type VersionRange } from './versions';

export type MessageKind = 'request' | 'response';

interface CompiledSpec {
  readonly valid: VersionRange;
  readonly flexible: VersionRange;
  readonly byVersion: (ValueCodec | undefined)[];
}

const cache = new WeakMap<MessageSpec, CompiledSpec>();

function compiled(spec: MessageSpec): CompiledSpec {
  let c = cache.get(spec);
  if (c === undefined) {
    c = { valid: parseVersions(spec.validVersions), flexible: parseVersions(spec.flexibleVersions), byVersion: [] };
    cache.set(spec, c);
  }
  return c;
}

/** The supported version range of a schema (from its request's validVersions). */
export function versionRange(schema: ApiSchema): { min: number; max: number } {
  const v = compiled(schema.request).valid;
  return { min: v.min, max: v.max };
}

export function isSupportedVersion(schema: ApiSchema, version: number): boolean {
  return Number.isInteger(version) && inVersions(compiled(schema.request).valid, version);
}

export function isFlexibleVersion(schema: ApiSchema, kind: MessageKind, version: number): boolean {
  return inVersions(compiled(schema[kind]).flexible, version);
}

/** The compiled codec for a schema's request or response at `version`; throws UnsupportedVersionError. */
export function messageCodec(schema: ApiSchema, kind: MessageKind, version: number): ValueCodec {
  const spec = schema[kind];
  const c = compiled(spec);
  let codec = c.byVersion[version];
  if (codec === undefined) {
    if (!Number.isInteger(version) || !inVersions(c.valid, version)) throw new UnsupportedVersionError(schema.apiKey, version);
    codec = compileMessage(spec.fields, version, inVersions(c.flexible, version), `${schema.name}${kind === 'request' ? 'Request' : 'Response'}v${version}`);
    c.byVersion[version] = codec;
  }
  return codec;
}

/** Decode a body; any failure surfaces as ProtocolDecodeError. */
export function decodeWith(codec: ValueCodec, r: Reader): unknown {
  try {
    return codec.decode(r);
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    throw new ProtocolDecodeError(`malformed message: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** Encode a body; any failure surfaces as ProtocolEncodeError. */
export function encodeWith(codec: ValueCodec, w: Writer, body: unknown): void {
  try {
    codec.encode(w, body);
  } catch (err) {
    if (err instanceof ProtocolEncodeError) throw err;
    throw new ProtocolEncodeError(`cannot encode: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/**
 * A data message (Kafka's `"type": "data"`: a coordinator record's key or value), declared like a
 * request: validVersions, flexibleVersions, fields. Stored records are its version (int16) followed
 * by the body at that version; `name` labels codec errors.
 */
export interface DataMessageSpec extends MessageSpec {
  readonly name: string;
}

/** The compiled codec of a data message at `version` (cached like the API codecs); throws RangeError outside validVersions. */
export function dataCodec(spec: DataMessageSpec, version: number): ValueCodec {
  const c = compiled(spec);
  let codec = c.byVersion[version];
  if (codec === undefined) {
    if (!Number.isInteger(version) || !inVersions(c.valid, version)) throw new RangeError(`${spec.name} has no version ${version} (valid ${spec.validVersions})`);
    codec = compileMessage(spec.fields, version, inVersions(c.flexible, version), `${spec.name}v${version}`);
    c.byVersion[version] = codec;
  }
  return codec;
}

/** Whether `version` is one of the data message's validVersions. */
export function isDataVersion(spec: DataMessageSpec, version: number): boolean {
  return Number.isInteger(version) && inVersions(compiled(spec).valid, version);
}
