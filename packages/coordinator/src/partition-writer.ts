// Where coordinator records go (Kafka's PartitionWriter): one append of a batch of records to the
// coordinator partition, atomic (one RecordBatch), resolving once it is acknowledged under the
// partition's flush policy (and, replicated, once the ISR has it). PartitionRecordWriter is the one over a real @mq/partition Partition.
import type { Partition } from '@mq/partition';
import { buildRecordBatch } from '@mq/records';
import type { RawRecord } from './coordinator-record-serde';

export interface PartitionWriter {
  /** Appends `records` as one batch; resolves with the offset of the first one. */
  append(records: readonly RawRecord[]): Promise<bigint>;
}

/**
 * What a replicated partition adds around the append (the broker builds it over @mq/replication):
 * a leadership check before, and the wait for the ISR (acks=all) after.
 */
export interface ReplicatedAppend {
  /** Throws a KafkaError (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS) when this broker may not append now. */
  beforeAppend(partition: Partition): void;
  /** Resolves once every ISR member has the records through `lastOffset`; rejects with a KafkaError. */
  afterAppend(partition: Partition, lastOffset: bigint): Promise<void>;
}

export class PartitionRecordWriter implements PartitionWriter {
  constructor(
    private readonly partition: Partition,
    private readonly now: () => number = Date.now,
    private readonly replicated?: ReplicatedAppend,
  ) {}

  async append(records: readonly RawRecord[]): Promise<bigint> {
    const batch = await buildRecordBatch({
      records: records.map((r) => ({ key: r.key, value: r.value })),
      now: this.now,
    });
    this.replicated?.beforeAppend(this.partition);
    const result = await this.partition.append(batch);
    await this.replicated?.afterAppend(this.partition, result.lastOffset);
    return result.baseOffset;
  }
}
