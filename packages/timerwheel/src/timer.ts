// The hierarchy of timing wheels plus the queue of non-empty buckets (Kafka's SystemTimer without
// its threads): O(1) add and cancel, and `advanceTo(t)` runs every timer due by t in deadline
// order, equal deadlines in scheduling order. Pure: it owns no Node timer and reads no clock.
import { BucketQueue } from './bucket-queue';
import { TimerBucket } from './timer-bucket';
import { TimerEntry } from './timer-entry';
import { TimingWheel } from './timing-wheel';

export interface TimerOptions {
  /** Time line origin in integer ms (default 0). */
  readonly startMs?: number;
  /** Buckets per level (default 64: levels of 64 ms, 4.1 s, 4.4 min, 4.7 h, 12.4 days, 2.2 years, ...). */
  readonly wheelSize?: number;
}

export class Timer {
  private now: number;
  private readonly queue = new BucketQueue();
  private readonly wheel: TimingWheel;
  /** Due entries added at or before currentMs (a 0 ms timer, or one scheduled from a callback). */
  private readonly ready = new TimerBucket();
  /** The entries being fired (reused: advanceTo never nests). */
  private readonly batch: TimerEntry[] = [];
  private nextSeq = 0;
  private live = 0;
  private firing = false;

  constructor(opts: TimerOptions = {}) {
    const startMs = opts.startMs ?? 0;
    const wheelSize = opts.wheelSize ?? 64;
    if (!Number.isSafeInteger(startMs) || startMs < 0) throw new RangeError(`timer startMs must be a non-negative integer, got ${startMs}`);
    if (!Number.isSafeInteger(wheelSize) || wheelSize < 2) throw new RangeError(`timer wheelSize must be an integer ≥ 2, got ${wheelSize}`);
    this.now = startMs;
    // 1 ms tick: a bucket of the lowest level holds exactly one deadline.
    this.wheel = new TimingWheel(1, wheelSize, startMs, this.queue);
  }

  /** The last time advanceTo reached (while firing: the deadline being fired). */
  get currentMs(): number {
    return this.now;
  }

  /** Pending timers (scheduled, neither run nor cancelled). */
  get size(): number {
    return this.live;
  }

  /** Wheel levels created so far (overflow levels appear on demand). */
  get levels(): number {
    return this.wheel.levels;
  }

  /**
   * When advanceTo must next be called to make progress: the expiration of the first non-empty
   * bucket (an overflow bucket's is the start of its range, where it cascades down), currentMs if
   * something is already due, undefined when nothing is pending.
   */
  nextExpiration(): number | undefined {
    if (this.ready.size > 0) return this.now;
    return this.queue.peek()?.expiration;
  }

  /** Schedules `fn` at integer ms `deadline` (a past deadline is due at the next advanceTo). */
  add(deadline: number, fn: () => void): TimerEntry {
    if (!Number.isSafeInteger(deadline)) throw new RangeError(`timer deadline must be a safe integer of ms, got ${deadline}`);
    const e = new TimerEntry(deadline, this.nextSeq++, fn);
    this.live++;
    if (!this.wheel.add(e)) this.ready.append(e);
    return e;
  }

  /** O(1): unlinks the entry; a bucket left empty leaves the queue so it never causes a wake-up. */
  cancel(e: TimerEntry): boolean {
    if (e.fn === null) return false;
    e.fn = null;
    this.live--;
    const b = e.bucket;
    if (b !== null) {
      b.remove(e);
      if (b.size === 0 && b.heapIndex >= 0) {
        this.queue.remove(b);
        b.expiration = -1;
      }
    }
    return true;
  }

  /** Cancels everything pending. */
  clear(): void {
    const drop = (e: TimerEntry) => {
      e.fn = null;
    };
    this.wheel.forEachEntry(drop);
    // Called from a callback: the rest of the batch being fired is pending too.
    for (const e of this.batch) drop(e);
    for (let e = this.ready.takeAll(); e !== null; ) {
      const next = e.next;
      e.prev = e.next = null;
      e.bucket = null;
      drop(e);
      e = next;
    }
    this.queue.clear();
    this.live = 0;
  }

  /**
   * Runs, in deadline order, every timer due by `targetMs` — including ones that callbacks schedule
   * when they fall due by then. While a callback runs, currentMs is its deadline. A throwing
   * callback is handed to `onError` and the rest still run. Returns how many callbacks ran.
   */
  advanceTo(targetMs: number, onError: (err: unknown) => void): number {
    if (this.firing) throw new Error('Timer.advanceTo called from inside a timer callback');
    const target = Math.floor(targetMs);
    const batch = this.batch;
    let ran = 0;
    let i = 0;
    this.firing = true;
    try {
      while (this.takeDue(target)) {
        for (i = 0; i < batch.length; i++) {
          const e = batch[i]!;
          const fn = e.fn;
          if (fn === null) continue; // cancelled by an earlier callback of this batch
          e.fn = null;
          this.live--;
          ran++;
          try {
            fn();
          } catch (err) {
            onError(err);
          }
        }
      }
      batch.length = 0;
    } finally {
      this.firing = false;
      // onError threw: what the batch had not run yet stays due, in order, for the next advance.
      for (let j = i + 1; j < batch.length; j++) if (batch[j]!.fn !== null) this.ready.append(batch[j]!);
      batch.length = 0;
    }
    // Every bucket expiring by target has been flushed, so the levels may move up to it.
    if (target > this.now) {
      this.wheel.advanceClock(target);
      this.now = target;
    }
    return ran;
  }

  /**
   * Fills `batch` with the next group of entries that share the earliest due time ≤ target, sorted.
   * False when nothing is due by target.
   */
  private takeDue(target: number): boolean {
    const batch = this.batch;
    batch.length = 0;
    if (this.ready.size > 0) {
      collect(this.ready.takeAll(), batch);
    } else {
      const top = this.queue.peek();
      if (top === undefined || top.expiration > target) return false;
      const at = top.expiration;
      this.wheel.advanceClock(at);
      this.now = at;
      // Several buckets can expire together (a level-0 bucket and an overflow bucket whose range
      // starts at the same ms): flush them all before running anything, for one ordered batch.
      for (let b = this.queue.peek(); b !== undefined && b.expiration <= at; b = this.queue.peek()) {
        this.queue.pop();
        for (let e = b.takeAll(); e !== null; ) {
          const next = e.next;
          e.prev = e.next = null;
          e.bucket = null;
          // Cascade: re-adding puts the entry in a finer bucket, or reports it due now.
          if (!this.wheel.add(e)) batch.push(e);
          e = next;
        }
      }
      if (batch.length === 0) return true; // only cascaded: look again
    }
    for (let i = 1; i < batch.length; i++) {
      if (before(batch[i]!, batch[i - 1]!)) {
        batch.sort((a, b) => (before(a, b) ? -1 : 1));
        break;
      }
    }
    return true;
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function collect(first: TimerEntry | null, into: TimerEntry[]): void {
  for (let e = first; e !== null; ) {
    const next = e.next;
    e.prev = e.next = null;
    e.bucket = null;
    into.push(e);
    e = next;
  }
}
