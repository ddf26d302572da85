// Typed errors raised by @mq/log. Each carries the Kafka error code a broker should put on the wire
// (one source of truth for these codes inside the storage layer) and an optional `cause`.

export abstract class LogError extends Error {
  /** Kafka protocol error code (see Kafka's Errors.java). */
  abstract readonly code: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** CORRUPT_MESSAGE (2): bad length, CRC mismatch, truncated or undecodable bytes. */
export class CorruptRecordError extends LogError {
  readonly code = 2;
}

/** INVALID_RECORD (87): structurally valid bytes that break a rule (wrong magic, no records...). */
export class InvalidRecordError extends LogError {
  readonly code = 87;
}

/** OFFSET_OUT_OF_RANGE (1): offset below logStartOffset or above logEndOffset. */
export class OffsetOutOfRangeError extends LogError {
  readonly code = 1;
  constructor(
    message: string,
    readonly logStartOffset: bigint,
    readonly logEndOffset: bigint,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** UNSUPPORTED_COMPRESSION_TYPE (76): attributes name a codec we do not know. */
export class UnsupportedCompressionTypeError extends LogError {
  readonly code = 76;
}

/** MESSAGE_TOO_LARGE (10): a batch larger than the log accepts. */
export class RecordBatchTooLargeError extends LogError {
  readonly code = 10;
}

/** KAFKA_STORAGE_ERROR (56): the filesystem failed under us, or the log is closed/deleted. */
export class KafkaStorageError extends LogError {
  readonly code = 56;
}

/**
 * Internal: a reader reached a segment that was deleted or replaced after it took its snapshot of
 * the segment list. The log retries on a fresh snapshot; never surfaces from the public API.
 */
export class SegmentGoneError extends LogError {
  readonly code = 56;
}
