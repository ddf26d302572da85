// Kafka errors as HTTP answers: the one place a broker-side failure (a KafkaError from the topic
// manager, a partition, the group coordinator, or a bare error code) becomes a status and a message.
import { HttpError } from '@mq/http';
import { ErrorCode, errorInfo, kafkaErrorCode } from '@mq/errors';

const STATUS_OF: ReadonlyMap<number, number> = new Map([
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 404],
  [ErrorCode.GROUP_ID_NOT_FOUND, 404],
  [ErrorCode.TOPIC_ALREADY_EXISTS, 409],
  [ErrorCode.NON_EMPTY_GROUP, 409],
  [ErrorCode.REBALANCE_IN_PROGRESS, 409],
  [ErrorCode.UNKNOWN_MEMBER_ID, 409],
  [ErrorCode.ILLEGAL_GENERATION, 409],
  [ErrorCode.POLICY_VIOLATION, 403],
  [ErrorCode.MESSAGE_TOO_LARGE, 413],
  [ErrorCode.RECORD_LIST_TOO_LARGE, 413],
  [ErrorCode.OFFSET_OUT_OF_RANGE, 416],
  [ErrorCode.INVALID_TOPIC_EXCEPTION, 400],
  [ErrorCode.INVALID_PARTITIONS, 400],
  [ErrorCode.INVALID_REPLICATION_FACTOR, 400],
  [ErrorCode.INVALID_REPLICA_ASSIGNMENT, 400],
  [ErrorCode.INVALID_CONFIG, 400],
  [ErrorCode.INVALID_REQUEST, 400],
  [ErrorCode.INVALID_RECORD, 400],
  [ErrorCode.CORRUPT_MESSAGE, 400],
  [ErrorCode.INVALID_TIMESTAMP, 400],
  [ErrorCode.INVALID_GROUP_ID, 400],
  [ErrorCode.INVALID_COMMIT_OFFSET_SIZE, 400],
  [ErrorCode.OFFSET_METADATA_TOO_LARGE, 400],
]);

/** The HTTP status for a Kafka error code: retriable ones (not leader, loading, timed out) are 503. */
export function statusForErrorCode(errorCode: number): number {
  const status = STATUS_OF.get(errorCode);
  if (status !== undefined) return status;
  return errorInfo(errorCode)?.retriable === true ? 503 : 500;
}

/** An HttpError for a bare Kafka error code (the group coordinator answers with codes, not throws). */
export function httpErrorForCode(errorCode: number, message: string): HttpError {
  const name = errorInfo(errorCode)?.name ?? `UNKNOWN(${errorCode})`;
  return new HttpError(statusForErrorCode(errorCode), `${name}: ${message}`);
}

/** Anything a service threw, as an HttpError; an HttpError passes through, a non-Kafka error is rethrown (a 500, logged). */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const errorCode = kafkaErrorCode(err);
  if (errorCode === ErrorCode.UNKNOWN_SERVER_ERROR) throw err;
  return httpErrorForCode(errorCode, err instanceof Error ? err.message : String(err));
}

/** Runs a service call, answering its Kafka errors as HTTP ones. */
export async function orHttpError<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toHttpError(err);
  }
}
