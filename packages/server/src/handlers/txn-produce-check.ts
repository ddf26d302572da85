// The produce path's transaction check (KIP-890 part 1): a transactional batch is appended only
// when its producer's open transaction holds the partition, so a zombie's late write or one that
// skipped AddPartitionsToTxn cannot leave a transaction open in the partition forever. Where this
// broker coordinates the transactional id the coordinator answers in process; in a cluster, where
// another broker does, that broker is asked with AddPartitionsToTxn v4+ verify_only
// (../txn-produce-verification.ts, a transaction's first batch per partition only).
// The coordinator's answer becomes a code producers know, as Kafka's ReplicaManager translates it:
// PRODUCER_FENCED is INVALID_PRODUCER_EPOCH; a verification that could not finish (the previous
// transaction still completing, the coordinator moving or unreachable) is NOT_ENOUGH_REPLICAS, which
// every client retries without a metadata refresh.
import { ErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import { PRODUCER_EPOCH_OFFSET, PRODUCER_ID_OFFSET, ATTRIBUTES_OFFSET, RECORD_BATCH_OVERHEAD, TRANSACTIONAL_FLAG_MASK } from '@mq/records';
import type { RequestContext, TxnProducer } from '../handler';
import { transactionsOf } from './txn-coordinator-of';

export interface TxnRefusal {
  readonly code: number;
  readonly message: string;
}

/** undefined: append now; a refusal; or a promise of either (the remote coordinator's answer). */
export type TxnCheck = undefined | TxnRefusal | Promise<TxnRefusal | undefined>;

/** The coordinator's codes that mean the verification could not finish (retriable), not a refusal. */
export const UNVERIFIED: ReadonlySet<number> = new Set<number>([
  ErrorCode.CONCURRENT_TRANSACTIONS,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_COORDINATOR,
]);

function refusalOf(code: number, producer: TxnProducer, topic: string, partition: number): TxnRefusal | undefined {
  if (code === ErrorCode.NONE) return undefined;
  if (UNVERIFIED.has(code)) return { code: ErrorCode.NOT_ENOUGH_REPLICAS, message: `unable to verify that ${topic}-${partition} is in the transaction of ${producer.transactionalId}: error ${code}` };
  // Produce has no PRODUCER_FENCED: Kafka answers a fenced transactional write INVALID_PRODUCER_EPOCH.
  const wire = code === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
  return { code: wire, message: `${topic}-${partition} is not in the open transaction of ${producer.transactionalId}` };
}

/** The check of one partition's batch: nothing for a non-transactional batch. */
export function transactionalCheck(ctx: RequestContext, transactionalId: string | null | undefined, topic: string, partition: Partition, records: Buffer): TxnCheck {
  if (records.length < RECORD_BATCH_OVERHEAD || (records.readInt16BE(ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG_MASK) === 0) return undefined;
  if (transactionalId === null || transactionalId === undefined) return { code: ErrorCode.INVALID_RECORD, message: 'a transactional record batch needs the request transactional_id' };
  const producer: TxnProducer = { transactionalId, producerId: records.readBigInt64BE(PRODUCER_ID_OFFSET), producerEpoch: records.readInt16BE(PRODUCER_EPOCH_OFFSET) };
  const txns = transactionsOf(ctx);
  const remote = ctx.broker.txnVerification;
  if (txns === undefined) return refusalOf(ErrorCode.COORDINATOR_NOT_AVAILABLE, producer, topic, partition.index);
  if (remote !== undefined && txns.coordinatorStatus(transactionalId) !== ErrorCode.NONE) {
    return remote.verify(producer, topic, partition)?.then((code) => refusalOf(code, producer, topic, partition.index));
  }
  return refusalOf(txns.verify(producer, [{ topic, partition: partition.index }]), producer, topic, partition.index);
}
