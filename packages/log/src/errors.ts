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

/** One rejected record of a produced batch: Produce v8+ `record_errors` (index within the batch). */
export interface RecordError {
  readonly batchIndex: number;
  readonly message: string;
}

/** Options of the record-validation errors: the per-record reasons go into the Produce response. */
export interface RecordErrorOptions {
  cause?: unknown;
  recordErrors?: readonly RecordError[];
}

/** INVALID_RECORD (87): structurally valid bytes that break a rule (wrong magic, no records...). */
export class InvalidRecordError extends LogError {
  readonly code = 87;
  readonly recordErrors: readonly RecordError[];
  constructor(message: string, options?: RecordErrorOptions) {
    super(message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** INVALID_TIMESTAMP (32): record timestamps outside the topic's bounds, or a client-set LogAppendTime. */
export class InvalidTimestampError extends LogError {
  readonly code = 32;
  readonly recordErrors: readonly RecordError[];
  constructor(message: string, options?: RecordErrorOptions) {
    super(message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** UNSUPPORTED_FOR_MESSAGE_FORMAT (43): a legacy MessageSet (magic 0/1); only RecordBatch v2 is stored. */
export class UnsupportedForMessageFormatError extends LogError {
  readonly code = 43;
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
