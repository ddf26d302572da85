// Loading a shard (Kafka's CoordinatorLoader): every record of the coordinator partition from its
// log start to its high watermark, in offset order, decoded and handed to the shard's replay — the
// same replay live writes use after their append. Control batches and keyless records are skipped.
import type { Partition } from '@mq/partition';
import { decodeRecordBatch, isControlBatch, iterateBatches } from '@mq/records';
import type { CoordinatorRecordSerde } from './coordinator-record-serde';

const LOAD_READ_BYTES = 1024 * 1024;

export interface LoadSummary {
  /** Records replayed. */
  readonly records: number;
  /** Records the serde could not read (reported through onSkip). */
  readonly skipped: number;
  /** The offset loading stopped at (the high watermark when it started). */
  readonly endOffset: bigint;
}

export async function loadPartition<R>(
  partition: Partition,
  serde: CoordinatorRecordSerde<R>,
  replay: (record: R, offset: bigint) => void,
  onSkip: (err: unknown, offset: bigint) => void,
  isCancelled: () => boolean = () => false,
): Promise<LoadSummary> {
  let offset = partition.logStartOffset;
  const end = partition.highWatermark;
  let records = 0;
  let skipped = 0;
  while (offset < end && !isCancelled()) {
    const chunk = await partition.read(offset, LOAD_READ_BYTES, end);
    if (chunk.length === 0) break;
    let next = offset;
    for (const { batch } of iterateBatches(chunk)) {
      const decoded = await decodeRecordBatch(batch);
      const h = decoded.header;
      next = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
      if (isControlBatch(h)) continue;
      for (const r of decoded.records) {
        // A compacted batch may start before `offset`: what was already replayed is skipped.
        if (r.offset < offset || r.key === null) continue;
        let record: R;
        try {
          // Keys and values are views into the read chunk; the serde copies what it keeps.
          record = serde.deserialize(r.key, r.value);
        } catch (err) {
          skipped++;
          onSkip(err, r.offset);
          continue;
        }
        replay(record, r.offset);
        records++;
      }
    }
    if (next <= offset) break;
    offset = next;
  }
  return { records, skipped, endOffset: offset };
}
