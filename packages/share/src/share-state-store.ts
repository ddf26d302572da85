// ShareStateStore: share-partition state made durable in the internal topic __share_group_state on
// @mq/coordinator's runtime (Kafka's share coordinator + persister in one). A share-partition's key
// (group:topicId:partition) picks the partition; a change is written as a ShareUpdate delta, and
// every snapshotUpdateRecordsPerSnapshot updates (or after a failed write) as a ShareSnapshot of
// the whole window. Reads are the replayed shard state, so what a restart loads is what was written.
// Group commit: the records written to one partition while its previous append is in flight (or in
// the same event-loop turn) go out as one append — one fsync / one ISR round trip for many share
// fetches and acknowledgements — and each write still resolves only once that append is durable.
// In a cluster (`leadership`) the topic is replicated: a partition's shard is loaded where it is
// led and unloaded where it stops being (followLeadership, as the group coordinator), and the data
// partitions' leaders read and write through readForLeader / writeFromLeader (the persister API),
// fenced by their leader epoch.
// Pruning (Kafka's share coordinator's periodic deleteRecords): every pruneIntervalMs each partition
// led here moves its log start to the shard's redundantBefore() — the earliest offset still needed
// by a live share-partition (its latest snapshot) — so the topic does not grow without bound; the
// replicas follow the leader's log start. A load replays from the log start: the same state. A
// share-partition whose latest snapshot is older than the previous prune (a quiet one, or one
// written too rarely to reach its next snapshot) would hold every later record back: while the
// partition is written to, it gets a fresh snapshot of its state first (Kafka snapshots its cold
// share-partitions for the same reason).
import { type CoordinatorLeadershipSource, CoordinatorRuntime, followLeadership, type LoadSummary } from '@mq/coordinator';
import type { Partition, TopicManager } from '@mq/partition';
import { ErrorCode, KafkaError } from '@mq/protocol';
import type { Clock } from '@mq/timerwheel';
import { type SharePartitionKey, type ShareStateRecord, sharePartitionKeyString as keyId } from './records/share-state-record';
import { shareStateRecordSerde } from './records/share-state-serde';
import { ShareError } from './share-error';
import type { ShareState } from './share-partition';
import { shareStatePartitionFor } from './share-persister';
import { ShareStateShard } from './share-state-shard';
import { stateBatchProblem } from './state-ranges';

export const SHARE_GROUP_STATE_TOPIC = '__share_group_state';

/** Delete policy, kept forever: a delta must not be compacted away before the snapshot after it. */
export function shareGroupStateTopicConfigs(): Record<string, string> {
  return { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };
}

export interface ShareStateStoreOptions {
  topicManager: TopicManager;
  clock: Clock;
  numPartitions: number;
  snapshotUpdateRecordsPerSnapshot: number;
  /** share.coordinator.state.topic.prune.interval.ms: how often redundant records are deleted; 0: never. */
  pruneIntervalMs?: number;
  onError?: (err: unknown, context: string) => void;
  /** A cluster's leadership of the replicated topic (the controller creates it); absent on one node. */
  leadership?: CoordinatorLeadershipSource;
  onLoaded?: (partitionIndex: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) => void;
  onUnloaded?: (partitionIndex: number) => void;
}

/** A __share_group_state partition whose log start a prune moved. */
export interface PrunedPartition {
  readonly partition: number;
  readonly logStartOffset: bigint;
}

/** Records one append carries at most (a batch far below message.max.bytes: a state record is ~100 B plus its batches). */
const MAX_RECORDS_PER_APPEND = 1000;

/** The records waiting for one partition's next append, and who waits for it. */
interface PendingAppend {
  readonly records: ShareStateRecord[];
  readonly progress: KeyProgress[];
  readonly done: Promise<void>;
}

interface KeyProgress {
  snapshotEpoch: number;
  stateEpoch: number;
  updatesSinceSnapshot: number;
  /** A write failed: the next one is a whole snapshot, so the lost delta cannot matter. */
  snapshotDue: boolean;
  /** The shard load this was computed under: a reload (leadership came back) starts afresh. */
  readonly loadedFrom: Partition | undefined;
}

export class ShareStateStore {
  private readonly runtime: CoordinatorRuntime<ShareStateShard, ShareStateRecord>;
  private partitionCount = 0;
  private starting: Promise<void> | undefined;
  private closed = false;
  /** Per share-partition written so far by this broker (scheduled, not only replayed): decides snapshot vs update in call order. */
  private readonly progress = new Map<string, KeyProgress>();
  /** Per __share_group_state partition: the append that has not started yet (later writes join it). */
  private readonly pending = new Map<number, PendingAppend>();
  /** Cluster: each key's state as written so far by the leaders (what a snapshot of it holds), and the newest leader epoch seen. */
  private readonly written = new ShareStateShard();
  private readonly claims = new Map<string, number>();
  private unfollow: (() => void) | undefined;
  private cancelPruneTimer: (() => void) | undefined;
  private pruning: Promise<PrunedPartition[]> | undefined;
  /** Per partition, its end offset after the previous prune: keys snapshotted before it are snapshotted afresh once more is written. */
  private readonly pruneMarks = new Map<number, { readonly loadedFrom: Partition; readonly endOffset: bigint }>();

  constructor(private readonly opts: ShareStateStoreOptions) {
    if (!Number.isInteger(opts.numPartitions) || opts.numPartitions < 1) {
      throw new ShareError('INVALID_CONFIG', `share.coordinator.state.topic.num.partitions must be a positive integer, got ${opts.numPartitions}`);
    }
    const onError = opts.onError ?? (() => {});
    this.runtime = new CoordinatorRuntime<ShareStateShard, ShareStateRecord>({
      name: 'share coordinator',
      serde: shareStateRecordSerde,
      clock: opts.clock,
      onError,
      onUnreadableRecord: (err, p, offset) =>
        onError(new ShareError('CORRUPT_ENCODING', `${SHARE_GROUP_STATE_TOPIC}-${p} offset ${offset}`, { cause: err }), 'skipping an unreadable __share_group_state record'),
      shardFactory: () => new ShareStateShard(),
      ...(opts.leadership !== undefined ? { writerFor: (p: Partition) => opts.leadership!.writerFor(p) } : {}),
    });
    if (opts.leadership !== undefined) {
      this.unfollow = followLeadership(
        this.runtime,
        SHARE_GROUP_STATE_TOPIC,
        opts.leadership,
        { onError, ...(opts.onLoaded !== undefined ? { onLoaded: opts.onLoaded } : {}), ...(opts.onUnloaded !== undefined ? { onUnloaded: opts.onUnloaded } : {}) },
        () => opts.clock.now(),
      );
    }
    this.schedulePrune();
  }

  /**
   * Deletes the records of every partition active here that no share-partition needs any more (the
   * log start moves to the shard's redundantBefore(), never past the high watermark); resolves with
   * the partitions whose log start moved. One prune at a time: a call during one joins it.
   */
  prune(): Promise<PrunedPartition[]> {
    this.pruning ??= this.pruneAll().finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
  }

  private schedulePrune(): void {
    const interval = this.opts.pruneIntervalMs ?? 0;
    if (interval <= 0 || this.closed) return;
    this.cancelPruneTimer = this.opts.clock.schedule(interval, () => {
      this.cancelPruneTimer = undefined;
      void this.prune().finally(() => this.schedulePrune());
    });
  }

  private async pruneAll(): Promise<PrunedPartition[]> {
    const moved: PrunedPartition[] = [];
    for (const p of this.runtime.partitions()) {
      if (this.closed) break;
      try {
        const logStartOffset = await this.prunePartition(p);
        if (logStartOffset !== undefined) moved.push({ partition: p, logStartOffset });
      } catch (err) {
        // The partition closing or moving under the prune: the next one tries again.
        this.opts.onError?.(err, `pruning ${SHARE_GROUP_STATE_TOPIC}-${p}`);
      }
    }
    return moved;
  }

  /** One partition's prune; resolves with its new log start when it moved. */
  private async prunePartition(p: number): Promise<bigint | undefined> {
    const partition = this.runtime.loadedPartition(p);
    const shard = this.runtime.shard(p);
    if (partition === undefined || shard === undefined) return undefined;
    const mark = this.pruneMarks.get(p);
    // Only while the partition is written to: an idle one keeps its snapshots where they are (else
    // quiet keys would take turns snapshotting afresh forever).
    if (mark !== undefined && mark.loadedFrom === partition && shard.endOffset > mark.endOffset) {
      const stale = shard.keysSnapshottedBefore(mark.endOffset);
      for (let i = 0; i < stale.length; i += MAX_RECORDS_PER_APPEND) {
        const keys = stale.slice(i, i + MAX_RECORDS_PER_APPEND);
        // Read when its turn on the shard's loop comes: every record appended before it is replayed,
        // so the snapshot is exactly the state at its place in the log.
        await this.runtime.scheduleWriteOperation('share-state-resnapshot', p, (s) => ({
          records: keys.flatMap((key) => s.snapshotRecordOf(key) ?? []),
          response: undefined,
        }));
      }
    }
    const current = this.runtime.shard(p);
    if (current === undefined || this.runtime.loadedPartition(p) !== partition) return undefined;
    this.pruneMarks.set(p, { loadedFrom: partition, endOffset: current.endOffset });
    const before = current.redundantBefore();
    const target = before < partition.highWatermark ? before : partition.highWatermark;
    if (target <= partition.logStartOffset) return undefined;
    return partition.deleteRecordsBefore(target);
  }

  /** Whether a cluster's leadership drives this store (the data partitions' leaders use the persister API). */
  get clustered(): boolean {
    return this.opts.leadership !== undefined;
  }

  /** Whether the topic exists already (then open() loads it at start). */
  get exists(): boolean {
    return !this.clustered && this.opts.topicManager.get(SHARE_GROUP_STATE_TOPIC) !== undefined;
  }

  /** Creates __share_group_state if needed and loads every partition. Idempotent; a failure lets the next call retry. */
  prepare(): Promise<void> {
    if (this.closed) return Promise.reject(new ShareError('COORDINATOR_CLOSED', 'share coordinator is closed'));
    // In a cluster the controller creates the topic and leadership loads its partitions.
    if (this.clustered) return Promise.resolve();
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  get ready(): boolean {
    return this.partitions > 0;
  }

  /** Partitions of __share_group_state (0 while it does not exist): the image's in a cluster. */
  private get partitions(): number {
    return this.opts.leadership === undefined ? this.partitionCount : (this.opts.leadership.partitionCount(SHARE_GROUP_STATE_TOPIC) ?? 0);
  }

  private async start(): Promise<void> {
    const topic = await this.opts.topicManager.ensureInternalTopic(SHARE_GROUP_STATE_TOPIC, this.opts.numPartitions, shareGroupStateTopicConfigs());
    // Single node: every partition is led here. With replication, load/unload follow leadership.
    for (const p of topic.partitions) if (this.runtime.status(p.index) === undefined) await this.runtime.load(p.index, p);
    this.partitionCount = topic.partitions.length;
  }

  private partitionOf(key: SharePartitionKey): number {
    const n = this.partitions;
    if (n === 0) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, `${SHARE_GROUP_STATE_TOPIC} does not exist yet`);
    return shareStatePartitionFor(key, n);
  }

  // ---- the persister API (a cluster's data-partition leaders) ----

  /** A leader at `leaderEpoch` starts on the key: its durable state (all appends before settled), and older leaders fenced. */
  async readForLeader(key: SharePartitionKey, leaderEpoch: number): Promise<ShareState | undefined> {
    const p = this.partitionOf(key);
    this.fence(key, p, leaderEpoch);
    await this.pending.get(p)?.done.catch(() => undefined);
    // What an earlier leader wrote but did not get durable is not the new leader's starting point.
    this.progress.delete(keyId(key));
    this.written.replay({ type: 'snapshot', key, value: null });
    return this.runtime.readOperation(p, (s) => s.read(key));
  }

  /** Merges a leader's change into the key's state: an update, or a snapshot of the merged state when one is due. */
  async writeFromLeader(key: SharePartitionKey, leaderEpoch: number, change: ShareState): Promise<void> {
    // Another broker's word, so checked: a malformed batch is refused before it reaches the log.
    if (change.startOffset < -1n) throw new KafkaError(ErrorCode.INVALID_REQUEST, `start offset ${change.startOffset} is neither an offset nor -1 (unchanged)`);
    const base = change.startOffset >= 0n ? change.startOffset : (this.written.read(key)?.startOffset ?? 0n);
    for (const b of change.stateBatches) {
      const problem = stateBatchProblem(b, base);
      if (problem !== undefined) throw new KafkaError(ErrorCode.INVALID_REQUEST, `share state of ${key.groupId} ${key.topicId}-${key.partition}: ${problem}`);
    }
    const p = this.partitionOf(key);
    this.fence(key, p, leaderEpoch);
    // Seeds `written` from the durable state when this key is new here (or the shard was reloaded).
    this.progressOf(keyId(key), key, p);
    const value = { snapshotEpoch: 0, stateEpoch: 0, leaderEpoch, startOffset: change.startOffset, stateBatches: change.stateBatches };
    // No state yet (the leader initializes it): the change is the whole state.
    this.written.replay(this.written.read(key) === undefined ? { type: 'snapshot', key, value } : { type: 'update', key, value });
    await this.write(key, change, () => this.written.read(key)!, leaderEpoch);
  }

  /**
   * ReadShareGroupStateSummary: the durable start offset and state epoch of a key (undefined: no
   * state), after the appends queued before it settled. Claims nothing: the offsets admin asks, not
   * a leader. NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS where the partition is not active here.
   */
  async readSummary(key: SharePartitionKey): Promise<{ stateEpoch: number; startOffset: bigint } | undefined> {
    const p = this.partitionOf(key);
    await this.pending.get(p)?.done.catch(() => undefined);
    return this.runtime.readOperation(p, (s) => {
      const state = s.read(key);
      return state === undefined ? undefined : { stateEpoch: s.info(key)?.stateEpoch ?? 0, startOffset: state.startOffset };
    });
  }

  /** Refuses a leader older than the newest that read or wrote the key (FENCED_LEADER_EPOCH); remembers a newer one. */
  private fence(key: SharePartitionKey, p: number, leaderEpoch: number): void {
    const id = keyId(key);
    const persisted = this.runtime.readOperation(p, (s) => s.info(key))?.leaderEpoch ?? -1;
    const newest = Math.max(persisted, this.claims.get(id) ?? -1);
    if (leaderEpoch < newest) {
      throw new KafkaError(ErrorCode.FENCED_LEADER_EPOCH, `share state of ${key.groupId} ${key.topicId}-${key.partition}: leader epoch ${leaderEpoch} is older than ${newest}`);
    }
    this.claims.set(id, leaderEpoch);
  }

  /** The persisted state of a share-partition (after prepare()), undefined when it has none. */
  read(key: SharePartitionKey): ShareState | undefined {
    return this.runtime.readOperation(this.partitionOf(key), (s) => s.read(key));
  }

  /** Every share-partition with persisted state. */
  keys(): SharePartitionKey[] {
    return this.runtime.partitions().flatMap((p) => (this.runtime.status(p) === 'active' ? this.runtime.readOperation(p, (s) => s.keys()) : []));
  }

  /**
   * Writes a change: a delta, or the `snapshot()` of the whole window when one is due. Both are
   * computed now, so records reach the log in call order. Resolves once appended and replayed.
   */
  async write(key: SharePartitionKey, delta: ShareState, snapshot: () => ShareState, leaderEpoch = 0): Promise<void> {
    const id = keyId(key);
    const p = this.partitionOf(key);
    const progress = this.progressOf(id, key, p);
    let record: ShareStateRecord;
    if (progress.snapshotDue || progress.updatesSinceSnapshot >= this.opts.snapshotUpdateRecordsPerSnapshot) {
      progress.snapshotEpoch = (progress.snapshotEpoch + 1) & 0xffff;
      progress.updatesSinceSnapshot = 0;
      progress.snapshotDue = false;
      const s = snapshot();
      record = { type: 'snapshot', key, value: { snapshotEpoch: progress.snapshotEpoch, stateEpoch: progress.stateEpoch, leaderEpoch, startOffset: s.startOffset, stateBatches: s.stateBatches } };
    } else {
      progress.updatesSinceSnapshot++;
      record = { type: 'update', key, value: { snapshotEpoch: progress.snapshotEpoch, leaderEpoch, startOffset: delta.startOffset, stateBatches: delta.stateBatches } };
    }
    await this.append(p, record, progress);
  }

  /**
   * Adds `record` to partition p's next append. The append is queued on the shard's loop at once;
   * until its turn comes (the previous append durable) every write to p joins it, in call order.
   */
  private append(p: number, record: ShareStateRecord, progress: KeyProgress): Promise<void> {
    let next = this.pending.get(p);
    if (next === undefined || next.records.length >= MAX_RECORDS_PER_APPEND) {
      const records: ShareStateRecord[] = [];
      const waiting: KeyProgress[] = [];
      const done = this.runtime.scheduleWriteOperation('share-state', p, () => {
        if (this.pending.get(p)?.records === records) this.pending.delete(p);
        return { records, response: undefined };
      });
      // A lost append: each share-partition in it writes a whole snapshot next, so the lost delta cannot matter.
      done.catch(() => {
        if (this.pending.get(p)?.records === records) this.pending.delete(p);
        for (const w of waiting) w.snapshotDue = true;
      });
      next = { records, progress: waiting, done };
      this.pending.set(p, next);
    }
    next.records.push(record);
    next.progress.push(progress);
    return next.done;
  }

  /** Drops a share-partition's state (tombstones for its snapshot and update keys). */
  async delete(key: SharePartitionKey): Promise<void> {
    this.progress.delete(keyId(key));
    const p = this.partitionOf(key);
    // Writes after the delete must land after its tombstones, not in an append queued before it.
    this.pending.delete(p);
    await this.runtime.scheduleWriteOperation('share-state-delete', p, () => ({
      records: [
        { type: 'snapshot', key, value: null },
        { type: 'update', key, value: null },
      ],
      response: undefined,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelPruneTimer?.();
    this.unfollow?.();
    await this.pruning;
    await this.runtime.close();
  }

  private progressOf(id: string, key: SharePartitionKey, p: number): KeyProgress {
    let progress = this.progress.get(id);
    const loadedFrom = this.runtime.loadedPartition(p);
    if (progress === undefined || progress.loadedFrom !== loadedFrom) {
      const info = this.runtime.readOperation(p, (s) => s.info(key));
      // No state yet: the first write is a snapshot (an update needs one to merge into).
      progress =
        info === undefined
          ? { snapshotEpoch: 0, stateEpoch: 0, updatesSinceSnapshot: 0, snapshotDue: true, loadedFrom }
          : { snapshotEpoch: info.snapshotEpoch, stateEpoch: info.stateEpoch, updatesSinceSnapshot: info.updatesSinceSnapshot, snapshotDue: false, loadedFrom };
      this.progress.set(id, progress);
      // A leader's writes merge into what is durable here now.
      if (this.clustered) {
        const durable = this.runtime.readOperation(p, (s) => s.read(key));
        this.written.replay(
          durable === undefined
            ? { type: 'snapshot', key, value: null }
            : { type: 'snapshot', key, value: { snapshotEpoch: info!.snapshotEpoch, stateEpoch: info!.stateEpoch, leaderEpoch: info!.leaderEpoch, startOffset: durable.startOffset, stateBatches: durable.stateBatches } },
        );
      }
    }
    return progress;
  }
}
