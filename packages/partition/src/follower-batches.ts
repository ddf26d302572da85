// The checks a follower makes on the batches it fetched from its leader before storing them with the
// leader's offsets: every batch whole and CRC-valid, offsets contiguous from the follower's log end
// (gaps only where compaction removed batches), leader epochs never going backwards.
import { InvalidRecordError } from '@mq/errors';
import { iterateBatches, readBatchHeader, type RecordBatchHeader } from '@mq/records';

export interface FollowerBatch {
  readonly batch: Buffer;
  readonly header: RecordBatchHeader;
  readonly lastOffset: bigint;
}

export interface FollowerAppendPlan {
  readonly batches: readonly FollowerBatch[];
  /** New leader epochs in these batches and the offset each starts at, oldest first. */
  readonly epochStarts: readonly { epoch: number; startOffset: bigint }[];
}

/**
 * Splits and checks fetched bytes. `logEndOffset` is where the first batch must start; with
 * `allowGaps` (a compacted topic) a batch may start later. A partial trailing batch (a leader cut at
 * max bytes) is left for the next fetch. Throws InvalidRecordError on a bad CRC, an overlap or gap,
 * or an epoch below `latestEpoch` or below an earlier batch's.
 */
export function planFollowerAppend(records: Buffer, logEndOffset: bigint, latestEpoch: number, allowGaps: boolean): FollowerAppendPlan {
  const batches: FollowerBatch[] = [];
  const epochStarts: { epoch: number; startOffset: bigint }[] = [];
  let expected = logEndOffset;
  let epoch = latestEpoch;
  for (const { batch } of iterateBatches(records, true)) {
    const header = readBatchHeader(batch, 0);
    const base = header.baseOffset;
    if (base < expected || (base > expected && !allowGaps)) {
      throw new InvalidRecordError(`fetched batch starts at offset ${base}, expected ${expected}: offsets are not contiguous`);
    }
    if (header.partitionLeaderEpoch < epoch) {
      throw new InvalidRecordError(`fetched batch at offset ${base} has leader epoch ${header.partitionLeaderEpoch}, below epoch ${epoch} already stored`);
    }
    if (header.partitionLeaderEpoch > epoch) {
      epoch = header.partitionLeaderEpoch;
      epochStarts.push({ epoch, startOffset: base });
    }
    const lastOffset = base + BigInt(header.lastOffsetDelta);
    batches.push({ batch, header, lastOffset });
    expected = lastOffset + 1n;
  }
  return { batches, epochStarts };
}
