// Typed errors of @mq/share: a stable internal code and a cause. Requests fail with the one
// table's Kafka codes as response data, not with these.

export type ShareErrorCode = 'CORRUPT_ENCODING' | 'COORDINATOR_CLOSED' | 'INVALID_CONFIG';

export class ShareError extends Error {
  override readonly name = 'ShareError';
  constructor(
    readonly code: ShareErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
