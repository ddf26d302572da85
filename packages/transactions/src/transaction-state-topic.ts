// The internal topic the transaction coordinator lives on: which partition coordinates a
// transactional id (Kafka's abs(hashCode(transactionalId)) % transaction.state.log.num.partitions,
// the same hash groups use) and the topic's configs (compacted; fsync'd like Kafka's
// transaction.state.log settings leave it to the page cache).
import { coordinatorPartitionFor } from '@mq/coordinator';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

const NEVER = '9223372036854775807';

export function transactionStateTopicConfigs(segmentBytes: number): Record<string, string> {
  return { 'cleanup.policy': 'compact', 'segment.bytes': String(segmentBytes), 'flush.messages': NEVER, 'flush.ms': NEVER };
}

/** The __transaction_state partition coordinating `transactionalId`. */
export function txnPartitionFor(transactionalId: string, partitionCount: number): number {
  return coordinatorPartitionFor(transactionalId, partitionCount);
}
