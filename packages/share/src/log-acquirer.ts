// Reads a share-partition's records from the log and acquires them for a member: from the first
// available offset, batch by batch up to the high watermark, within maxRecords and maxBytes. Only
// batches holding an acquired record are returned (whole, as stored: the client filters by the
// acquired ranges); control batches are never delivered. Expired records (mq-ttl-ms,
// mq.message.ttl.ms) are archived instead of acquired. Once the share-partition has seen an
// mq-priority header, a fetch looks ahead up to mq.priority.window.records past the start offset
// and hands records out by the lanes' Deficit Round Robin (PriorityLanes).
import type { Partition } from '@mq/partition';
import { CONTROL_FLAG_MASK, iterateBatches, readAttributes, readBaseOffset, readLastOffsetDelta } from '@mq/records';
import { LANE_COUNT, type PriorityLanes } from './priority-lanes';
import { type QueueRecordMeta, queueRecordMeta } from './queue-record-meta';
import type { AcquiredRecords, LogRange, SharePartition } from './share-partition';

export interface AcquiredFromLog {
  readonly records: Buffer[];
  readonly acquired: AcquiredRecords[];
}

/** What an acquisition needs besides the share-partition and its log. */
export interface AcquireContext {
  /** Wall clock (record timestamps, expiry) and monotonic clock (starvation), ms. */
  readonly now: number;
  readonly monotonic: number;
  /** The share-partition's lanes; prioritised once a record with mq-priority was seen. */
  readonly lanes: PriorityLanes & { prioritised?: boolean };
}

/** Reads per call at most this many times (each read starts past the last): bounds one fetch's work. */
const MAX_READS = 4;

interface Slice {
  readonly batch: Buffer;
  readonly range: LogRange;
  readonly meta: readonly QueueRecordMeta[];
}

export async function acquireFromLog(sp: SharePartition, partition: Partition, memberId: string, maxRecords: number, maxBytes: number, ctx?: AcquireContext): Promise<AcquiredFromLog> {
  const records: Buffer[] = [];
  const acquired: AcquiredRecords[] = [];
  if (partition.logStartOffset > sp.startOffset) sp.archiveBefore(partition.logStartOffset);
  const share = partition.topicConfig.share;
  const now = ctx?.now ?? Date.now();
  let budget = maxRecords;
  let bytesLeft = maxBytes;
  let from = sp.nextFetchOffset();
  for (let read = 0; read < MAX_READS && budget > 0 && bytesLeft > 0 && sp.acquirable(memberId) > 0; read++) {
    const prioritised = ctx?.lanes.prioritised === true;
    // Looking ahead for other lanes is bounded: the window never spans more than mq.priority.window.records.
    let windowEnd = prioritised ? sp.startOffset + BigInt(share.priorityWindowRecords) : undefined;
    const hw = partition.highWatermark;
    if (from >= hw || (windowEnd !== undefined && from >= windowEnd)) break;
    const buf = await partition.read(from, bytesLeft, hw, records.length === 0);
    if (buf.length === 0) break;
    const slices: Slice[] = [];
    // Decoded only as far as needed: in offset order, until the batches hold enough candidates for
    // this fetch (a read of maxBytes may hold thousands of records more than it can acquire).
    const room = Math.min(budget, sp.acquirable(memberId));
    let candidates = 0;
    for (const slice of iterateBatches(buf, false)) {
      const firstOffset = readBaseOffset(slice.batch);
      if (windowEnd !== undefined && firstOffset >= windowEnd && slices.length > 0) break;
      if (windowEnd === undefined && candidates >= room) break;
      const lastOffset = firstOffset + BigInt(readLastOffsetDelta(slice.batch));
      const skip = (readAttributes(slice.batch) & CONTROL_FLAG_MASK) !== 0;
      const meta = skip ? [] : await queueRecordMeta(slice.batch, share.messageTtlMs);
      for (const m of meta) {
        if (sp.isCandidate(m.offset) && (m.expiresAt === undefined || now < m.expiresAt)) candidates++;
        // The first mq-priority header seen: from now on (this fetch included) look ahead for the lanes.
        if (m.prioritised && windowEnd === undefined) windowEnd = sp.startOffset + BigInt(share.priorityWindowRecords);
      }
      slices.push({ batch: slice.batch, range: { firstOffset, lastOffset, skip }, meta });
    }
    if (slices.length === 0) break;
    const readEnd = slices[slices.length - 1]!.range.lastOffset + 1n;
    // Synchronous from here to the end of the loop body: the acquisition sees one state.
    const expired = new Set<bigint>();
    const byLane: bigint[][] = Array.from({ length: LANE_COUNT }, () => []);
    let seenPriority = prioritised;
    for (const s of slices) {
      for (const m of s.meta) {
        if (!sp.isCandidate(m.offset) || (windowEnd !== undefined && m.offset >= windowEnd)) continue;
        if (m.expiresAt !== undefined && now >= m.expiresAt) expired.add(m.offset);
        else byLane[m.lane]!.push(m.offset);
        if (m.prioritised) seenPriority = true;
      }
    }
    if (seenPriority && ctx !== undefined) ctx.lanes.prioritised = true;
    const ranges = slices.map((s) => s.range);
    let got: AcquiredRecords[];
    if (seenPriority && ctx !== undefined) {
      const room = Math.min(budget, sp.acquirable(memberId));
      const only = new Set(ctx.lanes.choose(byLane, room, { weights: share.priorityWeights, strict: share.priorityStrict, starvationMs: share.priorityStarvationMs }, ctx.monotonic));
      let until: bigint | undefined;
      for (const o of only) if (until === undefined || o > until) until = o;
      for (const o of expired) if (until === undefined || o > until) until = o;
      got = until === undefined ? [] : sp.acquire(memberId, ranges, budget, { expired, only, until });
    } else {
      got = sp.acquire(memberId, ranges, budget, { expired });
    }
    for (const s of slices) {
      if (got.some((g) => g.firstOffset <= s.range.lastOffset && g.lastOffset >= s.range.firstOffset)) {
        records.push(s.batch);
        bytesLeft -= s.batch.length;
      }
    }
    for (const g of got) budget -= Number(g.lastOffset - g.firstOffset + 1n);
    acquired.push(...got);
    const next = sp.nextFetchOffset();
    from = next > readEnd ? next : readEnd;
  }
  return { records, acquired };
}
