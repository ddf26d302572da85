// Reading a request's query and body: every malformed value is a 400 naming the field, never a throw
// from deeper down (a NaN offset, a string where a number belongs, a bigint past int64).
import { HttpError, type HttpRequest } from '@mq/http';

const INT64_MAX = 2n ** 63n - 1n;

export type JsonObject = Record<string, unknown>;

/** The body as a JSON object (400 for an empty body, malformed JSON, or an array / scalar). */
export function objectBody(req: HttpRequest): JsonObject {
  const body = req.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw HttpError.badRequest('the request body must be a JSON object');
  return body as JsonObject;
}

/** A non-negative int32 (partition ids, counts), from a path segment, query value or JSON number. */
export function nonNegativeInt(raw: unknown, field: string, max = 2 ** 31 - 1): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw HttpError.badRequest(`${field} must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** A non-negative int64 (offsets, timestamps) as a bigint, from a decimal string or a safe JSON integer. */
export function nonNegativeLong(raw: unknown, field: string): bigint {
  let n: bigint | undefined;
  if (typeof raw === 'string' && /^\d{1,19}$/.test(raw)) n = BigInt(raw);
  else if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) n = BigInt(raw);
  if (n === undefined || n > INT64_MAX) throw HttpError.badRequest(`${field} must be a non-negative 64-bit integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** An optional query parameter through `parse`; undefined when absent. */
export function queryValue<T>(req: HttpRequest, name: string, parse: (raw: string, field: string) => T): T | undefined {
  const raw = req.query.get(name);
  return raw === null ? undefined : parse(raw, name);
}

export function optionalString(raw: unknown, field: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw HttpError.badRequest(`${field} must be a string`);
  return raw;
}

export function requiredString(raw: unknown, field: string): string {
  const s = optionalString(raw, field);
  if (s === undefined || s === '') throw HttpError.badRequest(`${field} is required`);
  return s;
}

export function optionalArray(raw: unknown, field: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw HttpError.badRequest(`${field} must be an array`);
  return raw;
}

export function asObject(raw: unknown, field: string): JsonObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw HttpError.badRequest(`${field} must be an object`);
  return raw as JsonObject;
}

/** A non-negative int32 in a JSON body: a JSON number only (a "3" there is a client bug worth a 400). */
export function bodyInt(raw: unknown, field: string, max = 2 ** 31 - 1): number {
  if (typeof raw !== 'number') throw HttpError.badRequest(`${field} must be a JSON integer, got ${JSON.stringify(raw)}`);
  return nonNegativeInt(raw, field, max);
}
