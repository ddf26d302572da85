// The available records of one share-partition per priority lane, as a share fetch would choose
// among them: from the start offset up to the high watermark, but never past the look-ahead window
// (mq.priority.window.records) — the same bound the acquirer scans, so a scrape costs at most what
// one prioritised fetch does. Expired records (mq-ttl-ms, mq.message.ttl.ms) are not available.
// Read from the log when asked (metrics at scrape time): the fetch path pays nothing for it.
import type { Partition } from '@mq/partition';
import { CONTROL_FLAG_MASK, iterateBatches, readAttributes, readBaseOffset, readLastOffsetDelta } from '@mq/records';
import { LANE_COUNT } from './priority-lanes';
import { queueRecordMeta } from './queue-record-meta';
import type { SharePartition } from './share-partition';

/** Bytes asked of the log per read while counting. */
const READ_BYTES = 1 << 20;

/** Available records per lane (index 0 … 4) in `sp`'s look-ahead window at wall-clock `now` (ms). */
export async function availableByLane(sp: SharePartition, partition: Partition, now: number): Promise<number[]> {
  const counts = new Array<number>(LANE_COUNT).fill(0);
  const share = partition.topicConfig.share;
  const hw = partition.highWatermark;
  const windowEnd = sp.startOffset + BigInt(share.priorityWindowRecords);
  const end = hw < windowEnd ? hw : windowEnd;
  let from = sp.startOffset > partition.logStartOffset ? sp.startOffset : partition.logStartOffset;
  while (from < end) {
    const buf = await partition.read(from, READ_BYTES, end, true);
    if (buf.length === 0) break;
    let next = from;
    for (const slice of iterateBatches(buf, false)) {
      const lastOffset = readBaseOffset(slice.batch) + BigInt(readLastOffsetDelta(slice.batch));
      next = lastOffset + 1n;
      if ((readAttributes(slice.batch) & CONTROL_FLAG_MASK) !== 0) continue;
      for (const m of await queueRecordMeta(slice.batch, share.messageTtlMs)) {
        if (m.offset < from || m.offset >= end || !sp.isCandidate(m.offset)) continue;
        if (m.expiresAt !== undefined && now >= m.expiresAt) continue;
        counts[m.lane]!++;
      }
    }
    if (next <= from) break; // nothing past `from` came back: the log ends here
    from = next;
  }
  return counts;
}
