// A Fetch that found fewer than min_bytes, waiting (Kafka's DelayedFetch): it completes once the
// watched partitions gained min_bytes since it parked, when one of them changes without new bytes
// (log start moved, topic deleted: the answer must show it now), on max_wait_ms, or at shutdown.
import type { Partition } from '@mq/partition';
import { DelayedOperation } from '@mq/timerwheel';

export class DelayedFetch extends DelayedOperation<Partition> {
  readonly partitions: readonly Partition[];
  /** Per watched partition, its appendedBytes when the fetch parked. */
  private readonly baseline: number[];
  private readonly minBytes: number;
  readonly signal: AbortSignal;
  private readonly resolve: () => void;

  constructor(partitions: readonly Partition[], minBytes: number, maxWaitMs: number, signal: AbortSignal, resolve: () => void) {
    super(maxWaitMs);
    this.partitions = partitions;
    this.baseline = new Array<number>(partitions.length);
    for (let i = 0; i < partitions.length; i++) this.baseline[i] = partitions[i]!.appendedBytes;
    this.minBytes = minBytes;
    this.signal = signal;
    this.resolve = resolve;
  }

  tryComplete(changed: Partition | undefined): boolean {
    if (this.signal.aborted) return this.forceComplete();
    let gained = 0;
    for (let i = 0; i < this.partitions.length; i++) {
      const p = this.partitions[i]!;
      const delta = p.appendedBytes - this.baseline[i]!;
      // A change without new bytes (log start moved, partition deleted) must be seen now: answer.
      if (p === changed && delta === 0) return this.forceComplete();
      gained += delta;
    }
    return gained >= this.minBytes && this.forceComplete();
  }

  /** The handler reads the partitions again and answers with whatever is there. */
  protected onComplete(): void {
    this.resolve();
  }

  /** Nothing beyond onComplete: an expired fetch answers with what it finds, like a satisfied one. */
  protected onExpiration(): void {}
}
