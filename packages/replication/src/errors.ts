// Typed errors of @mq/replication, each a KafkaError carrying the wire code from the protocol's one
// error table. The control plane's AlterPartition refusals (FencedLeaderEpochError,
// InvalidUpdateVersionError) are the one table's, which @mq/metadata raises.
import { KafkaError, UnknownTopicOrPartitionError } from '@mq/protocol';

export class ReplicationError extends KafkaError {
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/** UNKNOWN_TOPIC_OR_PARTITION: applyPartitionState named a partition this broker has no local replica of (create it first). */
export class UnknownPartitionError extends UnknownTopicOrPartitionError {}
