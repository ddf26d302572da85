// Typed errors of @mq/replication, each a KafkaError carrying the wire code from the protocol's one
// error table. The control plane's AlterPartition refusals (FencedLeaderEpochError,
// InvalidUpdateVersionError) are @mq/metadata's.
import { ErrorCode, KafkaError } from '@mq/protocol';

export class ReplicationError extends KafkaError {
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/** applyPartitionState named a partition this broker has no local replica of (create it first). */
export class UnknownPartitionError extends ReplicationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message, options);
  }
}
