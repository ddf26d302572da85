// The state of one delay-topic partition (a coordinator shard): the messages scheduled and not yet
// delivered or cancelled, each armed on the clock once the shard is loaded. Replay is the only
// place the pending set changes. Due messages queue up and are delivered in batches, one flush at
// a time: per target in due order, then their tombstones go through the runtime's loop.
import type { CoordinatorResult, CoordinatorShard, ShardContext } from '@mq/coordinator';
import type { DelayRecord } from './delay-record';
import { readDelayedTarget } from './delayed-message';
import { type DelayTarget, PendingDelay } from './pending-delay';

/**
 * What delivering a group of due messages of one target ended in: the first `delivered` are in
 * their topic; the rest are dropped (the topic refused them for good) or are to be tried again.
 */
export interface DeliveryOutcome {
  readonly delivered: number;
  readonly rest: 'dropped' | 'retry';
}

export interface DelayShardHooks {
  /** Appends `due` (same target, in due order) to the target partition; never rejects. */
  deliver(target: DelayTarget, due: readonly PendingDelay[], storePartition: number): Promise<DeliveryOutcome>;
  /** How long a message whose delivery failed waits before the next try. */
  readonly retryBackoffMs: number;
  onError(err: unknown, context: string): void;
}

export class DelayShard implements CoordinatorShard<DelayRecord> {
  readonly pending = new Map<number, PendingDelay>();
  private readonly targets = new Map<string, DelayTarget>();
  private loaded = false;
  private due: PendingDelay[] = [];
  private flushing: Promise<void> | undefined;
  private readonly enqueue = (e: PendingDelay) => this.onDue(e);

  constructor(
    readonly ctx: ShardContext<DelayShard, DelayRecord>,
    private readonly hooks: DelayShardHooks,
  ) {}

  get partitionIndex(): number {
    return this.ctx.partitionIndex;
  }

  replay(record: DelayRecord, offset: bigint): void {
    const at = Number(offset);
    if (record.type === 'removed') {
      const e = this.pending.get(record.offset);
      if (e === undefined) return;
      e.cancelTimer?.();
      this.pending.delete(record.offset);
      return;
    }
    // The id is the record's offset; a record whose key disagrees was not written by this store.
    if (record.offset !== at) throw new Error(`delay record at offset ${at} is keyed ${record.offset}`);
    const t = readDelayedTarget(record.message);
    const e = new PendingDelay(at, t.dueAt, this.intern(t.topic, t.partition), record.message);
    this.pending.set(at, e);
    if (this.loaded) this.arm(e);
  }

  /** Arms every pending message; the overdue ones first, in due order (the wheel orders the rest). */
  onLoaded(): void {
    this.loaded = true;
    const now = this.ctx.clock.now();
    const overdue: PendingDelay[] = [];
    for (const e of this.pending.values()) {
      if (e.dueAt <= now) overdue.push(e);
      else this.arm(e);
    }
    overdue.sort((a, b) => a.dueAt - b.dueAt || a.offset - b.offset);
    for (const e of overdue) this.arm(e);
  }

  onUnloaded(): void {
    this.loaded = false; // the runtime cancels the timers
  }

  /** Settles once nothing due is waiting or being delivered (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  /** The operation that writes tombstones for messages still pending (cancel, delivered). */
  removeOp(offsets: readonly number[]): (shard: DelayShard) => CoordinatorResult<DelayRecord, number> {
    return (shard) => {
      const records: DelayRecord[] = [];
      for (const o of offsets) if (shard.pending.has(o)) records.push({ type: 'removed', offset: o });
      return { records, response: records.length };
    };
  }

  private intern(topic: string, partition: number): DelayTarget {
    const k = `${partition}:${topic}`;
    let t = this.targets.get(k);
    if (t === undefined) {
      t = { topic, partition };
      this.targets.set(k, t);
    }
    return t;
  }

  private arm(e: PendingDelay): void {
    const enqueue = this.enqueue;
    e.cancelTimer = this.ctx.clock.schedule(e.dueAt - this.ctx.clock.now(), () => enqueue(e));
  }

  private onDue(e: PendingDelay): void {
    e.cancelTimer = undefined;
    if (this.pending.get(e.offset) !== e || !this.loaded) return;
    e.delivering = true;
    this.due.push(e);
    // Every message the same clock advance made due joins one flush.
    this.flushing ??= Promise.resolve().then(() => this.flush());
  }

  private async flush(): Promise<void> {
    try {
      while (this.due.length > 0 && this.loaded) {
        const batch = this.due;
        this.due = [];
        const byTarget = new Map<DelayTarget, PendingDelay[]>();
        for (const e of batch) {
          const list = byTarget.get(e.target);
          if (list === undefined) byTarget.set(e.target, [e]);
          else list.push(e);
        }
        const groups = [...byTarget];
        const outcomes = await Promise.all(groups.map(([t, es]) => this.hooks.deliver(t, es, this.partitionIndex)));
        const done: number[] = [];
        for (let i = 0; i < groups.length; i++) {
          const es = groups[i]![1];
          const { delivered, rest } = outcomes[i]!;
          for (let j = 0; j < es.length; j++) {
            if (j >= delivered && rest === 'retry') this.retry(es[j]!);
            else done.push(es[j]!.offset);
          }
        }
        if (done.length > 0) await this.tombstone(done);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async tombstone(offsets: number[]): Promise<void> {
    try {
      await this.ctx.scheduleWrite('delivered', this.removeOp(offsets));
    } catch (err) {
      if (!this.loaded) return; // unloaded: the next load finds them pending and delivers them again
      this.hooks.onError(err, `delay partition ${this.partitionIndex}: the tombstones of ${offsets.length} delivered messages; retrying`);
      this.ctx.clock.schedule(this.hooks.retryBackoffMs, () => {
        this.tombstone(offsets.filter((o) => this.pending.has(o))).catch(() => undefined);
      });
    }
  }

  private retry(e: PendingDelay): void {
    if (this.pending.get(e.offset) !== e) return;
    e.delivering = false;
    e.cancelTimer = this.ctx.clock.schedule(this.hooks.retryBackoffMs, () => this.onDue(e));
  }
}
