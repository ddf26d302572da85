// Typed errors of @mq/groups. GroupsError carries a stable internal code; CoordinatorError is the
// one table's KafkaError a request fails with, so handlers turn it into response data.
import { KafkaError } from '@mq/protocol';

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

/** A request failed with a Kafka error code (e.g. ILLEGAL_GENERATION): `errorCode`, `retriable` from the table. */
export class CoordinatorError extends KafkaError {
  constructor(errorCode: number, message: string) {
    super(errorCode, message);
  }
}
