// Typed errors of @mq/metadata, each a KafkaError carrying the code the broker writes on the wire.
import { ErrorCode, KafkaError } from '@mq/protocol';

/** KAFKA_STORAGE_ERROR: a metadata file cannot be read or written. */
export class MetadataStorageError extends KafkaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.KAFKA_STORAGE_ERROR, message, options);
    this.name = new.target.name;
  }
}

/** meta/topics.json exists but cannot be used (torn, edited, foreign); names the file. */
export class TopicsFileCorruptError extends MetadataStorageError {}

/** A record list that does not apply to the image (a partition of an unknown topic, a gap in indexes). */
export class InvalidMetadataRecordError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.INVALID_REQUEST, message);
    this.name = new.target.name;
  }
}

/** NOT_CONTROLLER: this broker is not (or no longer) the controller; the client retries on the one Metadata names. */
export class NotControllerError extends KafkaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.NOT_CONTROLLER, message, options);
    this.name = new.target.name;
  }
}

/** REQUEST_TIMED_OUT: the metadata store (etcd) cannot be reached; the change was not made. */
export class MetadataUnavailableError extends KafkaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.REQUEST_TIMED_OUT, message, options);
    this.name = new.target.name;
  }
}

/** INVALID_UPDATE_VERSION: an AlterPartition whose partitionEpoch is not the current one. */
export class InvalidUpdateVersionError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.INVALID_UPDATE_VERSION, message);
    this.name = new.target.name;
  }
}

/** FENCED_LEADER_EPOCH: an AlterPartition from a leader whose epoch is no longer current. */
export class FencedLeaderEpochError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.FENCED_LEADER_EPOCH, message);
    this.name = new.target.name;
  }
}

/** INELIGIBLE_REPLICA: a proposed ISR names a replica that is not live or not a replica. */
export class IneligibleReplicaError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.INELIGIBLE_REPLICA, message);
    this.name = new.target.name;
  }
}
