// Typed errors raised by @mq/log's engine. Each carries the Kafka error code a broker should put on the
// wire and an optional `cause`; record errors (corrupt, invalid, too large) come from @mq/records.

export abstract class LogError extends Error {
  /** Kafka protocol error code (see Kafka's Errors.java). */
  abstract readonly code: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
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
