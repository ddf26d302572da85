// Parked Fetch requests (Kafka's DelayedFetch purgatory, event-driven): a Fetch that found fewer
// than min_bytes waits here until appends to its partitions add enough bytes, a partition's
// readable range changes in a way the fetch must see (log start moved, topic deleted), the
// max_wait_ms timer fires, or the broker shuts down. No polling: partitions push changes.
import type { Partition } from '@mq/partition';

interface Waiter {
  readonly partitions: readonly Partition[];
  /** Per watched partition, its appendedBytes when the fetch parked. */
  readonly baseline: readonly number[];
  readonly minBytes: number;
  readonly signal: AbortSignal;
  readonly resolve: () => void;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

export class FetchPurgatory {
  private readonly byPartition = new Map<Partition, Set<Waiter>>();
  private readonly all = new Set<Waiter>();
  /**
   * Signals we listen on: one listener per signal (the broker's shutdown signal), not one per
   * parked fetch — add/removeEventListener per Fetch showed in the request-latency profile.
   */
  private readonly hooked = new WeakSet<AbortSignal>();

  /** Number of parked fetches (for tests and metrics). */
  get size(): number {
    return this.all.size;
  }

  /**
   * Resolves when the watched partitions gained ≥ minBytes since now, when any of them changes
   * shape, after timeoutMs, or when `signal` aborts. Never rejects.
   */
  park(partitions: readonly Partition[], minBytes: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || partitions.length === 0 || timeoutMs <= 0) return Promise.resolve();
    if (!this.hooked.has(signal)) {
      this.hooked.add(signal);
      signal.addEventListener('abort', () => this.completeSignalled(signal), { once: true });
    }
    return new Promise<void>((resolve) => {
      const baseline = new Array<number>(partitions.length);
      for (let i = 0; i < partitions.length; i++) baseline[i] = partitions[i]!.appendedBytes;
      const waiter: Waiter = { partitions, baseline, minBytes, signal, resolve, timer: undefined, done: false };
      waiter.timer = setTimeout(() => this.complete(waiter), timeoutMs);
      this.all.add(waiter);
      for (const p of partitions) {
        let set = this.byPartition.get(p);
        if (set === undefined) {
          set = new Set();
          this.byPartition.set(p, set);
        }
        set.add(waiter);
      }
    });
  }

  /** Called by TopicManager whenever a partition's high watermark or log start moves. */
  onPartitionChange(p: Partition): void {
    const set = this.byPartition.get(p);
    if (set === undefined) return;
    for (const w of set) {
      if (this.satisfied(w, p)) this.complete(w);
    }
  }

  /** Wakes every parked fetch (broker shutdown). */
  completeAll(): void {
    for (const w of [...this.all]) this.complete(w);
  }

  private completeSignalled(signal: AbortSignal): void {
    for (const w of [...this.all]) if (w.signal === signal) this.complete(w);
  }

  private satisfied(w: Waiter, changed: Partition): boolean {
    let gained = 0;
    for (let i = 0; i < w.partitions.length; i++) {
      const p = w.partitions[i]!;
      const delta = p.appendedBytes - w.baseline[i]!;
      // A change without new bytes (log start moved, partition deleted) must be seen now: answer.
      if (p === changed && delta === 0) return true;
      gained += delta;
    }
    return gained >= w.minBytes;
  }

  private complete(w: Waiter): void {
    if (w.done) return;
    w.done = true;
    if (w.timer !== undefined) clearTimeout(w.timer);
    this.all.delete(w);
    for (const p of w.partitions) {
      const set = this.byPartition.get(p);
      if (set === undefined) continue;
      set.delete(w);
      if (set.size === 0) this.byPartition.delete(p);
    }
    w.resolve();
  }
}
