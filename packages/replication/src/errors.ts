// Typed errors of @mq/replication, each a KafkaError carrying the wire code from the protocol's one
// error table, so handlers and the control plane map them without a second source of codes.
import { ErrorCode, KafkaError } from '@mq/protocol';

export class ReplicationError extends KafkaError {
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/** This broker does not lead (or does not replicate) the partition. */
export class NotLeaderOrFollowerError extends ReplicationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.NOT_LEADER_OR_FOLLOWER, message, options);
  }
}

/** The request's leader epoch is older than this broker's (the sender is behind). */
export class FencedLeaderEpochError extends ReplicationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.FENCED_LEADER_EPOCH, message, options);
  }
}

/** The control plane refused an ISR proposal whose partitionEpoch is stale (its CAS lost). */
export class InvalidUpdateVersionError extends ReplicationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.INVALID_UPDATE_VERSION, message, options);
  }
}

/** applyPartitionState named a partition this broker has no local replica of (create it first). */
export class UnknownPartitionError extends ReplicationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message, options);
  }
}
