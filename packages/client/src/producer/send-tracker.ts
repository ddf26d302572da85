// One send() call: where each of its records landed. Batches report runs of records as they are
// acknowledged; the call's promise resolves once every record has its metadata, or rejects on the
// first failed batch.

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1n when acks=0 (the broker sends no response). */
  readonly offset: bigint;
  readonly timestamp: bigint;
}

export class SendTracker {
  readonly promise: Promise<RecordMetadata[]>;
  private readonly results: RecordMetadata[];
  private remaining: number;
  private resolve!: (metas: RecordMetadata[]) => void;
  private reject!: (err: unknown) => void;
  private settled = false;
  /** Timestamps given by the caller, by send index (only when some record had one). */
  private explicit: Array<number | undefined> | null = null;
  private nowBig: bigint | undefined;

  constructor(
    count: number,
    /** The send's clock reading (ms), the timestamp of records without one. */
    private readonly nowMs: number,
  ) {
    this.results = new Array<RecordMetadata>(count);
    this.remaining = count;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (count === 0) this.finish();
  }

  /** Records the caller's own timestamp of a record (ms). */
  timestampOf(sendIndex: number, ms: number): void {
    if (ms === this.nowMs && this.explicit === null) return;
    this.explicit ??= [];
    this.explicit[sendIndex] = ms;
  }

  complete(topic: string, partition: number, baseOffset: bigint, logAppendTime: bigint | null, batchIndex: number, sendIndex: number, count: number, indices: number[] | null): void {
    if (this.settled) return;
    const appendTime = logAppendTime !== null && logAppendTime >= 0n ? logAppendTime : null;
    // One bigint per record (the offset itself): the next is the last plus 1n.
    let offset = baseOffset < 0n ? -1n : baseOffset + BigInt(batchIndex);
    const step = baseOffset < 0n ? 0n : 1n;
    for (let i = 0; i < count; i++) {
      const at = indices === null ? sendIndex + i : indices[i]!;
      this.results[at] = { topic, partition, offset, timestamp: appendTime ?? this.createTime(at) };
      offset += step;
    }
    this.remaining -= count;
    if (this.remaining === 0) this.finish();
  }

  fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  /** The send threw before handing its promise out: whatever happens to its records, nobody waits. */
  abandon(): void {
    this.promise.catch(() => {});
  }

  private createTime(sendIndex: number): bigint {
    const own = this.explicit?.[sendIndex];
    if (own !== undefined) return BigInt(own);
    this.nowBig ??= BigInt(this.nowMs);
    return this.nowBig;
  }

  private finish(): void {
    this.settled = true;
    this.resolve(this.results);
  }
}
