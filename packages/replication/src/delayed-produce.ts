// The acks=all purgatory (Kafka's DelayedProduce on the timing wheel): a produce waits here until
// its partition's high watermark passes its last offset, leadership moves, or its timeout expires
// on the injected Clock. Checked when the HW moves or the partition changes role, never polled.
import { ErrorCode } from '@mq/protocol';
import type { Cancel, Clock } from '@mq/timerwheel';

interface Waiter {
  /** The offset the HW must pass (the batch's lastOffset + 1). */
  readonly requiredOffset: bigint;
  readonly resolve: (errorCode: number) => void;
  cancel: Cancel | undefined;
  done: boolean;
}

export class DelayedProducePurgatory {
  private readonly byPartition = new Map<string, Set<Waiter>>();

  constructor(private readonly clock: Clock) {}

  /** Parked produces (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.byPartition.values()) n += s.size;
    return n;
  }

  /** Resolves with REQUEST_TIMED_OUT after `timeoutMs`, or with whatever `complete` decides first. */
  park(key: string, requiredOffset: bigint, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve) => {
      const w: Waiter = { requiredOffset, resolve, cancel: undefined, done: false };
      let set = this.byPartition.get(key);
      if (set === undefined) {
        set = new Set();
        this.byPartition.set(key, set);
      }
      set.add(w);
      w.cancel = this.clock.schedule(timeoutMs, () => this.finish(key, w, ErrorCode.REQUEST_TIMED_OUT));
    });
  }

  /** Completes the partition's waiters whose offset is below `highWatermark` with `errorCode`. */
  completeBelow(key: string, highWatermark: bigint, errorCode: number): void {
    const set = this.byPartition.get(key);
    if (set === undefined) return;
    for (const w of [...set]) if (w.requiredOffset <= highWatermark) this.finish(key, w, errorCode);
  }

  /** Completes every waiter of the partition (leadership moved: NOT_LEADER_OR_FOLLOWER). */
  completeAll(key: string, errorCode: number): void {
    const set = this.byPartition.get(key);
    if (set === undefined) return;
    for (const w of [...set]) this.finish(key, w, errorCode);
  }

  private finish(key: string, w: Waiter, errorCode: number): void {
    if (w.done) return;
    w.done = true;
    w.cancel?.();
    const set = this.byPartition.get(key);
    set?.delete(w);
    if (set !== undefined && set.size === 0) this.byPartition.delete(key);
    w.resolve(errorCode);
  }
}
