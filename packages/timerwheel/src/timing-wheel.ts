// One level of the hierarchical timing wheel (Varghese & Lauck; Kafka's TimingWheel): wheelSize
// buckets of tickMs each. A deadline beyond this level's interval goes to an overflow level whose
// tick is this level's whole interval, created on demand — so any deadline has a level.
import type { BucketQueue } from './bucket-queue';
import { TimerBucket } from './timer-bucket';
import type { TimerEntry } from './timer-entry';

export class TimingWheel {
  readonly tickMs: number;
  readonly wheelSize: number;
  /** tickMs × wheelSize: the span this level covers from currentMs. */
  readonly interval: number;
  /** Start of the current tick (a multiple of tickMs): buckets before it have been flushed. */
  currentMs: number;
  private readonly buckets: TimerBucket[];
  private readonly queue: BucketQueue;
  private overflow: TimingWheel | null = null;

  constructor(tickMs: number, wheelSize: number, startMs: number, queue: BucketQueue) {
    this.tickMs = tickMs;
    this.wheelSize = wheelSize;
    this.interval = tickMs * wheelSize;
    this.currentMs = startMs - (startMs % tickMs);
    this.queue = queue;
    this.buckets = Array.from({ length: wheelSize }, () => new TimerBucket());
  }

  /** Number of levels from this one up (for tests and the README's figures). */
  get levels(): number {
    return this.overflow === null ? 1 : 1 + this.overflow.levels;
  }

  /**
   * Puts `e` in the bucket of the lowest level that covers its deadline. False if the deadline is
   * already due (before the end of the current tick): the caller runs it instead.
   */
  add(e: TimerEntry): boolean {
    const deadline = e.deadline;
    if (deadline < this.currentMs + this.tickMs) return false;
    if (deadline < this.currentMs + this.interval) {
      const virtualId = Math.floor(deadline / this.tickMs);
      const bucket = this.buckets[virtualId % this.wheelSize]!;
      bucket.append(e);
      // A bucket is reused once its range has passed; it gets a new expiration (and goes back into
      // the queue) only when it was empty, since flushing and emptying both reset it to -1.
      if (bucket.expiration < 0) {
        bucket.expiration = virtualId * this.tickMs;
        this.queue.push(bucket);
      }
      return true;
    }
    this.overflow ??= new TimingWheel(this.interval, this.wheelSize, this.currentMs, this.queue);
    return this.overflow.add(e);
  }

  /** Moves this level (and those above) to timeMs; only called once every earlier bucket is flushed. */
  advanceClock(timeMs: number): void {
    if (timeMs < this.currentMs + this.tickMs) return;
    this.currentMs = timeMs - (timeMs % this.tickMs);
    this.overflow?.advanceClock(this.currentMs);
  }

  /** Empties every bucket of every level (entries are the caller's to mark done). */
  forEachEntry(visit: (e: TimerEntry) => void): void {
    for (const b of this.buckets) {
      for (let e = b.takeAll(); e !== null; ) {
        const next = e.next;
        e.prev = e.next = null;
        e.bucket = null;
        visit(e);
        e = next;
      }
    }
    this.overflow?.forEachEntry(visit);
  }
}
