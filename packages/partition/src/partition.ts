// One partition on a single node: wraps a Log, keeps the high watermark (offsets acknowledged
// under the flush policy), idempotent-producer state, and tells a listener when new data becomes
// readable so parked Fetch requests wake without polling. Appends are handed to the log in call
// order without waiting for the previous one, so the log can group-commit pipelined batches.
import {
  buildEndTxnMarker,
  isTransactionalBatch,
  iterateBatches,
  readBatchHeader,
  type RecordBatchHeader,
  validateProducedBatch,
  type ProduceValidationConfig,
  type ValidatedBatch,
} from '@mq/records';
import { Log, type LogOptions, nodeFileSystem } from '@mq/log';
import type { Clock } from '@mq/timerwheel';
import {
  MessageTooLargeError,
  OffsetOutOfRangeError,
  KafkaStorageError,
  UnknownTopicOrPartitionError,
} from '@mq/errors';
import { ProducerStateManager, type BatchMetadata, type SequenceCheck } from './producer-state';
import { readProducerSnapshot, writeProducerSnapshot } from './producer-snapshot';
import { OrderedHandoff } from './ordered-handoff';
import { toProduceValidation } from './produce-validation';
import { TailCache } from './tail-cache';
import type { TopicConfig } from './topic-config';
import { toLogConfig } from './topic-log-config';
import { LeaderEpochCache, type EpochEndOffset, type EpochEntry } from './leader-epoch-cache';
import { planFollowerAppend } from './follower-batches';
import { PartitionTransactions } from './partition-transactions';
import { type AbortedTxn, TransactionIndex } from './transaction-index';
import type { TxnMarker } from './txn-marker';

export interface AppendResult {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** The broker time stamped on the batch under LogAppendTime, else -1. */
  readonly logAppendTime: bigint;
  readonly logStartOffset: bigint;
  /** True when an idempotent retry was recognised and answered from producer state. */
  readonly duplicate: boolean;
}

/**
 * What replication (@mq/replication) plugs into a replicated partition: it owns the high watermark
 * from then on (appends stop advancing it) and is told of every append so it can move it.
 */
export interface ReplicaHooks {
  /** Called synchronously after each append (leader or follower) is acknowledged locally. */
  onAppend(p: Partition): void;
}

export interface PartitionOptions {
  readonly topic: string;
  readonly index: number;
  readonly dir: string;
  readonly config: TopicConfig;
  /** Called (synchronously) after the high watermark advances or the log start moves. */
  readonly onChange: (p: Partition) => void;
  /** Wall time (produce timestamp bounds, the log's segment.ms / retention.ms) and the log's flush.ms timer. */
  readonly clock: Clock;
  /** Logger, shared open-file cache and FileSystem handed to the log (see @mq/log LogOptions); the producer snapshot goes through that FileSystem too. */
  readonly log?: LogOptions;
}

/** Chunk size used when replaying batch headers to rebuild producer state. */
const REPLAY_READ_BYTES = 4 * 1024 * 1024;
/** Recent batches kept in memory per partition for tailing consumers (see TailCache). */
const TAIL_CACHE_LIMITS = { maxBytes: 1024 * 1024, maxBatches: 512 };
const EMPTY = Buffer.alloc(0);

export class Partition {
  readonly topic: string;
  readonly index: number;
  /** Stamped as partitionLeaderEpoch on appended batches; 0 on a single node, set by replication. */
  private epoch = 0;
  /** Leader epoch → first offset (leader-epoch-checkpoint), for OffsetForLeaderEpoch and truncation. */
  private epochCache: LeaderEpochCache;
  /** Set while replication owns the high watermark (see ReplicaHooks). */
  private replica: ReplicaHooks | undefined;
  /** End of the appends acknowledged locally (flush policy met); the leader's own LEO for the HW. */
  private acked: bigint;
  private readonly dir: string;
  private config: TopicConfig;
  /** What produced batches are validated against (derived from config). */
  private validation: ProduceValidationConfig;
  /** Keeps appends in call order while compressed batches are validated asynchronously. */
  private readonly handoff = new OrderedHandoff();
  private log: Log;
  private readonly producers = new ProducerStateManager();
  /** Open transactions, the last stable offset and the aborted-transaction index. */
  private readonly txns: PartitionTransactions;
  private readonly txnIndex: TransactionIndex;
  /** In-flight idempotent batches, so a retry of one still in flight gets the same answer. */
  private readonly inFlight = new Map<BatchMetadata, Promise<AppendResult>>();
  private readonly onChange: (p: Partition) => void;
  private readonly clock: Clock;
  private hw: bigint;
  /** Bytes appended since open; parked fetches compare it to decide whether min_bytes arrived. */
  private appended = 0;
  /** Batch holding the largest maxTimestamp (ListOffsets -3), kept from replay and appends. */
  private maxTs: { offset: bigint; timestamp: bigint } | undefined;
  /** Set while the log is swapped for a reconfigured one; appends wait for it. */
  private reopening: Promise<void> | undefined;
  private closed = false;
  /** Set by delete(): callers holding this object then see the topic as unknown, not as a storage error. */
  private deleted = false;
  /** Batches appended since open (from the newest backwards), so tailing fetches skip the disk. */
  private readonly tail = new TailCache(TAIL_CACHE_LIMITS);
  private readonly logOptions: LogOptions;
  /** The producer snapshot on disk still describes this partition (nothing changed since open). */
  private snapshotCurrent = false;
  /** A snapshot file existed at open (absent: a new or never-snapshotted partition). */
  private snapshotOnDisk = false;

  private constructor(opts: PartitionOptions, log: Log, epochCache: LeaderEpochCache, txnIndex: TransactionIndex) {
    this.txnIndex = txnIndex;
    this.txns = new PartitionTransactions(txnIndex);
    this.topic = opts.topic;
    this.index = opts.index;
    this.dir = opts.dir;
    this.config = opts.config;
    this.validation = toProduceValidation(opts.config);
    this.log = log;
    this.onChange = opts.onChange;
    this.clock = opts.clock;
    this.logOptions = opts.log ?? {};
    // Everything recovered from disk survived a restart, so all of it counts as acknowledged.
    this.hw = log.logEndOffset;
    this.acked = log.logEndOffset;
    this.epochCache = epochCache;
    this.epoch = Math.max(0, epochCache.latestEpoch);
  }

  static async open(opts: PartitionOptions): Promise<Partition> {
    const log = await Log.open(opts.dir, toLogConfig(opts.config, opts.clock), opts.log);
    const fs = opts.log?.fs ?? nodeFileSystem;
    const epochs = LeaderEpochCache.load(opts.dir, fs);
    // The checkpoint is written before the batches of a new epoch: after a crash it may name an
    // epoch whose batches never landed.
    epochs.truncateFromEnd(log.logEndOffset);
    if (epochs.isEmpty) {
      // A single node stamps every batch with epoch 0 and keeps no checkpoint: epoch 0 covers the
      // whole log (in memory; written only once replication adds a later epoch).
      epochs.assign(0, log.logStartOffset);
      epochs.markClean();
    }
    const p = new Partition(opts, log, epochs, TransactionIndex.load(opts.dir, fs));
    const snap = await readProducerSnapshot(opts.dir, opts.log?.fs);
    p.snapshotCurrent = snap !== undefined && snap.offset === log.logEndOffset;
    p.snapshotOnDisk = snap !== undefined;
    if (snap !== undefined && snap.offset <= log.logEndOffset) {
      p.producers.restore(snap.producers);
      p.txns.restore(snap.openTransactions);
      p.producers.removeBefore(log.logStartOffset, p.inOpenTransaction);
      p.maxTs = snap.maxTimestamp;
      await p.replay(true, snap.offset > log.logStartOffset ? snap.offset : log.logStartOffset);
    } else {
      await p.replay(true);
    }
    return p;
  }

  get highWatermark(): bigint {
    return this.hw;
  }

  /** Monotonic count of bytes appended since open (not persisted). */
  get appendedBytes(): number {
    return this.appended;
  }

  get logStartOffset(): bigint {
    return this.log.logStartOffset;
  }

  get logEndOffset(): bigint {
    return this.log.logEndOffset;
  }

  /** What recovery did when this partition's log was opened: segments rescanned, bytes cut (0 after a clean shutdown). */
  get recovery(): { readonly recoveredSegments: number; readonly truncatedBytes: number } {
    return this.log.recovery;
  }

  /** Bytes in this partition's segment files (metrics, admin API). */
  get sizeInBytes(): number {
    return this.log.size;
  }

  get segmentCount(): number {
    return this.log.segmentCount;
  }

  /** The high watermark, or the first offset of the oldest open transaction when lower (read_committed reads stop here). */
  get lastStableOffset(): bigint {
    return this.txns.lastStableOffset(this.hw, this.log.logStartOffset);
  }

  /** Aborted transactions overlapping [from, to): a read_committed Fetch returns them with the records. */
  abortedTransactions(from: bigint, to: bigint): readonly AbortedTxn[] {
    return this.txns.aborted(from, to);
  }

  /**
   * Whether `producerId` at `producerEpoch` has an open transaction in this partition: its later
   * transactional batches need no verification with the coordinator (KIP-890, as Kafka's
   * hasOngoingTransaction), only the first one of each transaction does.
   */
  private readonly inOpenTransaction = (producerId: bigint): boolean => this.txns.firstOffsetOf(producerId) !== undefined;

  hasOngoingTransaction(producerId: bigint, producerEpoch: number): boolean {
    return this.txns.firstOffsetOf(producerId) !== undefined && this.producers.entry(producerId)?.producerEpoch === producerEpoch;
  }

  /** The producers with state here and their open transaction's first offset (DescribeProducers). */
  activeProducers(): { producerId: bigint; producerEpoch: number; lastSequence: number; lastTimestamp: bigint; currentTxnStartOffset: bigint }[] {
    return this.producers.describe().map((p) => ({ ...p, currentTxnStartOffset: this.txns.firstOffsetOf(p.producerId) ?? -1n }));
  }

  /**
   * WriteTxnMarkers: stores the COMMIT / ABORT control batch ending `m.producerId`'s transaction
   * (KIP-98). The last stable offset moves past the transaction once the marker is acknowledged; an
   * ABORT is in the aborted-transaction index before it does. A marker older than the producer's
   * epoch is refused (INVALID_PRODUCER_EPOCH); a newer one fences the older epoch.
   */
  async appendTxnMarker(m: TxnMarker): Promise<AppendResult> {
    if (this.closed) throw this.closedError();
    if (this.reopening !== undefined) await this.reopening;
    this.producers.checkMarker(m.producerId, m.producerEpoch);
    const batch = await buildEndTxnMarker({ ...m, timestamp: BigInt(this.clock.now()), partitionLeaderEpoch: this.leaderEpoch });
    this.producers.checkMarker(m.producerId, m.producerEpoch);
    const info = await this.log.append(batch, { leaderEpoch: this.leaderEpoch, validated: true });
    this.producers.markerStored(m.producerId, m.producerEpoch);
    const written = this.noteMarker({ producerId: m.producerId, commit: m.commit, offset: info.baseOffset });
    this.afterAppend(batch, info.baseOffset, info.lastOffset, batch.length);
    await written;
    return { baseOffset: info.baseOffset, lastOffset: info.lastOffset, logAppendTime: -1n, logStartOffset: this.log.logStartOffset, duplicate: false };
  }

  /** Closes the marker's transaction; an ABORT goes to the index (in memory now, on disk when the promise settles). */
  private noteMarker(marker: { producerId: bigint; commit: boolean; offset: bigint }): Promise<void> {
    const aborted = this.txns.close(marker);
    if (aborted === undefined) return Promise.resolve();
    const bases = this.log.segmentBaseOffsets;
    let base = bases[0] ?? 0n;
    for (const b of bases) if (b <= marker.offset) base = b;
    return this.txnIndex.append(aborted, base);
  }

  /** A stored batch (follower append, replay): opens or closes its producer's transaction. */
  private noteStoredTxnBatch(batch: Buffer, h: RecordBatchHeader): Promise<void> {
    const marker = this.txns.onStoredBatch(batch, h);
    if (marker === undefined) return Promise.resolve();
    this.producers.markerStored(h.producerId, h.producerEpoch);
    return this.noteMarker(marker);
  }

  get topicConfig(): TopicConfig {
    return this.config;
  }

  get leaderEpoch(): number {
    return this.epoch;
  }

  /** The newest epoch in the leader-epoch cache (-1: none), what a follower sends as lastFetchedEpoch. */
  get latestEpoch(): number {
    return this.epochCache.latestEpoch;
  }

  /** The leader-epoch cache's entries, oldest first. */
  get leaderEpochs(): readonly EpochEntry[] {
    return this.epochCache.all;
  }

  /** End of the appends acknowledged locally (the flush policy met): a leader's own LEO for the HW. */
  get acknowledgedEndOffset(): bigint {
    return this.acked;
  }

  /**
   * Replication takes over the high watermark (`hooks`) or hands it back (undefined: the HW jumps to
   * what is acknowledged locally, as on a single node).
   */
  setReplicaHooks(hooks: ReplicaHooks | undefined): void {
    this.replica = hooks;
    if (hooks === undefined && this.acked > this.hw) {
      this.hw = this.acked;
      this.onChange(this);
    }
  }

  /**
   * Replication moves the HW (a leader: min LEO over the ISR; a follower: the leader's, capped at its
   * own log end). Clamped to [logStartOffset, logEndOffset]; returns whether it changed.
   */
  updateHighWatermark(offset: bigint): boolean {
    const end = this.log.logEndOffset;
    const start = this.log.logStartOffset;
    const hw = offset > end ? end : offset < start ? start : offset;
    if (hw === this.hw) return false;
    this.hw = hw;
    this.onChange(this);
    return true;
  }

  /**
   * Becomes leader of `epoch`: batches appended from now on are stamped with it, and the epoch starts
   * at the current log end (KIP-101), persisted before any batch of it is written.
   */
  async makeLeader(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.epochCache.assign(epoch, this.log.logEndOffset);
    await this.epochCache.flush();
  }

  /** Becomes a follower in `epoch`: the epochs of stored batches come from the leader's batches. */
  makeFollower(epoch: number): void {
    this.epoch = epoch;
  }

  /** OffsetForLeaderEpoch: the largest epoch ≤ `epoch` this log knows and the offset where it ended. */
  offsetForLeaderEpoch(epoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(epoch, this.log.logEndOffset);
  }

  /**
   * A follower stores the batches fetched from its leader with the leader's offsets and epochs
   * (planFollowerAppend checks them: CRC, contiguous offsets, non-decreasing epochs). New epochs go
   * to the checkpoint before their batches; producer state is rebuilt from the batch headers, so an
   * idempotent producer is recognised after this replica becomes leader. Resolves with the new log
   * end offset once the batches are acknowledged under the flush policy. Callers append one fetch
   * response at a time.
   */
  async appendAsFollower(records: Buffer): Promise<bigint> {
    if (this.closed) throw this.closedError();
    if (this.reopening !== undefined) await this.reopening;
    const plan = planFollowerAppend(records, this.log.logEndOffset, this.epochCache.latestEpoch, this.config.cleanupPolicy.includes('compact'));
    if (plan.batches.length === 0) return this.log.logEndOffset;
    for (const e of plan.epochStarts) this.epochCache.assign(e.epoch, e.startOffset);
    await this.epochCache.flush();
    await Promise.all(plan.batches.map((b) => this.log.append(b.batch, { assignOffsets: false, validated: true })));
    const indexed: Promise<void>[] = [];
    for (const { batch, header: h, lastOffset } of plan.batches) {
      this.noteTimestamp(h.maxTimestamp, lastOffset);
      if (isTransactionalBatch(h)) indexed.push(this.noteStoredTxnBatch(batch, h));
      if (h.producerId >= 0n && h.baseSequence >= 0) {
        this.producers.update(h.producerId, h.producerEpoch, {
          firstSeq: h.baseSequence,
          lastSeq: h.baseSequence + h.lastOffsetDelta,
          baseOffset: h.baseOffset,
          lastOffset,
          timestamp: h.maxTimestamp,
        });
      }
      this.tail.add(batch, h.baseOffset, lastOffset);
      this.appended += batch.length;
    }
    const end = plan.batches[plan.batches.length - 1]!.lastOffset + 1n;
    if (end > this.acked) this.acked = end;
    if (this.replica === undefined && end > this.hw) this.hw = end;
    this.replica?.onAppend(this);
    this.onChange(this);
    await Promise.all(indexed);
    return this.log.logEndOffset;
  }

  /**
   * Removes every batch at or above `offset` (a follower's divergent tail, KIP-101/279): the log, the
   * leader-epoch cache and producer state (rebuilt from what is left) follow; the HW never stays
   * above the new end.
   */
  async truncateTo(offset: bigint): Promise<void> {
    if (this.closed) throw this.closedError();
    if (this.reopening !== undefined) await this.reopening;
    if (offset >= this.log.logEndOffset) return;
    await this.log.truncateTo(offset);
    this.epochCache.truncateFromEnd(offset);
    await this.epochCache.flush();
    this.tail.clear();
    if (this.hw > offset) this.hw = offset;
    if (this.acked > offset) this.acked = offset;
    this.producers.clear();
    this.txns.clear();
    await this.txnIndex.truncateTo(offset);
    this.maxTs = undefined;
    this.snapshotCurrent = false;
    await this.replay(true);
    this.onChange(this);
  }

  /**
   * Appends one client RecordBatch v2 (Produce v3+ carries exactly one per partition) after
   * validating it whole (validateProducedBatch: framing, CRC, header rules, every record), so a batch
   * that fails stores nothing. Uncompressed batches are validated synchronously; compressed ones
   * decompress asynchronously, but batches reach the idempotence check and the log in call order.
   * The promise settles once the batch is acknowledged under the flush policy and the high
   * watermark has moved past it. `check` (the broker's schema validation) sees the batch once it
   * passed the partition's own validation; a throw or rejection fails the batch, nothing stored.
   */
  append(records: Buffer, check?: BatchCheck): Promise<AppendResult> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.reopening !== undefined) return this.reopening.then(() => this.append(records, check));
    let checked: ValidatedBatch | Promise<ValidatedBatch>;
    try {
      if (records.length > this.config.maxMessageBytes) {
        throw new MessageTooLargeError(`batch of ${records.length} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`);
      }
      checked = validateProducedBatch(records, this.validation, this.clock.now());
      if (check !== undefined) checked = thenCheck(checked, check);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!(checked instanceof Promise) && this.handoff.idle) return this.appendValidated(checked);
    return this.handoff.enqueue(checked, (v) => this.appendValidated(v));
  }

  /** The idempotence check and the log append of a batch that passed validation. */
  private appendValidated(validated: ValidatedBatch): Promise<AppendResult> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.reopening !== undefined) return this.reopening.then(() => this.appendValidated(validated));
    const records = validated.batch;
    const h = readBatchHeader(records, 0);
    let pending: BatchMetadata | undefined;
    if (h.producerId >= 0n) {
      let check: SequenceCheck;
      try {
        // Only validated batches reach producer state: a corrupt batch must not let the producer's
        // next (pipelined) batch pass the sequence check ahead of it.
        check = this.producers.check(h.producerId, h.producerEpoch, h.baseSequence, h.baseSequence + h.lastOffsetDelta);
      } catch (err) {
        return Promise.reject(err);
      }
      if (check.kind === 'duplicate') return this.duplicateOf(check.batch);
      pending = { firstSeq: h.baseSequence, lastSeq: h.baseSequence + h.lastOffsetDelta, baseOffset: -1n, lastOffset: -1n, timestamp: validated.maxTimestamp };
      this.producers.update(h.producerId, h.producerEpoch, pending);
    }
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime';
    const size = records.length;
    const maxTimestamp = validated.maxTimestamp;
    const result = this.log.append(records, { leaderEpoch: this.leaderEpoch, logAppendTime, validated: true }).then(
      (info): AppendResult => {
        if (pending !== undefined) {
          pending.baseOffset = info.baseOffset;
          pending.lastOffset = info.lastOffset;
          this.inFlight.delete(pending);
        }
        const stamped = info.logAppendTime ?? -1n;
        this.noteTimestamp(stamped >= 0n ? stamped : maxTimestamp, info.lastOffset);
        // Open before the high watermark can pass it, so the last stable offset never does.
        if (isTransactionalBatch(h)) this.txns.onData(h.producerId, info.baseOffset);
        // `records` now holds the stored bytes (baseOffset, timestamps stamped in place by the log).
        this.afterAppend(records, info.baseOffset, info.lastOffset, size);
        return { baseOffset: info.baseOffset, lastOffset: info.lastOffset, logAppendTime: stamped, logStartOffset: this.log.logStartOffset, duplicate: false };
      },
      (err: unknown) => {
        if (pending !== undefined) {
          this.inFlight.delete(pending);
          this.producers.removeBatch(h.producerId, pending);
        }
        throw err;
      },
    );
    if (pending !== undefined) this.inFlight.set(pending, result);
    return result;
  }

  /** A locally stored batch is acknowledged: the HW (single node), tail cache, replication and listeners follow. */
  private afterAppend(records: Buffer, baseOffset: bigint, lastOffset: bigint, size: number): void {
    if (lastOffset + 1n > this.acked) this.acked = lastOffset + 1n;
    if (this.replica === undefined && lastOffset + 1n > this.hw) this.hw = lastOffset + 1n;
    this.tail.add(records, baseOffset, lastOffset);
    this.appended += size;
    this.replica?.onAppend(this);
    this.onChange(this);
  }

  private duplicateOf(batch: BatchMetadata): Promise<AppendResult> {
    const inFlight = this.inFlight.get(batch);
    if (inFlight !== undefined) return inFlight.then((r) => ({ ...r, duplicate: true }));
    return Promise.resolve({
      baseOffset: batch.baseOffset,
      lastOffset: batch.lastOffset,
      logAppendTime: -1n,
      logStartOffset: this.log.logStartOffset,
      duplicate: true,
    });
  }

  /**
   * Whole batches from `fetchOffset` below the high watermark (or `maxOffset` if lower). The first
   * batch is returned whole even when larger than maxBytes (Kafka's progress guarantee, KIP-74)
   * unless `minOneBatch` is false (a later partition of a Fetch response: then nothing).
   * Throws OffsetOutOfRangeError (code 1) outside [logStartOffset, logEndOffset].
   */
  read(fetchOffset: bigint, maxBytes: number, maxOffset: bigint = this.hw, minOneBatch = true): Promise<Buffer> {
    return this.readBelow(fetchOffset, maxBytes, maxOffset < this.hw ? maxOffset : this.hw, minOneBatch);
  }

  /**
   * A follower's fetch: like read() but up to the log end offset (followers replicate what the
   * high watermark does not cover yet).
   */
  readForReplica(fetchOffset: bigint, maxBytes: number, minOneBatch = true): Promise<Buffer> {
    return this.readBelow(fetchOffset, maxBytes, this.log.logEndOffset, minOneBatch);
  }

  private async readBelow(fetchOffset: bigint, maxBytes: number, limit: bigint, minOneBatch: boolean): Promise<Buffer> {
    if (this.closed) throw this.closedError();
    if (this.reopening !== undefined) await this.reopening;
    if (fetchOffset === limit && fetchOffset >= this.log.logStartOffset) return EMPTY;
    if (fetchOffset < limit && fetchOffset >= this.log.logStartOffset) {
      const cached = this.tail.read(fetchOffset, maxBytes, limit, minOneBatch);
      if (cached !== undefined) return cached;
    }
    return this.log.read(fetchOffset, maxBytes, { maxOffset: limit, minOneBatch });
  }

  /** First offset whose timestamp is ≥ `timestamp`, with that timestamp; undefined past the end. */
  async offsetForTimestamp(timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    const r = await this.log.offsetForTimestamp(timestamp);
    if (r === null || r.offset >= this.hw) return undefined;
    return r;
  }

  /**
   * The largest record timestamp and the last offset of the batch holding it (Kafka before
   * KAFKA-16310 answered the same batch-level offset), or undefined for an empty log.
   */
  async maxTimestamp(): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    if (this.maxTs !== undefined && this.maxTs.offset < this.log.logStartOffset) {
      // Retention removed that batch: rescan what is left.
      this.maxTs = undefined;
      await this.replay(false);
    }
    return this.maxTs;
  }

  private noteTimestamp(timestamp: bigint, lastOffset: bigint): void {
    if (this.maxTs === undefined || timestamp > this.maxTs.timestamp) this.maxTs = { offset: lastOffset, timestamp };
  }

  /** DeleteRecords: moves the log start forward (to the high watermark when `offset` is -1). */
  async deleteRecordsBefore(offset: bigint): Promise<bigint> {
    const target = offset === -1n ? this.hw : offset;
    if (target < 0n || target > this.hw) {
      throw new OffsetOutOfRangeError(`cannot delete before ${offset}: high watermark is ${this.hw}`);
    }
    const before = this.log.logStartOffset;
    this.tail.clear();
    const after = await this.log.deleteRecordsBefore(target);
    if (after !== before) {
      this.snapshotCurrent = false;
      this.producers.removeBefore(after, this.inOpenTransaction);
      await this.txnIndex.removeBefore(after);
      this.onChange(this);
    }
    return after;
  }

  /**
   * Applies retention (cleanup.policy delete: retention.ms / retention.bytes, segment.ms rolls); run
   * by the broker's retention timer (log.retention.check.interval.ms).
   */
  async runMaintenance(): Promise<void> {
    if (this.closed || this.reopening !== undefined) return;
    const before = this.log.logStartOffset;
    await this.log.applyRetention();
    this.afterLogStartMove(before);
    await this.txnIndex.removeBefore(this.log.logStartOffset);
  }

  /**
   * Compacts (cleanup.policy compact) when the log's dirty ratio or max.compaction.lag.ms asks for it;
   * run by the broker's cleaner timer (log.cleaner.backoff.ms). Returns whether anything was rewritten.
   */
  async runCleaner(): Promise<boolean> {
    if (this.closed || this.reopening !== undefined || !this.config.cleanupPolicy.includes('compact')) return false;
    const before = this.log.logStartOffset;
    const stats = await this.log.compact();
    // Compaction rewrote stored batches: later reads must see the compacted log.
    if (stats.segmentsCleaned > 0) this.tail.clear();
    this.afterLogStartMove(before);
    return stats.segmentsCleaned > 0;
  }

  private afterLogStartMove(before: bigint): void {
    if (this.log.logStartOffset !== before) {
      this.snapshotCurrent = false;
      this.producers.removeBefore(this.log.logStartOffset, this.inOpenTransaction);
      this.onChange(this);
    }
  }

  /** New topic config: applied to the live log; a flush policy change reopens the log. */
  async updateConfig(config: TopicConfig): Promise<void> {
    const previous = this.config;
    this.config = config;
    this.validation = toProduceValidation(config);
    const next = toLogConfig(config, this.clock);
    // flush, syncWrites and clock are fixed when a log opens; everything else is read live by the log.
    const { flush: _flush, clock: _clock, syncWrites: _syncWrites, ...rest } = next;
    Object.assign(this.log.config, rest);
    if (previous.flushMessages !== config.flushMessages || previous.flushMs !== config.flushMs || previous.flushDsync !== config.flushDsync) {
      this.reopening = (async () => {
        await this.log.close();
        this.log = await Log.open(this.dir, next, this.logOptions);
      })();
      try {
        await this.reopening;
      } finally {
        this.reopening = undefined;
      }
    }
  }

  async flush(): Promise<void> {
    await this.log.flush();
  }

  /** Waits for queued appends, flushes and closes the log, then snapshots producer state. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reopening !== undefined) await this.reopening.catch(() => undefined);
    await this.log.close();
    // An idle partition's snapshot is still exact: rewriting it would cost two fsyncs per partition.
    if (this.snapshotCurrent && this.appended === 0) return;
    // Nothing to remember and no older file to supersede (a new partition never written): no file.
    if (!this.snapshotOnDisk && this.appended === 0 && this.maxTs === undefined && this.producers.snapshot().length === 0) return;
    await writeProducerSnapshot(
      this.dir,
      { offset: this.log.logEndOffset, producers: this.producers.snapshot(), maxTimestamp: this.maxTs, openTransactions: this.txns.snapshot() },
      this.logOptions.fs,
    );
  }

  /** Closes and removes the partition's files (DeleteTopics). */
  async delete(): Promise<void> {
    this.closed = true;
    this.deleted = true;
    if (this.reopening !== undefined) await this.reopening.catch(() => undefined);
    await this.log.delete();
  }

  private closedError(): Error {
    return this.deleted
      ? new UnknownTopicOrPartitionError(`${this.topic}-${this.index} was deleted`)
      : new KafkaStorageError(`${this.topic}-${this.index} is closed`);
  }

  /**
   * Replays batch headers from the log start (no record parsing): rebuilds idempotent-producer
   * state (when `producers`) and the max-timestamp batch.
   */
  private async replay(producers: boolean, from: bigint = this.log.logStartOffset): Promise<void> {
    const indexed: Promise<void>[] = [];
    let offset = from;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const chunk = await this.log.read(offset, REPLAY_READ_BYTES, { maxOffset: end });
      if (chunk.length === 0) break;
      let next = offset;
      for (const { batch } of iterateBatches(chunk, false)) {
        const h = readBatchHeader(batch, 0);
        const lastOffset = h.baseOffset + BigInt(h.lastOffsetDelta);
        this.noteTimestamp(h.maxTimestamp, lastOffset);
        if (producers && isTransactionalBatch(h)) indexed.push(this.noteStoredTxnBatch(batch, h));
        if (producers && h.producerId >= 0n && h.baseSequence >= 0) {
          this.producers.update(h.producerId, h.producerEpoch, {
            firstSeq: h.baseSequence,
            lastSeq: h.baseSequence + h.lastOffsetDelta,
            baseOffset: h.baseOffset,
            lastOffset,
            timestamp: h.maxTimestamp,
          });
        }
        next = lastOffset + 1n;
      }
      if (next <= offset) break;
      offset = next;
    }
    await Promise.all(indexed);
  }
}

/**
 * A caller's check of a batch that passed the partition's validation (its bytes as they will be
 * stored): throws or rejects a KafkaError to fail the batch.
 */
export type BatchCheck = (batch: Buffer) => void | Promise<void>;

/** `validated`, once `check` passed on its batch; synchronous while both are. */
function thenCheck(validated: ValidatedBatch | Promise<ValidatedBatch>, check: BatchCheck): ValidatedBatch | Promise<ValidatedBatch> {
  if (validated instanceof Promise) return validated.then(async (v) => (await check(v.batch), v));
  const done = check(validated.batch);
  return done instanceof Promise ? done.then(() => validated) : validated;
}
