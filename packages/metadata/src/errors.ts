// Typed errors of @mq/metadata: the one table's classes (@mq/errors, through @mq/protocol), and
// refinements of them that name what failed here, so `instanceof` by code and `retriable` hold.
import { InvalidRequestError, KafkaStorageError, RequestTimedOutError, StaleBrokerEpochError } from '@mq/protocol';

export { FencedLeaderEpochError, IneligibleReplicaError, InvalidUpdateVersionError, NotControllerError, StaleBrokerEpochError } from '@mq/protocol';

/** KAFKA_STORAGE_ERROR: a metadata file cannot be read or written. */
export class MetadataStorageError extends KafkaStorageError {}

/** meta/topics.json exists but cannot be used (torn, edited, foreign); names the file. */
export class TopicsFileCorruptError extends MetadataStorageError {}

/** INVALID_REQUEST: a record list that does not apply to the image (a partition of an unknown topic, a gap in indexes). */
export class InvalidMetadataRecordError extends InvalidRequestError {}

/** REQUEST_TIMED_OUT: the metadata store (etcd) cannot be reached; the change was not made. */
export class MetadataUnavailableError extends RequestTimedOutError {}

/**
 * STALE_BROKER_EPOCH: a controller commit was computed from broker registrations that changed in
 * etcd before it committed (its membership basis no longer holds); nothing was written. `revision`:
 * the etcd revision the change was seen at — once the image has applied it, recompute.
 */
export class StaleMembershipError extends StaleBrokerEpochError {
  readonly revision: bigint;
  constructor(message: string, revision: bigint) {
    super(message);
    this.revision = revision;
  }
}
