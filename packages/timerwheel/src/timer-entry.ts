// One scheduled callback (Kafka's TimerTaskEntry): an intrusive doubly-linked list node, so the
// bucket holding it unlinks it in O(1) on cancel, with no search and no array splice. Six fields
// and no more: with a million pending timers, entry size is what the garbage collector pays for.
import type { TimerBucket } from './timer-bucket';

export class TimerEntry {
  /** Integer ms on the owning Timer's time line; the entry never runs before it. */
  readonly deadline: number;
  /** Scheduling order: breaks ties between equal deadlines (first scheduled runs first). */
  readonly seq: number;
  /** The callback while pending; null once it ran or was cancelled. */
  fn: (() => void) | null;
  /** The list holding the entry; null while it sits in a firing batch or after it is done. */
  bucket: TimerBucket | null;
  prev: TimerEntry | null;
  next: TimerEntry | null;

  constructor(deadline: number, seq: number, fn: () => void) {
    this.deadline = deadline;
    this.seq = seq;
    this.fn = fn;
    this.bucket = null;
    this.prev = null;
    this.next = null;
  }
}
