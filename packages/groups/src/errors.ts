// Typed errors of @mq/groups. GroupsError carries a stable internal code; CoordinatorError carries
// the Kafka error code a request fails with, so handlers turn it into response data.
export type GroupsErrorCode = 'CORRUPT_ENCODING' | 'COORDINATOR_CLOSED' | 'INVALID_CONFIG';

export class GroupsError extends Error {
  override readonly name = 'GroupsError';
  constructor(
    readonly code: GroupsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request failed with a Kafka error code (e.g. ILLEGAL_GENERATION). */
export class CoordinatorError extends Error {
  override readonly name = 'CoordinatorError';
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}
