// Typed errors of the coordinator runtime, each a KafkaError with the code the group (and later
// share, transaction) APIs answer: the partition is not loaded here (NotCoordinatorError), is still
// loading (CoordinatorLoadInProgressError) — both the one table's classes, from @mq/errors — or the
// append of an operation's records failed (Kafka's normalisation of partition errors).
import { ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';

export { CoordinatorLoadInProgressError, NotCoordinatorError } from '@mq/protocol';

/** The append of an operation's records failed; `code` is what the client is told (the cause is the partition's error). */
export class CoordinatorWriteError extends KafkaError {
  constructor(code: number, message: string, cause: unknown) {
    super(code, message, { cause });
    this.name = 'CoordinatorWriteError';
  }
}

/**
 * What a client is told when the records could not be appended, as Kafka's coordinator service
 * normalises them: a partition that is gone or not writable here → the client looks the
 * coordinator up again; a batch the log refused → UNKNOWN_SERVER_ERROR.
 */
export function appendErrorCode(err: unknown): number {
  switch (kafkaErrorCode(err)) {
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
