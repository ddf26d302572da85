// The fetch half of a ShareFetch: acquires records for the member from every partition of its share
// session, within maxRecords and maxBytes, and makes the acquisitions durable before they are
// answered. Only while the request still owns its session: a client never sends the next request
// of a session before the previous one is answered, so a newer request of the member — the next
// epoch, a new session (epoch 0) or its close — means the client gave up on this one (it timed out
// while the broker waited for a share-partition's state, say, during a failover). Such a request
// acquires nothing more, and what it acquired meanwhile is released at once: no record stays
// locked to a member that never received it until its lock runs out.
import type { Partition, TopicManager } from '@mq/partition';
import { ErrorCode as E, kafkaErrorCode } from '@mq/protocol';
import { type AcquireContext, acquireFromLog } from './log-acquirer';
import { AcknowledgeType } from './record-state';
import type { AcquiredRecords, SharePartition } from './share-partition';
import type { ShareFetchPartition } from './share-protocol';
import type { ShareSession } from './share-session';

export interface SessionFetchContext {
  readonly topicManager: TopicManager;
  sharePartition(groupId: string, topicId: string, partition: Partition): Promise<SharePartition>;
  acquireContext(sp: SharePartition): AcquireContext;
  persist(sp: SharePartition): Promise<void>;
  onError?(err: unknown, context: string): void;
}

export interface SessionFetch {
  readonly groupId: string;
  readonly memberId: string;
  readonly session: ShareSession;
  /** Whether the session is still the member's, at this request's epoch. */
  readonly owned: () => boolean;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** The response entry of a partition (created on first use). */
  readonly entry: (topicId: string, partitionIndex: number) => ShareFetchPartition;
  /**
   * The share-partitions this request has used, each told beginFetch(member) once: the request
   * competes for their locks until it ends (parked included), and the caller calls endFetch.
   */
  readonly touched: Set<SharePartition>;
}

/** Acquires for the member from its session's partitions; resolves with the number of records acquired and answered. */
export async function fetchForSession(ctx: SessionFetchContext, f: SessionFetch): Promise<number> {
  let budget = f.maxRecords;
  let bytes = f.maxBytes > 0 ? f.maxBytes : 0x7fffffff;
  let acquired = 0;
  const got: { sp: SharePartition; topicId: string; partition: number; ranges: readonly AcquiredRecords[] }[] = [];
  for (const { topicId, partition } of f.session.partitions.values()) {
    if (budget <= 0 || bytes <= 0 || !f.owned()) break;
    const topic = ctx.topicManager.getById(topicId);
    const p = topic?.partition(partition);
    if (topic === undefined || p === undefined) {
      f.entry(topicId, partition).errorCode = topic === undefined ? E.UNKNOWN_TOPIC_ID : E.UNKNOWN_TOPIC_OR_PARTITION;
      continue;
    }
    try {
      const sp = await ctx.sharePartition(f.groupId, topicId, p);
      if (!f.owned()) break;
      if (!f.touched.has(sp)) {
        f.touched.add(sp);
        sp.beginFetch(f.memberId);
      }
      const from = await acquireFromLog(sp, p, f.memberId, budget, bytes, ctx.acquireContext(sp));
      if (from.acquired.length === 0) continue;
      got.push({ sp, topicId, partition, ranges: from.acquired });
      const e = f.entry(topicId, partition);
      e.records = from.records;
      e.acquiredRecords = from.acquired;
      for (const a of from.acquired) {
        const n = Number(a.lastOffset - a.firstOffset + 1n);
        budget -= n;
        acquired += n;
      }
      for (const r of from.records) bytes -= r.length;
    } catch (err) {
      ctx.onError?.(err, `share fetch ${topicId}-${partition}`);
      f.entry(topicId, partition).errorCode = kafkaErrorCode(err);
    }
  }
  // Delivery counts are durable too: after a restart a redelivery counts as one more.
  const persistAll = () => Promise.all([...new Set(got.map((g) => g.sp))].map((sp) => ctx.persist(sp).catch((err: unknown) => ctx.onError?.(err, 'persisting acquisitions'))));
  await persistAll();
  if (got.length === 0 || f.owned()) return acquired;
  // Given up on by its client: hand the records back (their delivery counts stay raised) and answer none.
  for (const g of got) {
    for (const r of g.ranges) g.sp.acknowledge(f.memberId, [{ firstOffset: r.firstOffset, lastOffset: r.lastOffset, acknowledgeTypes: [AcknowledgeType.RELEASE] }]);
    const e = f.entry(g.topicId, g.partition);
    e.records = null;
    e.acquiredRecords = [];
  }
  await persistAll();
  return 0;
}
