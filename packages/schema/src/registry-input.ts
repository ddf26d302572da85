// Request shapes shared by commands and queries, and their checks (versions, subjects, bodies).
import { normalizeSubject } from './schema-context.js';
import { RegistryError, RegistryErrorCode } from './registry-error.js';
import type { SchemaReference, SchemaType } from './schema-type.js';

/** A schema as POSTed: `schemaType` absent means AVRO; `id`/`version` only in IMPORT mode. */
export interface SchemaInput {
  schema: string;
  schemaType?: SchemaType | string;
  references?: SchemaReference[];
  id?: number;
  version?: number;
}

/** What a command hands to the writer: the records to append, and the answer once they are replayed. */
export interface RegistryResult<T> {
  records: import('./registry-records.js').RegistryRecord[];
  response: T;
}

const MAX_VERSION = 2 ** 31 - 1;

/** "latest", -1 or 1..2^31-1 (42202 otherwise); "latest" and -1 come back as -1. */
export function parseVersion(value: string | number): number {
  if (value === 'latest' || value === -1 || value === '-1') return -1;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_VERSION) {
    throw new RegistryError(
      RegistryErrorCode.INVALID_VERSION,
      `The specified version '${value}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    );
  }
  return n;
}

/** A subject name: non-empty, no control characters . */
export function checkSubject(subject: string): string {
  if (subject.length === 0 || subject.length > 1024 || [...subject].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new RegistryError(RegistryErrorCode.UNPROCESSABLE_ENTITY, `Invalid subject ${JSON.stringify(subject)}`);
  }
  // `:.:name` is the default context spelled out: the same subject as `name`.
  return normalizeSubject(subject);
}

/** A POSTed schema body checked for shape (the schema itself is parsed later, 42201 if invalid). */
export function checkSchemaInput(body: unknown): SchemaInput {
  if (typeof body !== 'object' || body === null || typeof (body as SchemaInput).schema !== 'string') {
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: the body needs a "schema" string');
  }
  const b = body as Record<string, unknown>;
  if (b.references !== undefined && !Array.isArray(b.references)) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: "references" must be a list');
  if (b.id !== undefined && (!Number.isInteger(b.id) || (b.id as number) < 1)) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Invalid schema: "id" must be a positive integer');
  if (b.version !== undefined && b.version !== -1) parseVersion(b.version as number);
  return body as SchemaInput;
}
