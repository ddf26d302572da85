// Typed errors raised by the RecordBatch codec. Each carries the Kafka error code a broker puts on
// the wire and an optional `cause`; the storage and partition layers pass them through unchanged.

export abstract class RecordBatchError extends Error {
  /** Kafka protocol error code (see Kafka's Errors.java). */
  abstract readonly code: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** CORRUPT_MESSAGE (2): bad length, CRC mismatch, truncated or undecodable bytes. */
export class CorruptRecordError extends RecordBatchError {
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
export class InvalidRecordError extends RecordBatchError {
  readonly code = 87;
  readonly recordErrors: readonly RecordError[];
  constructor(message: string, options?: RecordErrorOptions) {
    super(message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** INVALID_TIMESTAMP (32): record timestamps outside the topic's bounds, or a client-set LogAppendTime. */
export class InvalidTimestampError extends RecordBatchError {
  readonly code = 32;
  readonly recordErrors: readonly RecordError[];
  constructor(message: string, options?: RecordErrorOptions) {
    super(message, options);
    this.recordErrors = options?.recordErrors ?? [];
  }
}

/** UNSUPPORTED_FOR_MESSAGE_FORMAT (43): a legacy MessageSet (magic 0/1); only RecordBatch v2 is stored. */
export class UnsupportedForMessageFormatError extends RecordBatchError {
  readonly code = 43;
}

/** UNSUPPORTED_COMPRESSION_TYPE (76): attributes name a codec we do not know. */
export class UnsupportedCompressionTypeError extends RecordBatchError {
  readonly code = 76;
}

/** MESSAGE_TOO_LARGE (10): a batch larger than the log accepts. */
export class RecordBatchTooLargeError extends RecordBatchError {
  readonly code = 10;
}
