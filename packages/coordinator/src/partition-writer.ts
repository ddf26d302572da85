// Where coordinator records go (Kafka's PartitionWriter): one append of a batch of records to the
// coordinator partition, atomic (one RecordBatch), resolving once it is acknowledged under the
// partition's flush policy. PartitionRecordWriter is the one over a real @mq/partition Partition.
import type { Partition } from '@mq/partition';
import { buildRecordBatch } from '@mq/records';
import type { RawRecord } from './coordinator-record-serde';

export interface PartitionWriter {
  /** Appends `records` as one batch; resolves with the offset of the first one. */
  append(records: readonly RawRecord[]): Promise<bigint>;
}

export class PartitionRecordWriter implements PartitionWriter {
  constructor(
    private readonly partition: Partition,
    private readonly now: () => number = Date.now,
  ) {}

  async append(records: readonly RawRecord[]): Promise<bigint> {
    const batch = await buildRecordBatch({
      records: records.map((r) => ({ key: r.key, value: r.value })),
      now: this.now,
    });
    const result = await this.partition.append(batch);
    return result.baseOffset;
  }
}
