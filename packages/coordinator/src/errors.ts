// Typed errors of the coordinator runtime, each a KafkaError with the code the group (and later
// share, transaction) APIs answer: the partition is not loaded here, is still loading, or the
// append of an operation's records failed (Kafka's normalisation of partition errors).
import { ErrorCode, KafkaError } from '@mq/protocol';

/** NOT_COORDINATOR: this broker does not hold the coordinator partition (or it was unloaded). */
export class NotCoordinatorError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.NOT_COORDINATOR, message);
    this.name = 'NotCoordinatorError';
  }
}

/** COORDINATOR_LOAD_IN_PROGRESS: the partition is being replayed; the client retries. */
export class CoordinatorLoadInProgressError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, message);
    this.name = 'CoordinatorLoadInProgressError';
  }
}

/** The append of an operation's records failed; `code` is what the client is told (the cause is the partition's error). */
export class CoordinatorWriteError extends KafkaError {
  constructor(code: number, message: string, cause: unknown) {
    super(code, message, { cause });
    this.name = 'CoordinatorWriteError';
  }
}

/** The numeric Kafka code an error carries (`code` or `errorCode`), else undefined. */
function codeOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; errorCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.errorCode === 'number') return e.errorCode;
  return undefined;
}

/**
 * What a client is told when the records could not be appended, as Kafka's coordinator service
 * normalises them: a partition that is gone or not writable here → the client looks the
 * coordinator up again; a batch the log refused → UNKNOWN_SERVER_ERROR.
 */
export function appendErrorCode(err: unknown): number {
  switch (codeOf(err)) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      // Anything else (an I/O error without a Kafka code: EIO, ENOSPC) is a storage problem here.
      return ErrorCode.NOT_COORDINATOR;
  }
}
