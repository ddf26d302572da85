// Whole-message entry points: decode a request body / encode a response (broker side) and encode
// a request / decode a response (client side). Frames handed in exclude the 4-byte size prefix;
// encoded output includes it.
import { apiSchema, type RequestBodyFor, type RequestInputFor, type ResponseBodyFor, type ResponseInputFor } from './api-registry';
import { UnsupportedVersionError } from '@mq/errors';
import { Reader } from './primitives/reader';
import { Writer } from './primitives/writer';
import { skipTaggedFields, responseHeaderVersion, writeRequestHeader } from './request-header';
import { decodeWith, encodeWith, messageCodec } from './schema/codec';
import type { ApiSchema } from './schema/types';

function schemaOf(apiKey: number, version: number): ApiSchema {
  const api = apiSchema(apiKey);
  if (api === undefined) throw new UnsupportedVersionError(apiKey, version);
  return api.schema;
}

/** Decode a request body starting at `bodyOffset` (from decodeRequestHeader). Throws ProtocolDecodeError. */
export function decodeRequestBody<K extends number>(apiKey: K, version: number, frame: Buffer, bodyOffset: number): RequestBodyFor<K> {
  const codec = messageCodec(schemaOf(apiKey, version), 'request', version);
  return decodeWith(codec, new Reader(frame, bodyOffset)) as RequestBodyFor<K>;
}

/** Encode a response (size prefix + header + body) as chunks; record Buffers are referenced, not copied. */
export function encodeResponse<K extends number>(apiKey: K, version: number, correlationId: number, body: ResponseInputFor<K>): Buffer[] {
  const codec = messageCodec(schemaOf(apiKey, version), 'response', version);
  const w = new Writer(1024);
  const size = w.reserveInt32();
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, version) === 1) w.uvarint(0);
  encodeWith(codec, w, body);
  const total = w.length;
  size.buf.writeInt32BE(total - 4, size.offset);
  return w.finish();
}

export interface RequestHeaderInput {
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** Encode a request (size prefix + header + body) as one Buffer. */
export function encodeRequest<K extends number>(apiKey: K, version: number, header: RequestHeaderInput, body: RequestInputFor<K>): Buffer {
  const codec = messageCodec(schemaOf(apiKey, version), 'request', version);
  const w = new Writer(256);
  const size = w.reserveInt32();
  writeRequestHeader(w, apiKey, version, header.correlationId, header.clientId);
  encodeWith(codec, w, body);
  size.buf.writeInt32BE(w.length - 4, size.offset);
  return w.finishBuffer();
}

/** Decode a response frame (size prefix excluded): its correlation id and body. */
export function decodeResponse<K extends number>(apiKey: K, version: number, frame: Buffer): { correlationId: number; body: ResponseBodyFor<K> } {
  const codec = messageCodec(schemaOf(apiKey, version), 'response', version);
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, version) === 1) skipTaggedFields(r);
  const body = decodeWith(codec, r) as ResponseBodyFor<K>;
  return { correlationId, body };
}
