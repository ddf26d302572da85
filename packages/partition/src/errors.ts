// Typed errors raised by @mq/partition. Each carries the Kafka error code the broker writes on the
// wire for the failing topic/partition (Kafka's Errors.java numbering), plus an optional cause.

export abstract class PartitionError extends Error {
  /** Kafka protocol error code. */
  abstract readonly code: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** UNKNOWN_TOPIC_OR_PARTITION (3). */
export class UnknownTopicOrPartitionError extends PartitionError {
  readonly code = 3;
}

/** INVALID_TOPIC_EXCEPTION (17): name breaks Kafka's rules. */
export class InvalidTopicError extends PartitionError {
  readonly code = 17;
}

/** TOPIC_ALREADY_EXISTS (36). */
export class TopicAlreadyExistsError extends PartitionError {
  readonly code = 36;
}

/** INVALID_PARTITIONS (37). */
export class InvalidPartitionsError extends PartitionError {
  readonly code = 37;
}

/** INVALID_REPLICATION_FACTOR (38). */
export class InvalidReplicationFactorError extends PartitionError {
  readonly code = 38;
}

/** INVALID_CONFIG (40). */
export class InvalidConfigError extends PartitionError {
  readonly code = 40;
}

/** OUT_OF_ORDER_SEQUENCE_NUMBER (45). */
export class OutOfOrderSequenceError extends PartitionError {
  readonly code = 45;
}

/** INVALID_PRODUCER_EPOCH (47): a fenced (older) producer epoch. */
export class InvalidProducerEpochError extends PartitionError {
  readonly code = 47;
}

/** MESSAGE_TOO_LARGE (10): a batch above the topic's max.message.bytes. */
export class MessageTooLargeError extends PartitionError {
  readonly code = 10;
}

/** CORRUPT_MESSAGE (2): a produced batch that fails validation. */
export class CorruptMessageError extends PartitionError {
  readonly code = 2;
}

/** INVALID_TIMESTAMP (32): reserved for message.timestamp.difference checks. */
export class InvalidTimestampError extends PartitionError {
  readonly code = 32;
}

/** KAFKA_STORAGE_ERROR (56): the partition is closed or deleted under the caller. */
export class PartitionClosedError extends PartitionError {
  readonly code = 56;
}

/** OFFSET_OUT_OF_RANGE (1): DeleteRecords beyond the high watermark. */
export class OffsetOutOfRangeError extends PartitionError {
  readonly code = 1;
}

/** POLICY_VIOLATION (44): e.g. deleting a topic the broker itself owns. */
export class PolicyViolationError extends PartitionError {
  readonly code = 44;
}

/** The Kafka error code of any error thrown by @mq/partition or @mq/log; -1 (UNKNOWN_SERVER_ERROR) otherwise. */
export function kafkaErrorCode(err: unknown): number {
  if (err !== null && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'number') {
    return (err as { code: number }).code;
  }
  return -1;
}
