// Typed errors of @mq/delay. DelayError carries a stable code the HTTP routes map to a status
// (NOT_FOUND 404, DELIVERING 409, INVALID_ID 400, INVALID_CONFIG at startup).
export type DelayErrorCode = 'NOT_FOUND' | 'DELIVERING' | 'INVALID_ID' | 'INVALID_CONFIG' | 'CLOSED';

export class DelayError extends Error {
  override readonly name = 'DelayError';
  constructor(
    readonly code: DelayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
