// The consumer: either plain (assign() partitions, start from an offset, the log's ends or a
// timestamp) or a group member (subscribe(): partitions come from the group, positions from the
// committed offsets). poll() hands out the records fetched so far, in offset order per partition,
// and sends the next fetch before returning (prefetcher.ts).
import { KafkaError } from '@mq/protocol';
import { type Assignor, type TopicPartition, assignors } from '@mq/assignors';
import type { Cluster } from '../cluster';
import { ClientClosedError, InvalidArgumentError } from '../errors';
import type { ConsumerRecord } from './consumer-record';
import { appendRecords } from './fetched-batches';
import { type PrefetchPartition, Prefetcher } from './prefetcher';
import { GroupMember } from './group-member';
import { type OffsetToCommit, commitOffsets, fetchCommittedOffsets } from './group-offsets';
import { type OffsetSpec, listOffsets } from './list-offsets';

export interface ConsumerOptions {
  /** Set to join a consumer group (subscribe) and commit offsets. */
  groupId?: string;
  /** Where to start when there is no position (and no committed offset); default 'latest'. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Default 500 ms: how long the broker may hold a fetch with no data. */
  maxWaitMs?: number;
  minBytes?: number;
  maxBytes?: number;
  partitionMaxBytes?: number;
  isolationLevel?: 'read_uncommitted' | 'read_committed';
  /** Group assignor from @mq/groups: 'range' (default), 'roundrobin' or 'sticky'. */
  assignor?: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Commit the positions reached by the previous poll at the next poll and on close; default true. */
  autoCommit?: boolean;
  /**
   * Pre-fetching: when poll() hands records out, the next Fetch is already sent for every partition
   * holding fewer fetched-but-not-returned bytes than this, so it travels while the caller works.
   * Default partitionMaxBytes (about one fetch ahead per partition); 0 fetches only inside poll().
   */
  prefetchBytes?: number;
}

export interface AssignedPartition {
  topic: string;
  partition: number;
  /** Start position; default the consumer's autoOffsetReset. */
  offset?: OffsetSpec;
}

interface PartitionState extends PrefetchPartition {
  /** The next offset poll() hands out; null until resolved from `reset` (or the group's committed offset). */
  position: bigint | null;
  reset: Exclude<OffsetSpec, bigint>;
}

/**
 * Assignors for the eager protocol this member speaks (every member gives up all partitions on a
 * rebalance). cooperative-sticky needs incremental revocation and a second rebalance: not offered.
 */
const EAGER_ASSIGNORS: readonly string[] = ['range', 'roundrobin', 'sticky'];

export class Consumer {
  private readonly partitions = new Map<string, PartitionState>();
  private member: GroupMember | undefined;
  private committedPositions = new Map<string, bigint>();
  private closed = false;
  private readonly prefetcher: Prefetcher;
  private readonly prefetchBytes: number;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: ConsumerOptions = {},
  ) {
    const partitionMaxBytes = opts.partitionMaxBytes ?? 1_048_576;
    this.prefetchBytes = opts.prefetchBytes ?? partitionMaxBytes;
    const fetchOptions = {
      maxWaitMs: opts.maxWaitMs ?? 500,
      minBytes: opts.minBytes ?? 1,
      maxBytes: opts.maxBytes ?? 52_428_800,
      partitionMaxBytes,
      isolationLevel: opts.isolationLevel === 'read_committed' ? 1 : 0,
    };
    this.prefetcher = new Prefetcher(cluster, fetchOptions, this.prefetchBytes, (p) => !this.closed && this.partitions.get(key(p.topic, p.partition)) === p);
  }

  /** Plain consumption of explicit partitions (no group). Replaces any previous assignment. */
  assign(list: readonly AssignedPartition[]): void {
    if (this.member) throw new InvalidArgumentError('assign() cannot be mixed with subscribe()');
    this.partitions.clear();
    for (const a of list) this.addPartition(a.topic, a.partition, a.offset);
  }

  /** Joins `groupId` for these topics; the assignment arrives on the first poll(). */
  subscribe(topics: readonly string[]): void {
    const groupId = this.opts.groupId;
    if (!groupId) throw new InvalidArgumentError('subscribe() needs a groupId');
    if (topics.length === 0) throw new InvalidArgumentError('subscribe() needs at least one topic');
    const name = this.opts.assignor ?? 'range';
    const assignor: Assignor | undefined = EAGER_ASSIGNORS.includes(name) ? assignors.get(name) : undefined;
    if (!assignor) throw new InvalidArgumentError(`unknown assignor "${name}" (have ${EAGER_ASSIGNORS.join(', ')})`);
    this.member = new GroupMember(this.cluster, {
      groupId,
      topics,
      assignor,
      sessionTimeoutMs: this.opts.sessionTimeoutMs,
      rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs,
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs,
    });
  }

  /** Moves a partition's position (the next offset poll() returns). */
  seek(topic: string, partition: number, offset: OffsetSpec): void {
    const st = this.partitions.get(key(topic, partition));
    if (!st) throw new InvalidArgumentError(`${topic}-${partition} is not assigned`);
    // What was fetched ahead is for the old position; an answer still in flight is dropped on arrival.
    dropBuffered(st);
    st.outOfRange = false;
    if (typeof offset === 'bigint') st.position = st.fetchOffset = offset;
    else {
      st.position = st.fetchOffset = null;
      st.reset = offset;
    }
  }

  assignment(): TopicPartition[] {
    return [...this.partitions.values()].map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  /** The next offset to read, once known. */
  position(topic: string, partition: number): bigint | null {
    return this.partitions.get(key(topic, partition))?.position ?? null;
  }

  /** High watermark seen by the last fetch of a partition (-1n before the first). */
  highWatermark(topic: string, partition: number): bigint {
    return this.partitions.get(key(topic, partition))?.highWatermark ?? -1n;
  }

  /**
   * The records fetched since the last poll(), or, when there are none, those of the next answer
   * (waiting up to maxWaitMs for data); rejoins the group first when it must. Before returning it
   * sends the next fetch (see prefetchBytes).
   */
  async poll(): Promise<ConsumerRecord[]> {
    if (this.closed) throw new ClientClosedError('consumer');
    this.prefetcher.throwIfFailed();
    if (this.member?.needsRejoin) await this.rejoin();
    // Auto-commit what the previous poll returned (the caller has processed it by now), as Kafka's
    // consumer does: never records that are only about to be handed out.
    if (this.member && (this.opts.autoCommit ?? true)) await this.commitIfMoved().catch(() => {});
    await this.resolvePositions();
    let out = this.takeBuffered();
    if (out.length === 0) {
      await this.prefetcher.start(this.partitions.values());
      if (!this.prefetcher.fetching) {
        // Nothing assigned (e.g. more members than partitions): wait like an empty fetch would. With
        // partitions but no leader to ask, return at once: the metadata refresh is under way.
        if (this.partitions.size === 0) await new Promise((r) => setTimeout(r, this.opts.maxWaitMs ?? 500));
        return [];
      }
      await this.prefetcher.next();
      out = this.takeBuffered();
    }
    if (this.prefetchBytes > 0 && !this.closed) await this.prefetcher.start(this.partitions.values());
    return out;
  }

  /** Hands out every buffered answer, moving positions past it; applies out-of-range resets. */
  private takeBuffered(): ConsumerRecord[] {
    const out: ConsumerRecord[] = [];
    for (const st of this.partitions.values()) {
      // Each record is made here, straight into the array the caller gets.
      for (const r of st.buffered) {
        appendRecords(r.batches, out);
        st.position = r.nextOffset;
      }
      dropBuffered(st);
      if (st.outOfRange) {
        st.outOfRange = false;
        st.position = st.fetchOffset = null;
        st.reset = this.opts.autoOffsetReset ?? 'latest';
      }
    }
    return out;
  }

  /**
   * Commits the current positions of every assigned partition (group mode), or exactly `offsets`
   * (the next offset to read per partition) — for callers that confirm what they processed, with
   * autoCommit off. Offsets of partitions no longer assigned are dropped: their new owner decides.
   */
  async commit(offsets?: readonly OffsetToCommit[]): Promise<void> {
    const member = this.member;
    if (!member) throw new InvalidArgumentError('commit() needs a group (groupId + subscribe)');
    const list = offsets
      ? offsets.filter((o) => this.partitions.has(key(o.topic, o.partition)) && this.committedPositions.get(key(o.topic, o.partition)) !== o.offset)
      : [...this.partitions.values()].filter((p) => p.position !== null).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.position! }));
    if (list.length === 0) return;
    try {
      await commitOffsets(this.cluster, member.groupId, list, { generationId: member.generationId, memberId: member.memberId });
    } catch (err) {
      if (err instanceof KafkaError) member.onMembershipError(err.errorCode);
      throw err;
    }
    for (const o of list) this.committedPositions.set(key(o.topic, o.partition), o.offset);
  }

  /** Async iteration over records, polling until close(). */
  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumerRecord> {
    while (!this.closed) {
      const records = await this.poll();
      for (const r of records) yield r;
    }
  }

  /** Commits (group mode, autoCommit), leaves the group and closes the fetch sessions. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.member && (this.opts.autoCommit ?? true)) await this.commitIfMoved().catch(() => {});
    this.closed = true;
    await Promise.all([this.member?.leave().catch(() => {}), this.prefetcher.close()]);
  }

  private addPartition(topic: string, partition: number, offset: OffsetSpec | undefined): void {
    const spec = offset ?? this.opts.autoOffsetReset ?? 'latest';
    const position = typeof spec === 'bigint' ? spec : null;
    this.partitions.set(key(topic, partition), {
      topic,
      partition,
      position,
      fetchOffset: position,
      reset: typeof spec === 'bigint' ? (this.opts.autoOffsetReset ?? 'latest') : spec,
      highWatermark: -1n,
      buffered: [],
      bufferedBytes: 0,
      inFlight: false,
      outOfRange: false,
    });
  }

  private async rejoin(): Promise<void> {
    const member = this.member!;
    // Commit what we consumed before giving partitions up, so the next owner starts after it.
    if (this.partitions.size > 0 && (this.opts.autoCommit ?? true)) await this.commitIfMoved().catch(() => {});
    const assigned = await member.join();
    this.partitions.clear();
    this.committedPositions.clear();
    for (const tp of assigned) this.addPartition(tp.topic, tp.partition, undefined);
    if (assigned.length === 0) return;
    const committed = await fetchCommittedOffsets(this.cluster, member.groupId, assigned);
    for (const c of committed) {
      const st = this.partitions.get(key(c.topic, c.partition));
      if (st && c.offset >= 0n) {
        st.position = st.fetchOffset = c.offset;
        this.committedPositions.set(key(c.topic, c.partition), c.offset);
      }
    }
  }

  private async commitIfMoved(): Promise<void> {
    const member = this.member;
    // During a rebalance the current generation may still commit (Kafka commits before rejoining).
    if (!member || member.generationId < 0 || member.memberId === '') return;
    const moved = [...this.partitions.values()].filter((p) => p.position !== null && this.committedPositions.get(key(p.topic, p.partition)) !== p.position);
    if (moved.length === 0) return;
    const offsets = moved.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.position! }));
    try {
      await commitOffsets(this.cluster, member.groupId, offsets, { generationId: member.generationId, memberId: member.memberId });
      for (const o of offsets) this.committedPositions.set(key(o.topic, o.partition), o.offset);
    } catch (err) {
      if (err instanceof KafkaError) member.onMembershipError(err.errorCode);
      throw err;
    }
  }

  /** Turns earliest/latest/timestamp specs into offsets, one ListOffsets per spec kind. */
  private async resolvePositions(): Promise<void> {
    const unresolved = [...this.partitions.values()].filter((p) => p.position === null);
    if (unresolved.length === 0) return;
    const bySpec = new Map<string, { spec: Exclude<OffsetSpec, bigint>; list: PartitionState[] }>();
    for (const p of unresolved) {
      const k = typeof p.reset === 'string' ? p.reset : `ts:${p.reset.timestamp}`;
      let e = bySpec.get(k);
      if (!e) bySpec.set(k, (e = { spec: p.reset, list: [] }));
      e.list.push(p);
    }
    for (const { spec, list } of bySpec.values()) {
      const offsets = await listOffsets(this.cluster, list, spec);
      const needLatest: PartitionState[] = [];
      for (const o of offsets) {
        const st = this.partitions.get(key(o.topic, o.partition));
        if (!st) continue;
        // No record at/after the timestamp: start at the end, as Kafka's offsetsForTimes users do.
        if (o.offset < 0n) needLatest.push(st);
        else st.position = st.fetchOffset = o.offset;
      }
      if (needLatest.length > 0) {
        for (const o of await listOffsets(this.cluster, needLatest, 'latest')) {
          const st = this.partitions.get(key(o.topic, o.partition));
          if (st) st.position = st.fetchOffset = o.offset;
        }
      }
    }
  }
}

function dropBuffered(st: PartitionState): void {
  st.buffered.length = 0;
  st.bufferedBytes = 0;
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
