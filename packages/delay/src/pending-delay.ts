// One message waiting in the delay store: its offset on the delay partition (its id there), when
// and where it goes, and its encoded record value. `delivering` is set from the moment it is due
// until its tombstone is in the log: it can no longer be cancelled.

/** A target topic-partition, interned per shard so a million pending messages share a handful. */
export interface DelayTarget {
  readonly topic: string;
  readonly partition: number;
}

export class PendingDelay {
  delivering = false;

  constructor(
    readonly offset: number,
    readonly dueAt: number,
    readonly target: DelayTarget,
    /** Holds the encoded message at `start` (MessageSlabs: shared by many messages). */
    private readonly slab: Buffer,
    private readonly start: number,
    /** Bytes of the encoded message. */
    readonly size: number,
  ) {}

  /** The record value on the delay topic (encodeDelayedMessage), a view made when it is read. */
  get data(): Buffer {
    return this.slab.subarray(this.start, this.start + this.size);
  }
}
