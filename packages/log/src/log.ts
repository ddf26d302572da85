// Log: a directory of segments holding RecordBatch v2 bytes as received. One writer (a SerialQueue)
// mutates it: appends are drained in groups so concurrent appends share one write and, under
// flush 'always', one fdatasync (group commit). Reads run concurrently against segment snapshots.
import { basename } from 'node:path';
import { InvalidRecordError, KafkaError, KafkaStorageError, MessageTooLargeError, OffsetOutOfRangeError } from '@mq/errors';
import {
  RECORDS_COUNT_OFFSET,
  readBaseOffset,
  readLastOffsetDelta,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  validateBatch,
} from '@mq/records';
import { SegmentGoneError } from './segment-gone-error';
import { type Cancel, repeat } from '@mq/timerwheel';
import { type Clock, type LogConfig, resolveLogConfig, syncsWrites } from './log-config';
import { LogSegment } from './log-segment';
import { OpenSegmentCache } from './open-segment-cache';
import { SerialQueue } from './serial-queue';
import type { FileSystem } from './file-system';
import { isNotFound, syncDir, unlinkIfExists } from './fs-ops';
import { nodeFileSystem } from './node-file-system';
import { type LogLogger, describeErrno, errnoCode, silentLogger } from './log-logger';
import { StorageErrorReporter } from './storage-error-reporter';
import { loadLog, markCleanShutdown } from './log-recovery';
import { planRetention } from './log-retention';
import { type RepairPoint, cutBack, repairPointOf, withDoomed } from './log-repair';
import { pickRollJitter, shouldRollSegment } from './segment-roll';
import { type CleanerState, type CompactionStats, compactLog } from './log-compactor';
import { CLEAN_SHUTDOWN_FILE, segmentName, writeCheckpoint } from './segment-files';
import { type TimestampOffset, findOffsetForTimestamp, floorSegmentIndex, readSegments } from './log-reader';

import { AppendQueue, type PendingAppend } from './append-queue';
import type { AppendOptions, AppendResult, ReadOptions } from './log-types';

export type { TimestampOffset } from './log-reader';
export type { AppendOptions, AppendResult, ReadOptions } from './log-types';

/** How a log meets its surroundings (not settings of the log itself). */
export interface LogOptions {
  /** Where storage events go (recovery cuts, ENOSPC, EMFILE...); pino or a child of it fits. */
  logger?: LogLogger;
  /**
   * A cache shared by many logs bounds open files across all of them (one per broker); by default
   * each log gets its own of `maxOpenSegments`.
   */
  openSegments?: OpenSegmentCache;
  /**
   * Every filesystem call of the log (segments, indexes, recovery, retention, compaction) goes
   * through it; default node:fs. Tests inject faults here (`@mq/log/testing`).
   */
  fs?: FileSystem;
}

/** Longest flush.ms honoured as asked: syncing every 24.8 days is within an ask of "almost never". */
const MAX_FLUSH_INTERVAL_MS = 2 ** 31 - 1;

const EMPTY = Buffer.alloc(0);

export class Log {
  private segments: LogSegment[];
  private _logStartOffset: bigint;
  private _logEndOffset: bigint;
  /** Next offset to assign; runs ahead of logEndOffset only while a group is being written. */
  private nextOffset: bigint;
  private readonly queue = new SerialQueue();
  private readonly appends = new AppendQueue();
  private unflushedMessages = 0;
  private dirty = false;
  private closing = false;
  private compacting = false;
  private readonly cleaner: CleanerState = { cleanedUpTo: -1n, nextTombstoneExpiryMs: null };
  /**
   * Set while an append group runs and kept when it fails: where the log must be cut back to before
   * it takes another write (log-repair.ts). Null when the files hold only acknowledged data.
   */
  private repairPoint: RepairPoint | null = null;
  /** Taken off segmentMs for the active segment (segment.jitter.ms), drawn when it was created. */
  private rollJitterMs = 0;
  private stopFlushTimer: Cancel | null = null;
  /** Active segments open O_DSYNC (config.syncWrites under flush 'always'), fixed when the log opens. */
  private readonly syncWrites: boolean;
  /** The clean-shutdown marker is still on disk (nothing written since a clean open). */
  private cleanMarker: boolean;
  /** Files created since the directory was last synced. */
  private dirDirty: boolean;
  private readonly logger: LogLogger;
  /** The directory's name — `<topic>-<partition>` under a broker — used in log lines. */
  readonly name: string;
  private readonly errors: StorageErrorReporter;
  readonly clock: Clock;
  /** Counters for tests and metrics: append groups written and fdatasyncs issued. */
  readonly stats = { appendGroups: 0, flushes: 0 };
  /** What recovery did when this log was opened. */
  readonly recovery: { recoveredSegments: number; truncatedBytes: number };

  private constructor(
    readonly dir: string,
    readonly config: LogConfig,
    private readonly cache: OpenSegmentCache,
    loaded: Awaited<ReturnType<typeof loadLog>>,
    logger: LogLogger,
    private readonly fs: FileSystem,
  ) {
    this.clock = config.clock;
    this.logger = logger;
    this.name = basename(dir);
    this.errors = new StorageErrorReporter(logger, this.name, dir, this.clock);
    this.cleanMarker = loaded.cleanMarker;
    this.dirDirty = loaded.dirDirty;
    this.segments = loaded.segments;
    this._logStartOffset = loaded.logStartOffset;
    this._logEndOffset = loaded.logEndOffset;
    this.nextOffset = loaded.logEndOffset;
    this.recovery = { recoveredSegments: loaded.recoveredSegments, truncatedBytes: loaded.truncatedBytes };
    this.active.createdMs = this.clock.now();
    this.syncWrites = syncsWrites(config);
    this.rollJitterMs = pickRollJitter(this.config);
    const flush = config.flush;
    if (typeof flush === 'object' && flush.intervalMs !== undefined) {
      // Fixed delay (repeat awaits the flush): a slow fsync never queues up behind itself. A
      // failed flush was reported by flush(); the next interval tries again.
      this.stopFlushTimer = repeat(this.clock, Math.min(flush.intervalMs, MAX_FLUSH_INTERVAL_MS), () =>
        this.dirty ? this.flush().catch(() => undefined) : undefined,
      );
    }
  }

  /**
   * Opens (creating if needed) the log in `dir`, recovering it after an unclean shutdown. After a
   * clean shutdown nothing is read but the directory listing and the marker, nothing is synced, and
   * no fd stays open: the active segment opens on first use.
   */
  static async open(dir: string, config: Partial<LogConfig> = {}, options: LogOptions = {}): Promise<Log> {
    const resolved = resolveLogConfig(config);
    const logger = options.logger ?? silentLogger;
    const cache = options.openSegments ?? new OpenSegmentCache(resolved.maxOpenSegments);
    const fs = options.fs ?? nodeFileSystem;
    let loaded: Awaited<ReturnType<typeof loadLog>>;
    try {
      loaded = await loadLog(dir, resolved, cache, logger, fs);
    } catch (err) {
      if (err instanceof KafkaError) throw err;
      const why = describeErrno(err);
      logger.error({ partition: basename(dir), dir, err, errno: errnoCode(err) }, `opening partition ${basename(dir)} failed: ${why}`);
      throw new KafkaStorageError(`opening log ${dir} failed: ${why}`, { cause: err });
    }
    return new Log(dir, resolved, cache, loaded, logger, fs);
  }

  get logStartOffset(): bigint {
    return this._logStartOffset;
  }
  get logEndOffset(): bigint {
    return this._logEndOffset;
  }
  /** Bytes in all segment files. */
  get size(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }
  get segmentCount(): number {
    return this.segments.length;
  }
  /** Base offsets of the segments, oldest first. */
  get segmentBaseOffsets(): bigint[] {
    return this.segments.map((s) => s.baseOffset);
  }
  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  private ensureUsable(): void {
    if (this.closing) throw new KafkaStorageError(`log ${this.dir} is closed`);
  }

  /**
   * After a failed write: cuts the unacknowledged tail off (the writer's turn, in the queue) before
   * anything else changes the log. Throws while the filesystem still fails; the next caller retries.
   */
  private async repair(): Promise<void> {
    const point = this.repairPoint;
    if (point === null) return;
    if (point.doomed.length > 0) this.segments = this.segments.filter((s) => !point.doomed.includes(s));
    await cutBack(this.fs, this.dir, point);
    this.nextOffset = point.mark.nextOffset;
    this._logEndOffset = point.mark.nextOffset;
    this.dirty = false;
    this.unflushedMessages = 0;
    this.repairPoint = null;
    // A roll in the failed group moved the checkpoint's recovery point past the segment cut here.
    if (point.doomed.length > 0) await this.checkpoint();
    this.logger.info(
      { partition: this.name, offset: point.mark.nextOffset.toString(), position: point.mark.size },
      `partition ${this.name} storage usable again: cut back to offset ${point.mark.nextOffset} (byte ${point.mark.size} of ${segmentName(point.segment.baseOffset)}.log); appends resume`,
    );
  }

  /**
   * Appends one RecordBatch v2 after validating it (length, magic, CRC; skipped for `validated`
   * batches, which validateProducedBatch checked further). Offsets are assigned by
   * writing baseOffset in place. Resolves once the flush policy is met for this batch.
   */
  append(batch: Buffer, opts: AppendOptions = {}): Promise<AppendResult> {
    try {
      this.ensureUsable();
      if (opts.validated !== true) validateBatch(batch);
      if (batch.length > this.config.maxMessageBytes) {
        throw new MessageTooLargeError(`batch of ${batch.length} bytes exceeds maxMessageBytes ${this.config.maxMessageBytes}`);
      }
      if (opts.assignOffsets !== false && opts.validated !== true) {
        // A producer batch covers exactly its records; checking the header keeps a bogus
        // lastOffsetDelta from jumping logEndOffset (Kafka rejects these too).
        const count = batch.readInt32BE(RECORDS_COUNT_OFFSET);
        if (count === 0) throw new InvalidRecordError('record batch has no records');
        if (readLastOffsetDelta(batch) !== count - 1) {
          throw new InvalidRecordError(`lastOffsetDelta ${readLastOffsetDelta(batch)} does not match ${count} records`);
        }
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const first = this.appends.push({ batch, opts, resolve, reject, settled: false });
      if (first) void this.queue.run(() => this.drainGroup());
    });
  }

  private async drainGroup(): Promise<void> {
    const group = this.appends.takeGroup();
    if (this.appends.scheduleNext()) void this.queue.run(() => this.drainGroup());
    if (group.length === 0) return;
    const done: [PendingAppend, AppendResult][] = [];
    let bufs: Buffer[] = [];
    let bufBytes = 0;
    let messages = 0;
    try {
      this.ensureUsable();
      await this.repair();
      await this.prepareWrite();
      this.repairPoint = repairPointOf(this.active, this.nextOffset);
      const now = this.clock.now();
      for (const req of group) {
        const b = req.batch;
        let base = this.nextOffset;
        if (req.opts.assignOffsets === false) {
          base = readBaseOffset(b);
          if (base < this.nextOffset) {
            req.settled = true;
            req.reject(new InvalidRecordError(`batch baseOffset ${base} is below logEndOffset ${this.nextOffset}`));
            continue;
          }
        }
        const last = base + BigInt(readLastOffsetDelta(b));
        if (this.shouldRoll(bufBytes, b.length, last, now)) {
          await this.writePending(bufs);
          bufs = [];
          bufBytes = 0;
          await this.roll(base);
        }
        if (req.opts.assignOffsets !== false) setBaseOffset(b, base);
        if (req.opts.leaderEpoch !== undefined) setPartitionLeaderEpoch(b, req.opts.leaderEpoch);
        const result: AppendResult = { baseOffset: base, lastOffset: last, position: this.active.size + bufBytes };
        if (req.opts.logAppendTime) {
          result.logAppendTime = BigInt(now);
          setLogAppendTime(b, result.logAppendTime);
        }
        this.active.rollingBasedTimestamp ??= now;
        done.push([req, result]);
        bufs.push(b);
        bufBytes += b.length;
        messages += b.readInt32BE(RECORDS_COUNT_OFFSET);
        this.nextOffset = last + 1n;
      }
      await this.writePending(bufs);
      await this.applyFlushPolicy(messages);
      this.repairPoint = null;
      for (const [req, result] of done) {
        req.settled = true;
        req.resolve(result);
      }
    } catch (err) {
      let e: KafkaError;
      if (err instanceof KafkaError) {
        e = err;
      } else {
        this.errors.report('append', err, {});
        e = new KafkaStorageError(`append to partition ${this.name} failed: ${describeErrno(err)}`, { cause: err });
      }
      for (const req of group) if (!req.settled) req.reject(e);
      await this.afterFailedGroup();
    }
  }

  /** Nothing of a failed group is acknowledged or readable; its bytes are cut off now if the disk lets us. */
  private async afterFailedGroup(): Promise<void> {
    const point = this.repairPoint;
    if (point === null) return;
    this.repairPoint = withDoomed(point, this.segments);
    this.nextOffset = point.mark.nextOffset;
    this._logEndOffset = point.mark.nextOffset;
    // fsync failed: what was acknowledged before without one (flush.messages > 1) may not be on disk.
    this.dirty = true;
    try {
      await this.repair();
    } catch (err) {
      this.errors.report('repair', err, {}, `partition ${this.name} cannot cut back its failed write yet (${describeErrno(err)}): it answers KAFKA_STORAGE_ERROR to appends until the next attempt succeeds`);
    }
  }

  /**
   * Before the first change after open: the clean-shutdown marker goes (a crash from here on must
   * run recovery) and files created by open become durable. Deferred from open so that opening
   * thousands of logs syncs nothing; costs one directory sync on the first write.
   */
  private async prepareWrite(): Promise<void> {
    if (this.cleanMarker) {
      await unlinkIfExists(this.fs, `${this.dir}/${CLEAN_SHUTDOWN_FILE}`);
      this.cleanMarker = false;
      this.dirDirty = true;
    }
    if (this.dirDirty) {
      await syncDir(this.fs, this.dir);
      this.dirDirty = false;
    }
  }

  private shouldRoll(pendingBytes: number, batchBytes: number, lastOffset: bigint, now: number): boolean {
    return shouldRollSegment(this.active, this.config, { pendingBytes, batchBytes, lastOffset, now, rollJitterMs: this.rollJitterMs });
  }

  /** Writes assigned batches to the active segment and publishes the new logEndOffset. */
  private async writePending(bufs: Buffer[]): Promise<void> {
    if (bufs.length === 0) return;
    const seg = this.active;
    const fd = await seg.acquire();
    const before = seg.size;
    let synced: boolean;
    try {
      synced = await seg.append(fd, bufs, this.config.preallocate ? this.config.segmentBytes : 0);
      this.stats.appendGroups++;
    } catch (err) {
      const firstOffset = this._logEndOffset;
      const lastOffset = this.nextOffset - 1n;
      let bytes = 0;
      for (const b of bufs) bytes += b.length;
      // Whatever part of the write landed is cut off by the repair (afterFailedGroup), so no half
      // batch poisons the partition.
      const file = `${segmentName(seg.baseOffset)}.log`;
      this.errors.report(
        'append',
        err,
        { segment: file, position: before, bytes, batches: bufs.length, firstOffset: firstOffset.toString(), lastOffset: lastOffset.toString() },
        `append to partition ${this.name} segment ${file} at byte ${before} failed: ${describeErrno(err)}; ` +
          `${bufs.length} batches (${bytes} bytes, offsets ${firstOffset}–${lastOffset}) not stored and not acknowledged`,
      );
      throw new KafkaStorageError(`write to partition ${this.name} segment ${file} failed: ${describeErrno(err)}`, { cause: err });
    } finally {
      seg.release();
    }
    this._logEndOffset = this.nextOffset;
    if (!synced) this.dirty = true;
  }

  private async applyFlushPolicy(messages: number): Promise<void> {
    const flush = this.config.flush;
    if (flush === 'always') {
      // Not dirty: every write of the group went through an O_DSYNC fd and is durable already.
      if (this.dirty) await this.flushActive();
    } else if (typeof flush === 'object' && flush.messages !== undefined) {
      this.unflushedMessages += messages;
      if (this.unflushedMessages >= flush.messages) await this.flushActive();
    }
  }

  private async flushActive(): Promise<void> {
    const seg = this.active;
    const fd = await seg.acquire();
    try {
      this.dirty = false;
      this.unflushedMessages = 0;
      this.stats.flushes++;
      await seg.flush(fd);
    } catch (err) {
      // Still unsynced: a later flush (the flush.ms timer, the next count) tries again.
      this.dirty = true;
      throw err;
    } finally {
      seg.release();
    }
  }

  /** Seals the active segment (data + indexes synced) and starts a new one at `baseOffset`. */
  private async roll(baseOffset: bigint): Promise<void> {
    const old = this.active;
    const fd = await old.acquire();
    try {
      // Trimmed before the sync that seals it: the next segment exists only once this one is all data.
      await old.trimPreallocation(fd);
      await old.flush(fd);
      await old.writeIndexFiles();
    } finally {
      old.release();
    }
    const seg = await LogSegment.create(this.dir, baseOffset, this.config.indexIntervalBytes, this.cache, this.fs, '', this.syncWrites);
    seg.active = true;
    seg.createdMs = this.clock.now();
    this.rollJitterMs = pickRollJitter(this.config);
    old.active = false;
    // Reopened later only to be read: no reason for O_DSYNC.
    old.syncWrites = false;
    this.segments = [...this.segments, seg];
    await syncDir(this.fs, this.dir);
    this.unflushedMessages = 0;
    await this.checkpoint();
  }

  private checkpoint(): Promise<void> {
    return writeCheckpoint(this.fs, this.dir, { logStartOffset: this._logStartOffset, recoveryPoint: this.active.baseOffset });
  }

  /**
   * Raw bytes of whole batches starting with the batch that contains `offset`: at least one batch
   * if any exists below maxOffset (even one larger than maxBytes unless `minOneBatch` is false),
   * else an empty buffer.
   */
  async read(offset: bigint, maxBytes: number, opts: ReadOptions = {}): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      if (this.closing) throw new KafkaStorageError(`log ${this.dir} is closed`);
      const lso = this._logStartOffset;
      const leo = this._logEndOffset;
      if (offset < lso || offset > leo) {
        throw new OffsetOutOfRangeError(`offset ${offset} is outside [${lso}, ${leo}] in ${this.dir}`, { logStartOffset: lso, logEndOffset: leo });
      }
      const maxOffset = opts.maxOffset !== undefined && opts.maxOffset < leo ? opts.maxOffset : leo;
      if (offset >= maxOffset) return EMPTY;
      try {
        return await readSegments(this.segments, offset, maxBytes, maxOffset, opts.minOneBatch ?? true);
      } catch (err) {
        if (!(await Log.retryable(err, attempt))) throw this.storageError(err, 'read');
      }
    }
  }

  /** A segment vanished under a reader (retention, truncation, compaction swap): retry on a fresh list. */
  private static async retryable(err: unknown, attempt: number): Promise<boolean> {
    if (!(err instanceof SegmentGoneError || isNotFound(err)) || attempt >= 8) return false;
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }

  /** Runs `fn` as the log's single writer; filesystem failures become KafkaStorageError. */
  private exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.ensureUsable();
      try {
        await this.repair();
        return await fn();
      } catch (err) {
        throw this.storageError(err, what);
      }
    });
  }

  /** Filesystem failures surface as KafkaStorageError (code 56), logged; typed log and record errors pass through. */
  private storageError(err: unknown, what: string): KafkaError {
    if (err instanceof KafkaError && !(err instanceof SegmentGoneError)) return err;
    this.errors.report(what, err, {});
    return new KafkaStorageError(`${what} on partition ${this.name} failed: ${describeErrno(err)}`, { cause: err });
  }

  /** The first record at or after logStartOffset whose timestamp is >= `timestamp`, or null. */
  async offsetForTimestamp(timestamp: bigint): Promise<TimestampOffset | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await findOffsetForTimestamp(this.segments, timestamp, this._logStartOffset, this._logEndOffset);
      } catch (err) {
        if (!(await Log.retryable(err, attempt))) throw this.storageError(err, 'offsetForTimestamp');
      }
    }
  }

  /** Removes every batch with lastOffset >= offset; logEndOffset becomes `offset`. For replication. */
  truncateTo(offset: bigint): Promise<void> {
    return this.exclusive('truncateTo', async () => {
      if (offset >= this._logEndOffset) return;
      await this.prepareWrite();
      const segs = this.segments;
      if (offset < this._logStartOffset) {
        // Nothing below offset survives: start afresh there (Kafka's truncateFullyAndStartAt).
        this._logStartOffset = offset;
        this._logEndOffset = offset;
        this.segments = [];
        for (const s of segs.slice().reverse()) await s.markDeleted(true);
        const seg = await LogSegment.create(this.dir, offset, this.config.indexIntervalBytes, this.cache, this.fs, '', this.syncWrites);
        seg.active = true;
        seg.createdMs = this.clock.now();
        this.segments = [seg];
      } else {
        const i = floorSegmentIndex(segs, offset);
        const target = segs[i]!;
        const wasActive = target.active;
        const fd = await target.acquire();
        try {
          await target.ensureIndexes(fd);
          target.active = true;
          target.syncWrites = this.syncWrites;
          if (!wasActive) target.createdMs = this.clock.now();
          this.segments = segs.slice(0, i + 1);
          // Newest first: a crash part-way leaves a longer log, never one with a hole in it.
          for (const s of segs.slice(i + 1).reverse()) await s.markDeleted(true);
          const removed = await target.truncateTo(fd, offset);
          if (removed === 0 && !wasActive) await target.rebuild(fd, false);
          await target.flush(fd);
        } finally {
          target.release();
        }
      }
      this._logEndOffset = offset;
      this.nextOffset = offset;
      await syncDir(this.fs, this.dir);
      await this.checkpoint();
    });
  }

  /** Advances logStartOffset (Kafka DeleteRecords) and drops segments wholly below it. */
  deleteRecordsBefore(offset: bigint): Promise<bigint> {
    return this.exclusive('deleteRecordsBefore', async () => {
      if (offset > this._logEndOffset) {
        throw new OffsetOutOfRangeError(`cannot delete records before ${offset}: logEndOffset is ${this._logEndOffset}`, {
          logStartOffset: this._logStartOffset,
          logEndOffset: this._logEndOffset,
        });
      }
      if (offset > this._logStartOffset) {
        await this.prepareWrite();
        this._logStartOffset = offset;
        await this.deleteOldSegments(0, false);
      }
      return this._logStartOffset;
    });
  }

  /** Applies retention.ms / retention.bytes / logStartOffset; returns the number of segments deleted. */
  applyRetention(): Promise<number> {
    return this.exclusive('applyRetention', async () => {
      const plan = await planRetention(this.segments, this._logStartOffset, this.config, this.clock.now());
      // Checked before prepareWrite: an idle log's retention check must not cost its clean marker.
      if (plan.count === 0 && !plan.rollActive) return 0;
      await this.prepareWrite();
      return this.deleteOldSegments(plan.count, plan.rollActive);
    });
  }

  private async deleteOldSegments(count: number, rollActive: boolean): Promise<number> {
    if (rollActive) await this.roll(this.nextOffset);
    let k = count;
    const segs = this.segments;
    while (k < segs.length - 1 && segs[k + 1]!.baseOffset <= this._logStartOffset) k++;
    k = Math.min(k, segs.length - 1);
    const doomed = segs.slice(0, k);
    this.segments = segs.slice(k);
    const first = this.segments[0]!.baseOffset;
    if (first > this._logStartOffset) this._logStartOffset = first;
    await this.checkpoint();
    for (const s of doomed) await s.markDeleted(true);
    return doomed.length;
  }

  /** Compacts the inactive segments (cleanupPolicy includes 'compact'); see log-compactor.ts. */
  async compact(): Promise<CompactionStats> {
    this.ensureUsable();
    if (this.compacting) return { segmentsCleaned: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0 };
    this.compacting = true;
    try {
      return await this.runCompaction();
    } finally {
      this.compacting = false;
    }
  }

  private runCompaction(): Promise<CompactionStats> {
    return compactLog({
      dir: this.dir,
      config: this.config,
      cache: this.cache,
      fs: this.fs,
      now: () => this.clock.now(),
      segments: () => this.segments,
      exclusive: (fn) =>
        this.queue.run(async () => {
          this.ensureUsable();
          await this.repair();
          await this.prepareWrite();
          return fn();
        }),
      replace: (old, replacement) => {
        const i = this.segments.indexOf(old[0]!);
        const next = this.segments.slice();
        next.splice(i, old.length, replacement);
        this.segments = next;
      },
    }, this.cleaner);
  }

  /** fdatasync the active segment now, whatever the flush policy. */
  flush(): Promise<void> {
    return this.exclusive('flush', async () => {
      await this.flushActive();
    });
  }

  /** Flushes everything, writes indexes and a clean-shutdown marker, and releases files. */
  async close(): Promise<void> {
    if (this.closing) return;
    await this.queue.idle();
    this.closing = true;
    this.stopFlushTimer?.();
    this.stopFlushTimer = null;
    await this.queue.run(async () => {
      // A failed write not cut back yet: one more try; if the disk still fails, no clean marker
      // (the next open runs recovery instead of trusting the files).
      await this.repair().catch(() => undefined);
      const seg = this.active;
      // Nothing written since a clean open: the files and the marker on disk are still exact.
      if (this.repairPoint === null && !this.cleanMarker) {
        // A log created by this open and never written holds nothing to flush, index or checkpoint:
        // the marker alone (its directory sync also makes the new segment file durable) is enough,
        // so stopping after creating thousands of partitions costs one sync each, not six.
        const pristine = this.dirDirty && seg.size === 0 && this.segments.length === 1;
        if (!pristine) {
          const fd = await seg.acquire();
          try {
            // The marker records the segment's size: the file must end there.
            await seg.trimPreallocation(fd);
            await seg.flush(fd);
            await seg.writeIndexFiles();
          } finally {
            seg.release();
          }
          await this.checkpoint();
        }
        await markCleanShutdown(this.fs, this.dir, {
          logStartOffset: this._logStartOffset,
          logEndOffset: this._logEndOffset,
          activeBaseOffset: seg.baseOffset,
          activeSize: seg.size,
        });
      }
      for (const s of this.segments) await s.markDeleted(false);
    });
  }

  /** Closes the log and removes its directory. */
  async delete(): Promise<void> {
    await this.close();
    await this.fs.removeTree(this.dir);
  }
}
