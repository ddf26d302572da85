// One scheduled callback (Kafka's TimerTaskEntry): an intrusive doubly-linked list node, so the
// bucket holding it unlinks it in O(1) on cancel, with no search and no array splice.
import type { TimerBucket } from './timer-bucket';

export const PENDING = 0;
export const DONE = 1;

export class TimerEntry {
  /** Integer ms on the owning Timer's time line; the entry never runs before it. */
  readonly deadline: number;
  /** Scheduling order: breaks ties between equal deadlines (first scheduled runs first). */
  readonly seq: number;
  fn: (() => void) | null;
  state: typeof PENDING | typeof DONE = PENDING;
  /** The list holding the entry; null while it sits in a firing batch or after it is done. */
  bucket: TimerBucket | null = null;
  prev: TimerEntry | null = null;
  next: TimerEntry | null = null;

  constructor(deadline: number, seq: number, fn: () => void) {
    this.deadline = deadline;
    this.seq = seq;
    this.fn = fn;
  }
}
