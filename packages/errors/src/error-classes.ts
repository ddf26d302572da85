// One class per Kafka error code that mq raises, named after the code (OFFSET_OUT_OF_RANGE →
// OffsetOutOfRangeError; a trailing _ERROR/_EXCEPTION is dropped). A package that needs a more
// specific error extends the code's class here, so `instanceof` by code holds across the repo.
import { ErrorCode } from './error-table';
import { KafkaError, type KafkaErrorOptions } from './kafka-error';

/** One rejected record of a produced batch: Produce v8+ `record_errors` (index within the batch). */
export interface RecordError {
  readonly batchIndex: number;
  readonly message: string;
}

/** Options of the record-validation errors: the per-record reasons go into the Produce response. */
export interface RecordErrorOptions extends KafkaErrorOptions {
  recordErrors?: readonly RecordError[];
}

/** UNKNOWN_SERVER_ERROR (-1): a failure with no better code (a bug, or an encode of a bad value). */
export class UnknownServerError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNKNOWN_SERVER_ERROR, message, options);
  }
}

export interface OffsetOutOfRangeOptions extends KafkaErrorOptions {
  /** The log's range at the time, when the raiser knows it (a fetch answers with it). */
  logStartOffset?: bigint;
  logEndOffset?: bigint;
}

/** OFFSET_OUT_OF_RANGE (1): an offset below logStartOffset or above logEndOffset / the high watermark. */
export class OffsetOutOfRangeError extends KafkaError {
  readonly logStartOffset: bigint | undefined;
  readonly logEndOffset: bigint | undefined;
  constructor(message?: string, options?: OffsetOutOfRangeOptions) {
    super(ErrorCode.OFFSET_OUT_OF_RANGE, message, options);
    this.logStartOffset = options?.logStartOffset;
    this.logEndOffset = options?.logEndOffset;
  }
}

/** CORRUPT_MESSAGE (2): bad length, CRC mismatch, truncated or undecodable bytes. */
export class CorruptMessageError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.CORRUPT_MESSAGE, message, options);
  }
}

/** UNKNOWN_TOPIC_OR_PARTITION (3). */
export class UnknownTopicOrPartitionError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message, options);
  }
}

/** MESSAGE_TOO_LARGE (10): a batch above max.message.bytes, or one that inflates past its cap. */
export class MessageTooLargeError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.MESSAGE_TOO_LARGE, message, options);
  }
}

/** REQUEST_TIMED_OUT (7): the request (or the store behind it) did not complete in time. */
export class RequestTimedOutError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.REQUEST_TIMED_OUT, message, options);
  }
}

/** COORDINATOR_LOAD_IN_PROGRESS (14): the coordinator partition is being replayed; the client retries. */
export class CoordinatorLoadInProgressError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, message, options);
  }
}

/** NOT_COORDINATOR (16): this broker does not hold the coordinator partition (or it was unloaded). */
export class NotCoordinatorError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.NOT_COORDINATOR, message, options);
  }
}

/** INVALID_TOPIC_EXCEPTION (17): a topic name that breaks Kafka's rules. */
export class InvalidTopicError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_TOPIC_EXCEPTION, message, options);
  }
}

/** INVALID_TIMESTAMP (32): record timestamps outside the topic's bounds, or a client-set LogAppendTime. */
export class InvalidTimestampError extends KafkaError {
  readonly recordErrors: readonly RecordError[];
  constructor(message?: string, options?: RecordErrorOptions) {
    super(ErrorCode.INVALID_TIMESTAMP, message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** UNSUPPORTED_VERSION (35): an API key or version there is no schema for. */
export class UnsupportedVersionError extends KafkaError {
  readonly apiKey: number;
  readonly apiVersion: number;
  constructor(apiKey: number, apiVersion: number, options?: KafkaErrorOptions) {
    super(ErrorCode.UNSUPPORTED_VERSION, `unsupported api key ${apiKey} version ${apiVersion}`, options);
    this.apiKey = apiKey;
    this.apiVersion = apiVersion;
  }
}

/** TOPIC_ALREADY_EXISTS (36). */
export class TopicAlreadyExistsError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.TOPIC_ALREADY_EXISTS, message, options);
  }
}

/** INVALID_PARTITIONS (37). */
export class InvalidPartitionsError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_PARTITIONS, message, options);
  }
}

/** INVALID_REPLICATION_FACTOR (38). */
export class InvalidReplicationFactorError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_REPLICATION_FACTOR, message, options);
  }
}

/** INVALID_CONFIG (40): a config key or value that cannot work. */
export class InvalidConfigError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_CONFIG, message, options);
  }
}

/** NOT_CONTROLLER (41): this broker is not (or no longer) the controller. */
export class NotControllerError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.NOT_CONTROLLER, message, options);
  }
}

/** INVALID_REQUEST (42): bytes that do not decode as the request they claim to be. */
export class InvalidRequestError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_REQUEST, message, options);
  }
}

/** UNSUPPORTED_FOR_MESSAGE_FORMAT (43): a legacy MessageSet (magic 0/1); only RecordBatch v2 is stored. */
export class UnsupportedForMessageFormatError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, message, options);
  }
}

/** POLICY_VIOLATION (44): e.g. deleting a topic the broker itself owns. */
export class PolicyViolationError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.POLICY_VIOLATION, message, options);
  }
}

/** OUT_OF_ORDER_SEQUENCE_NUMBER (45): an idempotent batch that skips sequence numbers. */
export class OutOfOrderSequenceNumberError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message, options);
  }
}

/** INVALID_PRODUCER_EPOCH (47): a fenced (older) producer epoch. */
export class InvalidProducerEpochError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_PRODUCER_EPOCH, message, options);
  }
}

/** KAFKA_STORAGE_ERROR (56): the filesystem failed under us, or the log/partition is closed or deleted. */
export class KafkaStorageError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.KAFKA_STORAGE_ERROR, message, options);
  }
}

/** FENCED_LEADER_EPOCH (74): a leader epoch older than the current one. */
export class FencedLeaderEpochError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.FENCED_LEADER_EPOCH, message, options);
  }
}

/**
 * STALE_BROKER_EPOCH (77): a request made under a broker epoch (a registration) that is no longer
 * the broker's current one — an AlterPartition from a leader that re-registered since, or a
 * controller change computed from registrations that changed before it committed.
 */
export class StaleBrokerEpochError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.STALE_BROKER_EPOCH, message, options);
  }
}

/** UNSUPPORTED_COMPRESSION_TYPE (76): batch attributes name a codec mq does not know. */
export class UnsupportedCompressionTypeError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, message, options);
  }
}

/** INVALID_RECORD (87): structurally valid bytes that break a rule (no records, a bad record...). */
export class InvalidRecordError extends KafkaError {
  readonly recordErrors: readonly RecordError[];
  constructor(message?: string, options?: RecordErrorOptions) {
    super(ErrorCode.INVALID_RECORD, message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** INVALID_UPDATE_VERSION (95): an update (AlterPartition) whose partitionEpoch is not the current one. */
export class InvalidUpdateVersionError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INVALID_UPDATE_VERSION, message, options);
  }
}

/** INELIGIBLE_REPLICA (107): a proposed ISR names a replica that is not live or not a replica. */
export class IneligibleReplicaError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.INELIGIBLE_REPLICA, message, options);
  }
}

/** UNSUPPORTED_SASL_MECHANISM (33): a mechanism the listener does not enable. */
export class UnsupportedSaslMechanismError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNSUPPORTED_SASL_MECHANISM, message, options);
  }
}

/** ILLEGAL_SASL_STATE (34): a SASL request out of order (a token before the handshake). */
export class IllegalSaslStateError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.ILLEGAL_SASL_STATE, message, options);
  }
}

/** SASL_AUTHENTICATION_FAILED (58): wrong password, unknown user, a malformed SASL token. */
export class SaslAuthenticationFailedError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.SASL_AUTHENTICATION_FAILED, message, options);
  }
}

/** UNACCEPTABLE_CREDENTIAL (93): a SCRAM credential outside Kafka's bounds (iterations, empty salt). */
export class UnacceptableCredentialError extends KafkaError {
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(ErrorCode.UNACCEPTABLE_CREDENTIAL, message, options);
  }
}
