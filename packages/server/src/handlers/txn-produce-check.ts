// The produce path's transaction check (KIP-890 part 1, in process): a transactional batch is
// appended only when its producer's open transaction holds the partition, so a zombie's late write
// or one that skipped AddPartitionsToTxn cannot leave a transaction open in the partition forever.
// In a cluster the check runs where this broker coordinates the id; a partition leader elsewhere
// appends unverified (as Kafka with transaction.partition.verification.enable=false): the epoch
// fencing of markers still refuses a fenced producer's writes.
import { ErrorCode } from '@mq/protocol';
import { PRODUCER_EPOCH_OFFSET, PRODUCER_ID_OFFSET, ATTRIBUTES_OFFSET, RECORD_BATCH_OVERHEAD, TRANSACTIONAL_FLAG_MASK } from '@mq/records';
import type { RequestContext } from '../handler';
import { transactionsOf } from './txn-coordinator-of';

/** NONE, or the code the partition's produce is refused with. */
export function transactionalRefusal(ctx: RequestContext, transactionalId: string | null | undefined, topic: string, partition: number, records: Buffer): { code: number; message: string } | undefined {
  if (records.length < RECORD_BATCH_OVERHEAD || (records.readInt16BE(ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG_MASK) === 0) return undefined;
  if (transactionalId === null || transactionalId === undefined) return { code: ErrorCode.INVALID_RECORD, message: 'a transactional record batch needs the request transactional_id' };
  const txns = transactionsOf(ctx);
  if (txns === undefined) return { code: ErrorCode.COORDINATOR_NOT_AVAILABLE, message: 'the transaction coordinator is not running' };
  const producer = { transactionalId, producerId: records.readBigInt64BE(PRODUCER_ID_OFFSET), producerEpoch: records.readInt16BE(PRODUCER_EPOCH_OFFSET) };
  if (txns.clustered && txns.coordinatorStatus(transactionalId) !== ErrorCode.NONE) return undefined;
  const code = txns.verify(producer, [{ topic, partition }]);
  if (code === ErrorCode.NONE) return undefined;
  // Produce has no PRODUCER_FENCED: Kafka answers a fenced transactional write INVALID_PRODUCER_EPOCH.
  const wire = code === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
  return { code: wire, message: `${topic}-${partition} is not in the open transaction of ${transactionalId}` };
}
