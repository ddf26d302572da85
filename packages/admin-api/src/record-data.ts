// Keys, values and headers over JSON, binary-safe: REST Proxy v3's `{ type, data }` with type
// BINARY (base64), STRING (UTF-8 text) or JSON (any JSON value, stored as its UTF-8 text). Reads
// answer BINARY unless asked (?encoding=string|json); a value that is not valid text or JSON then
// falls back to BINARY, so nothing is ever lost to a lossy decode.
import { HttpError } from '@mq/http';
import { asObject } from './request-input';

export type DataType = 'BINARY' | 'STRING' | 'JSON';
export const DATA_TYPES: readonly DataType[] = ['BINARY', 'STRING', 'JSON'];

export interface RecordData {
  readonly type: DataType;
  readonly data: unknown;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A `{ type, data }` field of a produce request as bytes; absent or `data: null` is a null key/value. */
export function decodeData(raw: unknown, field: string): Buffer | null {
  if (raw === undefined || raw === null) return null;
  const o = asObject(raw, field);
  const type = o.type ?? 'BINARY';
  if (typeof type !== 'string' || !DATA_TYPES.includes(type as DataType)) {
    throw HttpError.badRequest(`${field}.type must be one of ${DATA_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  if (o.data === null || o.data === undefined) {
    if (type === 'JSON' && o.data === null && 'data' in o) return Buffer.from('null');
    return null;
  }
  switch (type as DataType) {
    case 'BINARY':
      if (typeof o.data !== 'string' || !BASE64.test(o.data)) throw HttpError.badRequest(`${field}.data must be base64 for type BINARY`);
      return Buffer.from(o.data, 'base64');
    case 'STRING':
      if (typeof o.data !== 'string') throw HttpError.badRequest(`${field}.data must be a string for type STRING`);
      return Buffer.from(o.data, 'utf8');
    case 'JSON':
      return Buffer.from(JSON.stringify(o.data), 'utf8');
  }
}

/** A header value as sent: base64 text (REST Proxy v3), or null. */
export function decodeHeaderValue(raw: unknown, field: string): Buffer | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string' || !BASE64.test(raw)) throw HttpError.badRequest(`${field} must be base64 or null`);
  return Buffer.from(raw, 'base64');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as `{ type, data }` in the asked encoding, BINARY when they are not valid in it. */
export function encodeData(bytes: Buffer | null, want: DataType): RecordData | null {
  if (bytes === null) return null;
  if (want !== 'BINARY') {
    let text: string | undefined;
    try {
      text = UTF8.decode(bytes);
    } catch {
      text = undefined;
    }
    if (text !== undefined && want === 'STRING') return { type: 'STRING', data: text };
    if (text !== undefined) {
      try {
        return { type: 'JSON', data: JSON.parse(text) as unknown };
      } catch {
        // not JSON: fall through to BINARY
      }
    }
  }
  return { type: 'BINARY', data: bytes.toString('base64') };
}

/** `?encoding=` of a read: binary (default), string or json. */
export function parseEncoding(raw: string | null): DataType {
  if (raw === null) return 'BINARY';
  const type = raw.toUpperCase();
  if (!DATA_TYPES.includes(type as DataType)) throw HttpError.badRequest(`encoding must be binary, string or json, got ${JSON.stringify(raw)}`);
  return type as DataType;
}
