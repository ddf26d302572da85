// ShareStateWriter: makes a share-partition's changes durable — in this broker's
// __share_group_state (one node) or at its share coordinator through the persister (a cluster,
// fenced by the data partition's leader epoch the share-partition was loaded at). Records archived
// since the last write are dead-lettered first: their DLQ append is durable before the state that
// archives them is written, so a crash in between makes them available again (at-least-once into
// the DLQ). Split from the ShareCoordinator, which decides when to write; this decides how.
import type { TopicManager } from '@mq/partition';
import { ErrorCode as E, kafkaErrorCode } from '@mq/protocol';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { SharePartitionKey } from './records/share-state-record';
import type { ArchivedRecord, SharePartition } from './share-partition';
import type { SharePersister } from './share-persister';
import type { ShareStateStore } from './share-state-store';
import type { ShareObserver } from './share-step';

/** Dead-letter failures no retry can fix: the records are archived without one. */
const NEVER_DEAD_LETTERED: ReadonlySet<number> = new Set([
  E.INVALID_TOPIC_EXCEPTION,
  E.INVALID_CONFIG,
  E.POLICY_VIOLATION,
  E.TOPIC_AUTHORIZATION_FAILED,
  E.MESSAGE_TOO_LARGE,
  E.RECORD_LIST_TOO_LARGE,
  E.INVALID_RECORD,
  E.INVALID_TIMESTAMP,
]);

export interface ShareStateWriterOptions {
  readonly topicManager: TopicManager;
  /** One node's store (a cluster's persister takes the writes when given). */
  readonly store: ShareStateStore;
  readonly persister?: SharePersister;
  readonly deadLetters: DeadLetterQueue;
  readonly observer?: ShareObserver;
  readonly onArchived?: (key: SharePartitionKey, records: readonly ArchivedRecord[]) => void;
  readonly onError?: (err: unknown, context: string) => void;
}

const keyOf = (sp: SharePartition): SharePartitionKey => ({ groupId: sp.groupId, topicId: sp.topicId, partition: sp.partition });

export class ShareStateWriter {
  /** Archived records whose dead letters are not written yet, per share-partition, oldest first. */
  private readonly pendingDead = new Map<SharePartition, ArchivedRecord[]>();
  /** A share-partition's persist that waits for its dead letters; later persists queue behind it. */
  private readonly deadLetterWrites = new Map<SharePartition, Promise<void>>();
  /** Cluster: the data partition's leader epoch each share-partition was loaded at. */
  private readonly loadedAtEpoch = new WeakMap<SharePartition, number>();

  constructor(private readonly opts: ShareStateWriterOptions) {}

  /** Cluster: `sp` was loaded at this leader epoch; its writes carry it (a newer leader fences them). */
  bind(sp: SharePartition, leaderEpoch: number): void {
    this.loadedAtEpoch.set(sp, leaderEpoch);
  }

  leaderEpochOf(sp: SharePartition): number | undefined {
    return this.loadedAtEpoch.get(sp);
  }

  /** Records `sp` archived: dead-lettered (where configured) before its next write. */
  archived(sp: SharePartition, records: readonly ArchivedRecord[]): void {
    const pending = this.pendingDead.get(sp);
    if (pending === undefined) this.pendingDead.set(sp, [...records]);
    else pending.push(...records);
  }

  /** `sp` is dropped here (unloaded, deleted): its pending dead letters go with it. */
  forget(sp: SharePartition): void {
    this.pendingDead.delete(sp);
  }

  /** Writes what changed in `sp` (a delta or a snapshot), its pending dead letters first. */
  persist(sp: SharePartition): Promise<void> {
    const queued = this.deadLetterWrites.get(sp);
    if (queued === undefined && !this.pendingDead.has(sp)) return this.writeChanges(sp);
    const run = (queued ?? Promise.resolve()).catch(() => undefined).then(() => this.deadLetterThenWrite(sp));
    this.deadLetterWrites.set(sp, run);
    const settle = () => {
      if (this.deadLetterWrites.get(sp) === run) this.deadLetterWrites.delete(sp);
    };
    run.then(settle, settle);
    return run;
  }

  /** Writes `sp`'s whole state at once (its start was moved; pending dead letters are dropped with it). */
  persistSnapshot(sp: SharePartition): Promise<void> {
    this.pendingDead.delete(sp);
    sp.drainChanges();
    const s = sp.snapshot();
    if (this.opts.persister !== undefined) return this.opts.persister.write(keyOf(sp), this.loadedAtEpoch.get(sp) ?? -1, s);
    return this.opts.store.write(keyOf(sp), s, () => s);
  }

  private writeChanges(sp: SharePartition): Promise<void> {
    const delta = sp.drainChanges();
    if (delta === undefined) return Promise.resolve();
    if (this.opts.persister !== undefined) return this.opts.persister.write(keyOf(sp), this.loadedAtEpoch.get(sp) ?? -1, delta);
    return this.opts.store.write(keyOf(sp), delta, () => sp.snapshot());
  }

  /** Appends every pending dead letter of `sp`, then — with no await in between — drains and writes its state. */
  private async deadLetterThenWrite(sp: SharePartition): Promise<void> {
    const { observer } = this.opts;
    for (let letters = this.pendingDead.get(sp); letters !== undefined; letters = this.pendingDead.get(sp)) {
      this.pendingDead.delete(sp);
      const topic = this.opts.topicManager.getById(sp.topicId);
      const partition = topic?.partition(sp.partition);
      const key = keyOf(sp);
      try {
        const placed = topic !== undefined && partition !== undefined ? await this.opts.deadLetters.write(sp.groupId, topic, partition, letters) : undefined;
        if (placed !== undefined && placed.records.length > 0) {
          observer?.(key, { kind: 'dead-lettered', dlqTopic: placed.topic, dlqPartition: placed.partition, records: placed.records });
        }
      } catch (err) {
        if (NEVER_DEAD_LETTERED.has(kafkaErrorCode(err))) {
          // The dead-letter topic can never take them (bad mq.dlq.topic, too large): archived only, said in the log.
          this.opts.onError?.(err, `dead-lettering ${letters.length} records of ${sp.groupId} ${topic?.name ?? sp.topicId}-${sp.partition}; archived without a dead letter`);
          observer?.(key, { kind: 'archived', records: letters });
          continue;
        }
        // Kept for the next write, which tries again first; the state stays unwritten meanwhile.
        const later = this.pendingDead.get(sp) ?? [];
        this.pendingDead.set(sp, [...letters, ...later]);
        throw err;
      }
      observer?.(key, { kind: 'archived', records: letters });
      this.opts.onArchived?.(key, letters);
    }
    return this.writeChanges(sp);
  }
}
