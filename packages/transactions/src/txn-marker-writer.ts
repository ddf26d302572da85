// Where the coordinator's COMMIT / ABORT markers go (Kafka's TransactionMarkerChannelManager): to
// every partition of the transaction. Pluggable: on a single node the broker writes them in process
// (data partitions, and __consumer_offsets through the group coordinator); in a cluster it sends
// WriteTxnMarkers to each partition's leader.
import type { TopicPartitionRef } from './transaction-metadata';

export interface TxnMarkerRequest {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly coordinatorEpoch: number;
}

export interface TxnMarkerResult extends TopicPartitionRef {
  /** NONE, or why this partition has no marker yet (retriable codes are retried). */
  readonly errorCode: number;
}

export interface TxnMarkerWriter {
  write(marker: TxnMarkerRequest, partitions: readonly TopicPartitionRef[]): Promise<TxnMarkerResult[]>;
}
