// The Confluent Schema Registry error table (its REST error_code values and HTTP statuses): the one
// place these codes are written down; everything else throws a RegistryError naming one of them.

/** Confluent's error codes: `error_code` in a `{error_code, message}` body; the HTTP status is the first three digits. */
export const RegistryErrorCode = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  SCHEMA_VERSION_SOFT_DELETED: 40406,
  SCHEMA_VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: 40408,
  SUBJECT_LEVEL_MODE_NOT_CONFIGURED: 40409,
  /** Confluent sends a bare 409 for an incompatible registration. */
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  INVALID_MODE: 42204,
  OPERATION_NOT_PERMITTED: 42205,
  REFERENCE_EXISTS: 42206,
  /** A body that is not JSON at all (Confluent's Jersey layer answers 400 with code 400). */
  BAD_REQUEST: 400,
  /** A body that is JSON but not the shape the route expects (Confluent: 422 with code 422). */
  UNPROCESSABLE_ENTITY: 422,
  STORE_ERROR: 50001,
  OPERATION_TIMEOUT: 50002,
  /** The registry is not ready here (its `_schemas` partition is loading), or forwarding to the leader failed. */
  REQUEST_FORWARDING_FAILED: 50003,
  /** No broker leads `_schemas` partition 0 (Confluent's "unknown leader"). */
  UNKNOWN_LEADER: 50004,
  UNKNOWN_ROUTE: 404,
} as const;
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

/** HTTP status for an error code: 40401 → 404, 409 → 409, 50001 → 500. */
export function httpStatusOf(code: RegistryErrorCode): number {
  return code >= 1000 ? Math.floor(code / 100) : code;
}

/** A registry failure with Confluent's error code; `message` is what the REST body carries. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly errorCode: RegistryErrorCode;
  constructor(errorCode: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.errorCode = errorCode;
  }
  get httpStatus(): number {
    return httpStatusOf(this.errorCode);
  }
  /** The REST body: `{ error_code, message }`. */
  toJSON(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}
