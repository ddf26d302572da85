// ShareStateStore: share-partition state made durable in the internal topic __share_group_state on
// @mq/coordinator's runtime (Kafka's share coordinator + persister in one). A share-partition's key
// (group:topicId:partition) picks the partition; a change is written as a ShareUpdate delta, and
// every snapshotUpdateRecordsPerSnapshot updates (or after a failed write) as a ShareSnapshot of
// the whole window. Reads are the replayed shard state, so what a restart loads is what was written.
import { CoordinatorRuntime, coordinatorPartitionFor } from '@mq/coordinator';
import type { TopicManager } from '@mq/partition';
import type { Clock } from '@mq/timerwheel';
import { type SharePartitionKey, type ShareStateRecord, sharePartitionKeyString as keyId } from './records/share-state-record';
import { shareStateRecordSerde } from './records/share-state-serde';
import { ShareError } from './share-error';
import type { ShareState } from './share-partition';
import { ShareStateShard } from './share-state-shard';

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
  onError?: (err: unknown, context: string) => void;
}

interface KeyProgress {
  snapshotEpoch: number;
  stateEpoch: number;
  updatesSinceSnapshot: number;
  /** A write failed: the next one is a whole snapshot, so the lost delta cannot matter. */
  snapshotDue: boolean;
}

export class ShareStateStore {
  private readonly runtime: CoordinatorRuntime<ShareStateShard, ShareStateRecord>;
  private partitionCount = 0;
  private starting: Promise<void> | undefined;
  private closed = false;
  /** Per share-partition written so far by this broker (scheduled, not only replayed): decides snapshot vs update in call order. */
  private readonly progress = new Map<string, KeyProgress>();

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
    });
  }

  /** Whether the topic exists already (then open() loads it at start). */
  get exists(): boolean {
    return this.opts.topicManager.get(SHARE_GROUP_STATE_TOPIC) !== undefined;
  }

  /** Creates __share_group_state if needed and loads every partition. Idempotent; a failure lets the next call retry. */
  prepare(): Promise<void> {
    if (this.closed) return Promise.reject(new ShareError('COORDINATOR_CLOSED', 'share coordinator is closed'));
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  get ready(): boolean {
    return this.partitionCount > 0;
  }

  private async start(): Promise<void> {
    const topic = await this.opts.topicManager.ensureInternalTopic(SHARE_GROUP_STATE_TOPIC, this.opts.numPartitions, shareGroupStateTopicConfigs());
    // Single node: every partition is led here. With replication, load/unload follow leadership.
    for (const p of topic.partitions) if (this.runtime.status(p.index) === undefined) await this.runtime.load(p.index, p);
    this.partitionCount = topic.partitions.length;
  }

  private partitionOf(key: SharePartitionKey): number {
    return coordinatorPartitionFor(`${key.groupId}:${key.topicId}:${key.partition}`, this.partitionCount);
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
  async write(key: SharePartitionKey, delta: ShareState, snapshot: () => ShareState): Promise<void> {
    const id = keyId(key);
    const p = this.partitionOf(key);
    const progress = this.progressOf(id, key, p);
    let record: ShareStateRecord;
    if (progress.snapshotDue || progress.updatesSinceSnapshot >= this.opts.snapshotUpdateRecordsPerSnapshot) {
      progress.snapshotEpoch = (progress.snapshotEpoch + 1) & 0xffff;
      progress.updatesSinceSnapshot = 0;
      progress.snapshotDue = false;
      const s = snapshot();
      record = { type: 'snapshot', key, value: { snapshotEpoch: progress.snapshotEpoch, stateEpoch: progress.stateEpoch, leaderEpoch: 0, startOffset: s.startOffset, stateBatches: s.stateBatches } };
    } else {
      progress.updatesSinceSnapshot++;
      record = { type: 'update', key, value: { snapshotEpoch: progress.snapshotEpoch, leaderEpoch: 0, startOffset: delta.startOffset, stateBatches: delta.stateBatches } };
    }
    try {
      await this.runtime.scheduleWriteOperation('share-state', p, () => ({ records: [record], response: undefined }));
    } catch (err) {
      progress.snapshotDue = true;
      throw err;
    }
  }

  /** Drops a share-partition's state (tombstones for its snapshot and update keys). */
  async delete(key: SharePartitionKey): Promise<void> {
    this.progress.delete(keyId(key));
    await this.runtime.scheduleWriteOperation('share-state-delete', this.partitionOf(key), () => ({
      records: [
        { type: 'snapshot', key, value: null },
        { type: 'update', key, value: null },
      ],
      response: undefined,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.runtime.close();
  }

  private progressOf(id: string, key: SharePartitionKey, p: number): KeyProgress {
    let progress = this.progress.get(id);
    if (progress === undefined) {
      const info = this.runtime.readOperation(p, (s) => s.info(key));
      // No state yet: the first write is a snapshot (an update needs one to merge into).
      progress = info === undefined ? { snapshotEpoch: 0, stateEpoch: 0, updatesSinceSnapshot: 0, snapshotDue: true } : { ...info, snapshotDue: false };
      this.progress.set(id, progress);
    }
    return progress;
  }
}
