// The state of one delay-topic partition (a coordinator shard): the messages scheduled and not yet
// delivered or cancelled, each armed on the clock once the shard is loaded, and the delivery state
// that makes delivery exactly once: the partition's producer id and, per target, the chunk last
// sent. Replay is the only place that state changes. Due messages are delivered in rounds, one at
// a time: one write (the last round's tombstones, then a marker per chunk) → the chunks appended as
// idempotent batches. A target with a chunk in doubt (its append failed, or a new leader found
// its marker without tombstones) gets that same batch again — same producer epoch and sequences, so
// the target answers a duplicate with its first offsets — before any new chunk.
import type { CoordinatorResult, CoordinatorShard, ShardContext } from '@mq/coordinator';
import type { Cancel } from '@mq/timerwheel';
import type { DelayRecord, DeliveryMarker } from './delay-record';
import { readDelayedTarget } from './delayed-message';
import { DueQueue } from './due-queue';
import { MessageSlabs } from './message-slabs';
import type { DelayTarget, PendingDelay } from './pending-delay';

/** What appending one chunk ended in; `resequence`: the target refused its sequence, send it again as a new chunk. */
export type ChunkOutcome = 'delivered' | 'dropped' | 'retry' | 'resequence';

/** One chunk as it goes out: the shard's producer id, its marker, and its messages in batch order. */
export interface DeliveryAttempt {
  readonly producerId: bigint;
  readonly marker: DeliveryMarker;
  readonly entries: readonly PendingDelay[];
}

export interface DelayShardHooks {
  /** Bytes of encoded messages one chunk to `target` may hold; undefined: the target does not exist (its messages are dropped). */
  chunkLimit(target: DelayTarget): number | undefined;
  /** `messages` due for `target` are dropped: it does not exist (logged). */
  dropped(target: DelayTarget, messages: number): void;
  /** Appends the attempt's batch to its target; never rejects. */
  deliver(target: DelayTarget, attempt: DeliveryAttempt, storePartition: number): Promise<ChunkOutcome>;
  /** A fresh producer id for a partition that has none yet. */
  producerId(): Promise<bigint>;
  /** How long a failed step waits before the next try. */
  readonly retryBackoffMs: number;
  onError(err: unknown, context: string): void;
}

const INT32_MAX = 2147483647;
const INT16_MAX = 32767;
/** Record framing, the mq-delayed-from header and varints, over the encoded message's size. */
export const RECORD_OVERHEAD = 64;

interface Sequence {
  readonly epoch: number;
  readonly nextSeq: number;
}

export class DelayShard implements CoordinatorShard<DelayRecord> {
  readonly pending = new Map<number, PendingDelay>();
  producerId: bigint | undefined = undefined;
  private readonly targets = new Map<string, DelayTarget>();
  /** Per target: the producer epoch and next sequence of its last marker. */
  private readonly sequences = new Map<DelayTarget, Sequence>();
  /** Per target: its last marker (in doubt while its messages are pending). */
  private readonly lastSent = new Map<DelayTarget, DeliveryMarker>();
  /** Targets whose next chunk starts a new producer epoch (their last one was refused). */
  private readonly bump = new Set<DelayTarget>();
  private loaded = false;
  private foundInDoubt = 0;
  /** Due messages waiting for a round, per target in due order (`head`: the first not taken yet). */
  private readonly due = new Map<DelayTarget, { list: PendingDelay[]; head: number }>();
  /** Chunks in doubt, sent again (as they were) from `notBefore` on. */
  private resend: { marker: DeliveryMarker; notBefore: number }[] = [];
  private flushing: Promise<void> | undefined;
  /** Pending messages not yet due, earliest first; one clock timer for the earliest. */
  private readonly queue = new DueQueue();
  /** The pending messages' bytes. */
  private readonly slabs = new MessageSlabs();
  private wake: Cancel | undefined = undefined;
  private wakeAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly ctx: ShardContext<DelayShard, DelayRecord>,
    private readonly hooks: DelayShardHooks,
  ) {}

  get partitionIndex(): number {
    return this.ctx.partitionIndex;
  }

  replay(record: DelayRecord, offset: bigint): void {
    switch (record.type) {
      case 'removed':
        // Its queue entry goes lazily (see DueQueue).
        this.pending.delete(record.offset);
        return;
      case 'producer':
        this.producerId = record.producerId;
        return;
      case 'delivering': {
        const t = this.intern(record.topic, record.partition);
        this.sequences.set(t, { epoch: record.producerEpoch, nextSeq: record.firstSeq + record.offsets.length });
        this.lastSent.set(t, record);
        for (const o of record.offsets) {
          const e = this.pending.get(o);
          if (e !== undefined) e.delivering = true;
        }
        return;
      }
      case 'scheduled': {
        const at = Number(offset);
        // The id is the record's offset; a record whose key disagrees was not written by this store.
        if (record.offset !== at) throw new Error(`delay record at offset ${at} is keyed ${record.offset}`);
        const t = readDelayedTarget(record.message);
        const e = this.slabs.hold(at, t.dueAt, this.intern(t.topic, t.partition), record.message);
        this.pending.set(at, e);
        if (this.loaded) this.arm(e);
      }
    }
  }

  /** Sends every chunk in doubt again first, then queues every other pending message by due time. */
  onLoaded(): void {
    this.loaded = true;
    const now = this.ctx.clock.now();
    const resent = new Set<number>();
    for (const m of this.lastSent.values()) {
      // A marker whose messages are tombstoned was delivered; one whose messages are all pending is in doubt.
      if (!m.offsets.every((o) => this.pending.has(o))) continue;
      this.resend.push({ marker: m, notBefore: now });
      for (const o of m.offsets) resent.add(o);
    }
    const queued: PendingDelay[] = [];
    for (const e of this.pending.values()) {
      if (resent.has(e.offset)) continue;
      e.delivering = false;
      queued.push(e);
    }
    this.queue.rebuild(queued);
    this.fire();
    this.foundInDoubt = this.resend.length;
    if (this.resend.length > 0) this.kick();
  }

  onUnloaded(): void {
    this.loaded = false; // the runtime cancels the timers
    this.wake = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Chunks found in doubt by the last load (a marker without tombstones), sent again as they were
   * before anything new. Counted at load: the first round takes them off `resend` a microtask later.
   */
  get loadedInDoubt(): number {
    return this.foundInDoubt;
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
    this.queue.push(e);
    if (e.dueAt < this.wakeAt) this.armWake(e.dueAt);
  }

  private armWake(at: number): void {
    this.wake?.();
    this.wakeAt = at;
    this.wake = this.ctx.clock.schedule(at - this.ctx.clock.now(), () => {
      this.wake = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.fire();
    });
  }

  /** Everything due by now leaves the queue for the next round; the timer is armed for the rest. */
  private fire(): void {
    if (!this.loaded) return;
    const now = this.ctx.clock.now();
    for (let e = this.queue.peek(); e !== undefined && e.dueAt <= now; e = this.queue.peek()) {
      this.queue.pop();
      if (this.pending.get(e.offset) !== e || e.delivering) continue; // cancelled, or already on its way
      e.delivering = true;
      this.enqueueDue(e);
    }
    // Entries removed lazily would otherwise hold their messages until their due time.
    if (this.queue.size > 2 * this.pending.size + 1024) this.queue.rebuild([...this.pending.values()].filter((e) => !e.delivering));
    const next = this.queue.peek();
    if (next !== undefined && next.dueAt < this.wakeAt) this.armWake(next.dueAt);
    if (this.due.size > 0) this.kick();
  }

  /** Every message the same clock advance made due joins one round. */
  private kick(): void {
    this.flushing ??= Promise.resolve().then(() => this.flush());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.ctx.clock.schedule(ms, resolve));
  }

  private async flush(): Promise<void> {
    // Tombstones of the last round's chunks: written with the next round's markers, tombstones
    // first, in one batch (a target's next marker never precedes its last chunk's tombstones).
    let delivered: number[] = [];
    try {
      while (this.loaded && (this.due.size > 0 || this.resend.length > 0 || delivered.length > 0)) {
        if (this.producerId === undefined && !(await this.writeProducerId())) return;
        const now = this.ctx.clock.now();
        const ready = this.resend.filter((r) => r.notBefore <= now);
        this.resend = this.resend.filter((r) => r.notBefore > now);
        const { markers: fresh, dropped } = this.nextChunks(now);
        delivered.push(...dropped);
        if (fresh.length > 0 || delivered.length > 0) {
          if (!(await this.writeRound(delivered, fresh))) {
            if (!this.loaded) return;
            this.resend = [...ready, ...this.resend];
            continue;
          }
          delivered = [];
        }
        if (ready.length === 0 && fresh.length === 0) {
          if (this.resend.length === 0) continue;
          // Only chunks waiting out their backoff: the earliest of them starts the next round.
          const wake = Math.min(...this.resend.map((r) => r.notBefore));
          this.ctx.clock.schedule(Math.max(1, wake - now), () => this.kick());
          return;
        }
        const chunks = [...ready.map((r) => r.marker), ...fresh];
        const producerId = this.producerId!;
        const outcomes = await Promise.all(
          chunks.map((m) => {
            const entries = m.offsets.map((o) => this.pending.get(o)!);
            return this.hooks.deliver(entries[0]!.target, { producerId, marker: m, entries }, this.partitionIndex);
          }),
        );
        if (!this.loaded) return;
        const requeue: PendingDelay[] = [];
        for (let i = 0; i < chunks.length; i++) {
          const m = chunks[i]!;
          const outcome = outcomes[i]!;
          const target = this.pending.get(m.offsets[0]!)!.target;
          if (outcome === 'delivered' || outcome === 'dropped') delivered.push(...m.offsets);
          else if (outcome === 'retry') this.resend.push({ marker: m, notBefore: this.ctx.clock.now() + this.hooks.retryBackoffMs });
          else for (const o of m.offsets) requeue.push(this.pending.get(o)!);
          // Refused (for good, or its sequence or epoch is not ours): the target holds nothing of it, its next chunk starts a new epoch.
          if (outcome === 'dropped' || outcome === 'resequence') this.bump.add(target);
        }
        this.requeueFront(requeue);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private enqueueDue(e: PendingDelay): void {
    const q = this.due.get(e.target);
    if (q === undefined) this.due.set(e.target, { list: [e], head: 0 });
    else q.list.push(e);
  }

  /** Messages of chunks that did not go out: first again for their targets (they were the earliest). */
  private requeueFront(entries: readonly PendingDelay[]): void {
    const byTarget = new Map<DelayTarget, PendingDelay[]>();
    for (const e of entries) {
      const list = byTarget.get(e.target);
      if (list === undefined) byTarget.set(e.target, [e]);
      else list.push(e);
    }
    for (const [t, es] of byTarget) {
      const q = this.due.get(t);
      this.due.set(t, { list: q === undefined ? es : [...es, ...q.list.slice(q.head)], head: 0 });
    }
  }

  /**
   * Takes one chunk per target from the due messages (in due order, under the target's limit);
   * targets with a chunk in doubt wait for it. Costs the chunks taken, not the backlog.
   */
  private nextChunks(now: number): { markers: DeliveryMarker[]; dropped: number[] } {
    const busy = new Set<DelayTarget>();
    for (const r of this.resend) busy.add(this.pending.get(r.marker.offsets[0]!)!.target);
    const markers: DeliveryMarker[] = [];
    const dropped: number[] = [];
    for (const [t, q] of this.due) {
      if (busy.has(t)) continue;
      const limit = this.hooks.chunkLimit(t);
      const chunk: PendingDelay[] = [];
      let bytes = 0;
      for (; q.head < q.list.length; q.head++) {
        const e = q.list[q.head]!;
        if (this.pending.get(e.offset) !== e) continue;
        if (limit !== undefined && chunk.length > 0 && bytes + e.size + RECORD_OVERHEAD > limit) break;
        chunk.push(e);
        bytes += e.size + RECORD_OVERHEAD;
      }
      if (q.head >= q.list.length) this.due.delete(t);
      else if (q.head > 1024 && 2 * q.head > q.list.length) {
        q.list = q.list.slice(q.head);
        q.head = 0;
      }
      if (chunk.length === 0) continue;
      if (limit === undefined) {
        this.hooks.dropped(t, chunk.length);
        for (const e of chunk) dropped.push(e.offset);
        continue;
      }
      const { epoch, firstSeq } = this.nextSequence(t, chunk.length);
      markers.push({ topic: t.topic, partition: t.partition, producerEpoch: epoch, firstSeq, stamp: now, offsets: chunk.map((e) => e.offset) });
    }
    return { markers, dropped };
  }

  private nextSequence(t: DelayTarget, count: number): { epoch: number; firstSeq: number } {
    const s = this.sequences.get(t) ?? { epoch: 0, nextSeq: 0 };
    if (this.bump.has(t) || s.nextSeq + count - 1 > INT32_MAX) {
      this.bump.delete(t);
      return { epoch: s.epoch >= INT16_MAX ? 0 : s.epoch + 1, firstSeq: 0 };
    }
    return { epoch: s.epoch, firstSeq: s.nextSeq };
  }

  /** Writes `tombstones` then `fresh`'s markers in one batch; false (the chunks' messages due again after a backoff) when that failed. */
  private async writeRound(tombstones: readonly number[], fresh: readonly DeliveryMarker[]): Promise<boolean> {
    const remove = this.removeOp(tombstones);
    try {
      await this.ctx.scheduleWrite('round', (shard) => ({ records: [...remove(shard).records, ...fresh.map((m): DelayRecord => ({ type: 'delivering', ...m }))], response: undefined }));
      return true;
    } catch (err) {
      if (!this.loaded) return false;
      this.hooks.onError(err, `delay partition ${this.partitionIndex}: writing ${tombstones.length} tombstones and the markers of ${fresh.length} chunks; retrying`);
      const back: PendingDelay[] = [];
      for (const m of fresh) for (const o of m.offsets) back.push(this.pending.get(o)!);
      this.requeueFront(back);
      await this.sleep(this.hooks.retryBackoffMs);
      return false;
    }
  }

  /** Writes the partition's producer id; false once unloaded. */
  private async writeProducerId(): Promise<boolean> {
    while (this.loaded && this.producerId === undefined) {
      try {
        const producerId = await this.hooks.producerId();
        await this.ctx.scheduleWrite('producer', (shard) => ({ records: shard.producerId === undefined ? [{ type: 'producer', producerId }] : [], response: undefined }));
      } catch (err) {
        if (!this.loaded) return false;
        this.hooks.onError(err, `delay partition ${this.partitionIndex}: taking a producer id for deliveries; retrying`);
        await this.sleep(this.hooks.retryBackoffMs);
      }
    }
    return this.loaded;
  }
}
