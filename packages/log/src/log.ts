// Log: a directory of segments holding RecordBatch v2 bytes as received. One writer (a SerialQueue)
// mutates it: appends are drained in groups so concurrent appends share one write and, under
// flush 'always', one fdatasync (group commit). Reads run concurrently against segment snapshots.
import { promises as fsp } from 'node:fs';
import {
  InvalidRecordError,
  KafkaStorageError,
  LogError,
  OffsetOutOfRangeError,
  RecordBatchTooLargeError,
  SegmentGoneError,
} from './errors';
import { type Clock, type LogConfig, resolveLogConfig } from './log-config';
import { LogSegment } from './log-segment';
import { OpenSegmentCache } from './open-segment-cache';
import { SerialQueue } from './serial-queue';
import { ftruncate, isNotFound, syncDir } from './fs-ops';
import { loadLog, markCleanShutdown } from './log-recovery';
import { planRetention } from './log-retention';
import { pickRollJitter, shouldRollSegment } from './segment-roll';
import { type CleanerState, type CompactionStats, compactLog } from './log-compactor';
import { writeCheckpoint } from './segment-files';
import { type TimestampOffset, findOffsetForTimestamp, floorSegmentIndex, readSegments } from './log-reader';

import { AppendQueue, type PendingAppend } from './append-queue';
import type { AppendOptions, AppendResult, ReadOptions } from './log-types';

export type { TimestampOffset } from './log-reader';
export type { AppendOptions, AppendResult, ReadOptions } from './log-types';
import {
  RECORDS_COUNT_OFFSET,
  readBaseOffset,
  readLastOffsetDelta,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
} from './record-batch/batch-header';
import { validateBatch } from './record-batch/validate-batch';

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
  private failure: unknown = null;
  /** Taken off segmentMs for the active segment (segment.jitter.ms), drawn when it was created. */
  private rollJitterMs = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  readonly clock: Clock;
  /** Counters for tests and metrics: append groups written and fdatasyncs issued. */
  readonly stats = { appendGroups: 0, flushes: 0 };
  /** What recovery did when this log was opened. */
  readonly recovery: { recoveredSegments: number; truncatedBytes: number };

  private constructor(
    readonly dir: string,
    readonly config: LogConfig,
    private readonly cache: OpenSegmentCache<LogSegment>,
    loaded: Awaited<ReturnType<typeof loadLog>>,
  ) {
    this.clock = config.clock;
    this.segments = loaded.segments;
    this._logStartOffset = loaded.logStartOffset;
    this._logEndOffset = loaded.logEndOffset;
    this.nextOffset = loaded.logEndOffset;
    this.recovery = { recoveredSegments: loaded.recoveredSegments, truncatedBytes: loaded.truncatedBytes };
    this.active.createdMs = this.clock.now();
    this.rollJitterMs = pickRollJitter(this.config);
    const flush = config.flush;
    if (typeof flush === 'object' && 'intervalMs' in flush) {
      this.flushTimer = setInterval(() => {
        if (this.dirty) this.flush().catch(() => undefined);
      }, flush.intervalMs);
      this.flushTimer.unref();
    }
  }

  /** Opens (creating if needed) the log in `dir`, recovering it after an unclean shutdown. */
  static async open(dir: string, config: Partial<LogConfig> = {}): Promise<Log> {
    const resolved = resolveLogConfig(config);
    const cache = new OpenSegmentCache<LogSegment>(resolved.maxOpenSegments);
    const loaded = await loadLog(dir, resolved, cache);
    return new Log(dir, resolved, cache, loaded);
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
    if (this.failure !== null) throw new KafkaStorageError(`log ${this.dir} failed earlier`, { cause: this.failure });
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
        throw new RecordBatchTooLargeError(`batch of ${batch.length} bytes exceeds maxMessageBytes ${this.config.maxMessageBytes}`);
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
      for (const [req, result] of done) {
        req.settled = true;
        req.resolve(result);
      }
    } catch (err) {
      const e = err instanceof LogError ? err : new KafkaStorageError(`append to ${this.dir} failed`, { cause: err });
      for (const req of group) if (!req.settled) req.reject(e);
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
    try {
      await seg.append(fd, bufs);
      this.stats.appendGroups++;
    } catch (err) {
      this.nextOffset = this._logEndOffset;
      try {
        await ftruncate(fd, before);
      } catch (truncErr) {
        this.failure = truncErr;
      }
      throw new KafkaStorageError(`write to ${seg.logPath} failed`, { cause: err });
    } finally {
      seg.release();
    }
    this._logEndOffset = this.nextOffset;
    this.dirty = true;
  }

  private async applyFlushPolicy(messages: number): Promise<void> {
    const flush = this.config.flush;
    if (flush === 'always') {
      await this.flushActive();
    } else if (typeof flush === 'object' && 'messages' in flush) {
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
    } finally {
      seg.release();
    }
  }

  /** Seals the active segment (data + indexes synced) and starts a new one at `baseOffset`. */
  private async roll(baseOffset: bigint): Promise<void> {
    const old = this.active;
    const fd = await old.acquire();
    try {
      await old.flush(fd);
      await old.writeIndexFiles();
    } finally {
      old.release();
    }
    const seg = await LogSegment.create(this.dir, baseOffset, this.config.indexIntervalBytes, this.cache);
    seg.active = true;
    seg.createdMs = this.clock.now();
    this.rollJitterMs = pickRollJitter(this.config);
    old.active = false;
    this.segments = [...this.segments, seg];
    await syncDir(this.dir);
    this.unflushedMessages = 0;
    await this.checkpoint();
  }

  private checkpoint(): Promise<void> {
    return writeCheckpoint(this.dir, { logStartOffset: this._logStartOffset, recoveryPoint: this.active.baseOffset });
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
        throw new OffsetOutOfRangeError(`offset ${offset} is outside [${lso}, ${leo}] in ${this.dir}`, lso, leo);
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
        return await fn();
      } catch (err) {
        throw this.storageError(err, what);
      }
    });
  }

  /** Filesystem failures surface as KafkaStorageError (code 56); typed log errors pass through. */
  private storageError(err: unknown, what: string): LogError {
    return err instanceof LogError && !(err instanceof SegmentGoneError) ? err : new KafkaStorageError(`${what} in ${this.dir} failed`, { cause: err });
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
      const segs = this.segments;
      if (offset < this._logStartOffset) {
        // Nothing below offset survives: start afresh there (Kafka's truncateFullyAndStartAt).
        this._logStartOffset = offset;
        this._logEndOffset = offset;
        this.segments = [];
        for (const s of segs.slice().reverse()) await s.markDeleted(true);
        const seg = await LogSegment.create(this.dir, offset, this.config.indexIntervalBytes, this.cache);
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
      await syncDir(this.dir);
      await this.checkpoint();
    });
  }

  /** Advances logStartOffset (Kafka DeleteRecords) and drops segments wholly below it. */
  deleteRecordsBefore(offset: bigint): Promise<bigint> {
    return this.exclusive('deleteRecordsBefore', async () => {
      if (offset > this._logEndOffset) {
        throw new OffsetOutOfRangeError(`cannot delete records before ${offset}: logEndOffset is ${this._logEndOffset}`, this._logStartOffset, this._logEndOffset);
      }
      if (offset > this._logStartOffset) {
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
      now: () => this.clock.now(),
      segments: () => this.segments,
      exclusive: (fn) =>
        this.queue.run(async () => {
          this.ensureUsable();
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
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.queue.run(async () => {
      const seg = this.active;
      if (this.failure === null) {
        const fd = await seg.acquire();
        try {
          await seg.flush(fd);
          await seg.writeIndexFiles();
        } finally {
          seg.release();
        }
        await this.checkpoint();
        await markCleanShutdown(this.dir);
      }
      for (const s of this.segments) await s.markDeleted(false);
    });
  }

  /** Closes the log and removes its directory. */
  async delete(): Promise<void> {
    await this.close();
    await fsp.rm(this.dir, { recursive: true, force: true });
  }
}
