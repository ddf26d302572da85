// Request header v0-2 and response header v0-1. The header version follows the API's flexible
// versions: flexible requests use header v2 (adds a tag buffer; ClientId stays an int16-length
// nullable string), flexible responses header v1 — except ApiVersions, whose response is always v0.
import { apiSchema } from './api-registry';
import { ApiKey } from './api-keys';
import { Reader } from './primitives/reader';
import type { Writer } from './primitives/writer';
import { isFlexibleVersion } from './schema/codec';

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** 1 or 2 (v0 only for ControlledShutdown v0, which mq never parses). */
  readonly headerVersion: number;
  /** Offset of the request body inside the frame. */
  readonly bodyOffset: number;
}

/** Header version of a request: 2 if the API is known and `apiVersion` is flexible, else 1. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  const api = apiSchema(apiKey);
  return api !== undefined && isFlexibleVersion(api.schema, 'request', apiVersion) ? 2 : 1;
}

/** Header version of a response: 1 for flexible versions, 0 otherwise and always 0 for ApiVersions. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const api = apiSchema(apiKey);
  return api !== undefined && isFlexibleVersion(api.schema, 'response', apiVersion) ? 1 : 0;
}

/** Skip a tagged-field section (the header has no tagged fields mq reads). */
export function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}

/**
 * Decode the request header of a frame (size prefix excluded). Works for unknown API keys and
 * versions (they are parsed as header v1) so the server can answer or close cleanly.
 * Throws ProtocolDecodeError on truncated input.
 */
export function decodeRequestHeader(frame: Buffer): RequestHeader {
  const r = new Reader(frame);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  if (headerVersion === 2) skipTaggedFields(r);
  return { apiKey, apiVersion, correlationId, clientId, headerVersion, bodyOffset: r.offset };
}

export function writeRequestHeader(w: Writer, apiKey: number, apiVersion: number, correlationId: number, clientId: string | null): void {
  w.int16(apiKey);
  w.int16(apiVersion);
  w.int32(correlationId);
  w.nullableString(clientId);
  if (requestHeaderVersion(apiKey, apiVersion) === 2) w.uvarint(0);
}
