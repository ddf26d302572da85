// The remote half of the produce path's transaction check (KIP-890 part 1, as Kafka's
// AddPartitionsToTxnManager with the partition's verification state): a transactional batch whose
// transactional id is coordinated on another broker is appended only once that coordinator has
// said the partition is in the producer's open transaction. Only a transaction's first batch in the
// partition is asked about; once the partition holds the producer's open transaction (same epoch)
// its later batches are appended at once, as Kafka's hasOngoingTransaction.
// Order: batches of one producer to one partition are appended in the order they arrived (their
// sequence numbers demand it), so a batch waits for every earlier verification of the same producer
// and partition; after one that succeeded with the same epoch it is not asked about again.
import { ErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import type { TxnPartitionVerifier, TxnProducer } from './handler';

interface InFlight {
  readonly producerEpoch: number;
  readonly code: Promise<number>;
}

export class TxnProduceVerification {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly verifier: TxnPartitionVerifier) {}

  /** Asks the coordinator every time (TxnOffsetCommit: once per transaction and group, no order to keep). */
  verifyEach(producer: TxnProducer, topic: string, partition: number): Promise<number> {
    return this.verifier.verify(producer, topic, partition);
  }

  /**
   * undefined: the batch may be appended now. Else the coordinator's code for the partition, once
   * the earlier verifications of this producer and partition settled; the caller appends in a
   * reaction to it (before any later batch's verification goes on).
   */
  verify(producer: TxnProducer, topic: string, partition: Partition): Promise<number> | undefined {
    const key = `${topic}\u0000${partition.index}\u0000${producer.producerId}`;
    const before = this.inFlight.get(key);
    if (before === undefined && partition.hasOngoingTransaction(producer.producerId, producer.producerEpoch)) return undefined;
    const ask = () => this.verifier.verify(producer, topic, partition.index);
    const code =
      before === undefined ? ask() : before.code.then((prior) => (prior === ErrorCode.NONE && before.producerEpoch === producer.producerEpoch ? ErrorCode.NONE : ask()));
    const entry: InFlight = { producerEpoch: producer.producerEpoch, code };
    this.inFlight.set(key, entry);
    void code.then(() => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    });
    return code;
  }
}
