// Public API of @mq/errors: the one Kafka error-code table, KafkaError and one class per code mq raises.
export { ErrorCode, errorInfo, errorName, isRetriable, allErrors, type ErrorInfo, type ErrorName } from './error-table';
export { KafkaError, kafkaErrorCode, type KafkaErrorOptions } from './kafka-error';
export {
  UnknownServerError,
  OffsetOutOfRangeError,
  CorruptMessageError,
  UnknownTopicOrPartitionError,
  MessageTooLargeError,
  InvalidTopicError,
  InvalidTimestampError,
  UnsupportedVersionError,
  TopicAlreadyExistsError,
  InvalidPartitionsError,
  InvalidReplicationFactorError,
  InvalidConfigError,
  InvalidRequestError,
  UnsupportedForMessageFormatError,
  PolicyViolationError,
  OutOfOrderSequenceNumberError,
  InvalidProducerEpochError,
  KafkaStorageError,
  UnsupportedCompressionTypeError,
  InvalidRecordError,
  type OffsetOutOfRangeOptions,
  type RecordError,
  type RecordErrorOptions,
} from './error-classes';
