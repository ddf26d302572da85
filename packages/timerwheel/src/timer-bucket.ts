// A bucket of a timing wheel (Kafka's TimerTaskList): the entries whose deadlines fall in one
// tick-wide range. Invariant: a bucket is in the BucketQueue iff it has an expiration (≥ 0), and it
// is given one only while it holds entries, so the queue's head is the next non-empty bucket.
import type { TimerEntry } from './timer-entry';

export class TimerBucket {
  /** Start of this bucket's range (when it must be flushed), or -1 while it is not queued. */
  expiration = -1;
  /** Position in the BucketQueue heap, -1 when not queued. */
  heapIndex = -1;
  size = 0;
  private head: TimerEntry | null = null;
  private tail: TimerEntry | null = null;

  append(e: TimerEntry): void {
    e.bucket = this;
    e.prev = this.tail;
    e.next = null;
    if (this.tail === null) this.head = e;
    else this.tail.next = e;
    this.tail = e;
    this.size++;
  }

  remove(e: TimerEntry): void {
    if (e.prev === null) this.head = e.next;
    else e.prev.next = e.next;
    if (e.next === null) this.tail = e.prev;
    else e.next.prev = e.prev;
    e.prev = e.next = null;
    e.bucket = null;
    this.size--;
  }

  /**
   * Detaches the whole chain and returns its first entry. The caller walks it through `next` and
   * must clear each entry's links (one pass over the entries, not two: a cascade touches each once).
   */
  takeAll(): TimerEntry | null {
    const first = this.head;
    this.head = this.tail = null;
    this.size = 0;
    this.expiration = -1;
    return first;
  }
}
