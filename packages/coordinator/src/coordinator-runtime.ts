// The coordinator runtime (Kafka's CoordinatorRuntime): one shard per coordinator partition led
// here. A write operation runs synchronously against its shard and returns { records, response };
// the runtime appends the records through the PartitionWriter and only after the append succeeds
// replays them into the shard and completes the response. Loading replays the partition from its
// log start through the same replay, so live requests and recovery share one path. Each shard has
// one serialising loop: an operation starts only after the previous one's append settled, so no
// operation ever sees state another one has not yet made durable.
import type { Partition } from '@mq/partition';
import type { Clock } from '@mq/timerwheel';
import { type LoadSummary, loadPartition } from './coordinator-loader';
import type { CoordinatorRecordSerde } from './coordinator-record-serde';
import type { CoordinatorResult } from './coordinator-result';
import type { CoordinatorShard, ShardContext, ShardFactory } from './coordinator-shard';
import { CoordinatorLoadInProgressError, CoordinatorWriteError, NotCoordinatorError, appendErrorCode } from './errors';
import { PartitionRecordWriter, type PartitionWriter } from './partition-writer';
import { ShardTimers } from './shard-timers';

export type ShardStatus = 'loading' | 'active' | 'failed';

export interface CoordinatorRuntimeOptions<S extends CoordinatorShard<R>, R> {
  /** Used in error messages and logs, e.g. "group coordinator". */
  readonly name?: string;
  readonly serde: CoordinatorRecordSerde<R>;
  readonly shardFactory: ShardFactory<S, R>;
  readonly clock: Clock;
  /** The writer for a loaded partition; default PartitionRecordWriter (appends to the Partition). */
  readonly writerFor?: (partition: Partition, partitionIndex: number) => PartitionWriter;
  /** Failures no request is waiting for: failed appends, timer operations (and unreadable records, unless the next is given). */
  readonly onError?: (err: unknown, context: string) => void;
  /** A record loading skipped (the serde could not read it); default: onError naming partition and offset. */
  readonly onUnreadableRecord?: (err: unknown, partitionIndex: number, offset: bigint) => void;
}

/** How load() starts (a leadership-driven load passes both; see followLeadership). */
export interface LoadOptions {
  /**
   * Wait, before replaying, until the high watermark reaches the log end this broker had when the
   * load began: a new leader's log may hold records the old one acknowledged whose commit it has
   * not learned yet, and a shard loaded without them would answer from a state that lost them.
   */
  readonly awaitCommitted?: boolean;
  /** Polled while loading: false abandons the load (the leadership it was for has moved on). */
  readonly isCurrent?: () => boolean;
}

/** How often a load waiting for the high watermark looks again. */
const COMMIT_POLL_MS = 20;

interface ShardSlot<S> {
  readonly partitionIndex: number;
  readonly partition: Partition;
  status: ShardStatus;
  readonly shard: S;
  readonly writer: PartitionWriter;
  readonly timers: ShardTimers;
  /** The serialising loop: settles when the last queued operation did. */
  tail: Promise<unknown>;
  /** Operations queued or in flight (an idle shard may start the next one at once). */
  queued: number;
}

/** How an operation is scheduled. */
export interface WriteOptions {
  /**
   * On an idle shard (nothing queued or in flight) start the operation inside this call rather
   * than on the next turn of the loop, so it keeps its place relative to synchronous reads of the
   * shard made after the call (the group coordinator's request order). Default false.
   */
  readonly startIfIdle?: boolean;
}

export class CoordinatorRuntime<S extends CoordinatorShard<R>, R> {
  private readonly slots = new Map<number, ShardSlot<S>>();
  private readonly name: string;
  private readonly onError: (err: unknown, context: string) => void;
  private closed = false;

  constructor(private readonly opts: CoordinatorRuntimeOptions<S, R>) {
    this.name = opts.name ?? 'coordinator';
    this.onError = opts.onError ?? (() => {});
  }

  /**
   * The partition's leadership arrived here: builds its shard, replays the partition from its log
   * start (operations meanwhile get COORDINATOR_LOAD_IN_PROGRESS), then calls onLoaded.
   */
  async load(partitionIndex: number, partition: Partition, opts: LoadOptions = {}): Promise<LoadSummary> {
    if (this.closed) throw new NotCoordinatorError(`${this.name} is closed`);
    if (this.slots.has(partitionIndex)) throw new Error(`${this.name}: partition ${partitionIndex} is already loaded`);
    const writer = this.opts.writerFor?.(partition, partitionIndex) ?? new PartitionRecordWriter(partition, () => this.opts.clock.now());
    let slot: ShardSlot<S> | undefined;
    const timers = new ShardTimers(this.opts.clock, (key, fire) => {
      if (slot !== undefined && this.slots.get(partitionIndex) === slot) fire();
      else this.onError(new NotCoordinatorError(`timer ${key} fired after unload`), `${this.name} timer ${key}`);
    });
    const ctx: ShardContext<S, R> = {
      partitionIndex,
      clock: timers,
      scheduleWrite: (name, op, writeOpts) => this.scheduleWriteOperation(name, partitionIndex, op, writeOpts),
      scheduleTimer: (key, delayMs, op) =>
        timers.scheduleKeyed(key, delayMs, () => {
          this.scheduleWriteOperation(`timer ${key}`, partitionIndex, op).catch((err: unknown) => this.onError(err, `${this.name} timer ${key}`));
        }),
      cancelTimer: (key) => timers.cancelKeyed(key),
    };
    const shard = this.opts.shardFactory(ctx);
    const current: ShardSlot<S> = { partitionIndex, partition, status: 'loading', shard, writer, timers, tail: Promise.resolve(), queued: 0 };
    slot = current;
    this.slots.set(partitionIndex, current);
    const isCurrent = opts.isCurrent ?? (() => true);
    const stillLoaded = () => this.slots.get(partitionIndex) === current && isCurrent();
    let summary: LoadSummary;
    try {
      if (opts.awaitCommitted === true) await this.awaitHighWatermark(partition, partition.logEndOffset, stillLoaded);
      summary = await loadPartition(
        partition,
        this.opts.serde,
        (record, offset) => shard.replay(record, offset),
        (err, offset) =>
          this.opts.onUnreadableRecord !== undefined
            ? this.opts.onUnreadableRecord(err, partitionIndex, offset)
            : this.onError(err, `${this.name} partition ${partitionIndex}: skipping the unreadable record at offset ${offset}`),
        () => !stillLoaded(),
      );
    } catch (err) {
      if (stillLoaded()) current.status = 'failed';
      this.onError(err, `${this.name} partition ${partitionIndex}: loading failed`);
      throw err;
    }
    if (!stillLoaded()) {
      if (this.slots.get(partitionIndex) === current) await this.unload(partitionIndex);
      throw new NotCoordinatorError(`${this.name} partition ${partitionIndex} was unloaded while loading`);
    }
    current.status = 'active';
    shard.onLoaded?.();
    return summary;
  }

  /**
   * The partition's leadership left (or the broker stops): new operations get NOT_COORDINATOR, the
   * one in flight completes with NOT_COORDINATOR after its append settles, timers are cancelled.
   */
  async unload(partitionIndex: number): Promise<void> {
    const slot = this.slots.get(partitionIndex);
    if (slot === undefined) return;
    this.slots.delete(partitionIndex);
    slot.timers.cancelAll();
    try {
      slot.shard.onUnloaded?.();
    } catch (err) {
      this.onError(err, `${this.name} partition ${partitionIndex}: unloading`);
    }
    await slot.tail;
  }

  /** Resolves once the partition's high watermark reaches `target`, or when `go` turns false. */
  private awaitHighWatermark(partition: Partition, target: bigint, go: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (partition.highWatermark >= target || !go() || this.closed) resolve();
        else this.opts.clock.schedule(COMMIT_POLL_MS, check);
      };
      check();
    });
  }

  /** The Partition a loaded shard was built on (a new leadership of the same replica keeps it). */
  loadedPartition(partitionIndex: number): Partition | undefined {
    return this.slots.get(partitionIndex)?.partition;
  }

  status(partitionIndex: number): ShardStatus | undefined {
    return this.slots.get(partitionIndex)?.status;
  }

  /** The loaded partitions (active, loading or failed). */
  partitions(): number[] {
    return [...this.slots.keys()];
  }

  /** The active shard (for reads that need no loop), or undefined. */
  shard(partitionIndex: number): S | undefined {
    const slot = this.slots.get(partitionIndex);
    return slot?.status === 'active' ? slot.shard : undefined;
  }

  /** Runs `op` synchronously against the active shard: its state only ever holds appended records. */
  readOperation<T>(partitionIndex: number, op: (shard: S) => T): T {
    return op(this.activeSlot(partitionIndex).shard);
  }

  /**
   * Queues `op` on the shard's loop (or, with startIfIdle on an idle shard, starts it now). When
   * its turn comes it runs synchronously and changes nothing the log holds (a classic group's
   * in-flight rebalance, which no record holds, it may); its records are appended as one batch, then
   * replayed, then its onCommitted runs, then the response is returned. A failed append rejects with CoordinatorWriteError
   * (its code mapped for the client) and leaves the shard as it was; `op` throwing rejects with
   * that error and writes nothing.
   */
  scheduleWriteOperation<T>(name: string, partitionIndex: number, op: (shard: S) => CoordinatorResult<R, T>, opts: WriteOptions = {}): Promise<T> {
    let slot: ShardSlot<S>;
    try {
      slot = this.activeSlot(partitionIndex);
    } catch (err) {
      return Promise.reject(err);
    }
    const start = () => this.runWrite(slot, name, op);
    // Counted before it starts, so an operation scheduled from inside this one waits its turn.
    const idle = slot.queued++ === 0;
    if (idle && opts.startIfIdle === true) {
      // The loop's tail is this operation from before it starts: one it schedules queues behind it.
      let release!: () => void;
      slot.tail = new Promise<void>((resolve) => (release = resolve));
      const now = start();
      now.then(release, release);
      return now;
    }
    const run = slot.tail.then(start);
    slot.tail = run.catch(() => undefined);
    return run;
  }

  private async runWrite<T>(slot: ShardSlot<S>, name: string, op: (shard: S) => CoordinatorResult<R, T>): Promise<T> {
    // The count drops in the same synchronous run as the operation's last step (no promise turn
    // later), so a caller it answered already sees the shard idle.
    try {
      if (this.slots.get(slot.partitionIndex) !== slot) throw this.notHere(slot.partitionIndex);
      const result = op(slot.shard);
      if (result.records.length === 0) {
        result.onCommitted?.();
        return result.response;
      }
      const raw = result.records.map((r) => this.opts.serde.serialize(r));
      let baseOffset: bigint;
      try {
        baseOffset = await slot.writer.append(raw);
      } catch (err) {
        const code = appendErrorCode(err);
        this.onError(err, `${this.name} partition ${slot.partitionIndex}: appending the records of ${name}`);
        const failure = new CoordinatorWriteError(code, `${name}: the records could not be appended to partition ${slot.partitionIndex}`, err);
        try {
          result.onFailed?.(failure);
        } catch (hookErr) {
          this.onError(hookErr, `${this.name} partition ${slot.partitionIndex}: after the failed append of ${name}`);
        }
        throw failure;
      }
      // Unloaded while appending: the records are in the log (the next leader replays them), not in this shard.
      if (this.slots.get(slot.partitionIndex) !== slot) throw this.notHere(slot.partitionIndex);
      let offset = baseOffset;
      for (const r of result.records) slot.shard.replay(r, offset++);
      result.onCommitted?.();
      return result.response;
    } finally {
      slot.queued--;
    }
  }

  private activeSlot(partitionIndex: number): ShardSlot<S> {
    const slot = this.slots.get(partitionIndex);
    if (slot === undefined || slot.status === 'failed') throw this.notHere(partitionIndex);
    if (slot.status === 'loading') throw new CoordinatorLoadInProgressError(`${this.name} partition ${partitionIndex} is loading`);
    return slot;
  }

  private notHere(partitionIndex: number): NotCoordinatorError {
    return new NotCoordinatorError(`${this.name} partition ${partitionIndex} is not loaded on this broker`);
  }

  /** Settles once no shard has an operation queued or in flight (tests, orderly shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const tails = [...this.slots.values()].map((s) => s.tail);
      await Promise.all(tails);
      if ([...this.slots.values()].every((s, i) => s.tail === tails[i])) return;
    }
  }

  /** Unloads every shard (after the operations in flight settle). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.partitions().map((p) => this.unload(p)));
  }
}
