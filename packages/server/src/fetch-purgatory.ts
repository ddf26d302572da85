// Parked Fetch requests (Kafka's fetch purgatory, event-driven): DelayedFetch operations watched per
// partition in a DelayedOperationPurgatory on the broker's Clock (one wheel timer per parked fetch,
// O(1) to cancel when it completes early). No polling: partitions push changes.
import type { Partition } from '@mq/partition';
import { type Clock, DelayedOperationPurgatory } from '@mq/timerwheel';
import { DelayedFetch } from './delayed-fetch';

export class FetchPurgatory {
  private readonly purgatory: DelayedOperationPurgatory<Partition, DelayedFetch>;
  /**
   * Signals we listen on: one listener per signal (the broker's shutdown signal), not one per
   * parked fetch — add/removeEventListener per Fetch showed in the request-latency profile.
   */
  private readonly hooked = new WeakSet<AbortSignal>();

  constructor(clock: Clock) {
    this.purgatory = new DelayedOperationPurgatory(clock);
  }

  /** Number of parked fetches (for tests and metrics). */
  get size(): number {
    return this.purgatory.size;
  }

  /**
   * Resolves when the watched partitions gained ≥ minBytes since now, when any of them changes
   * shape, after timeoutMs on the clock, or when `signal` (shared: the broker's shutdown) or `wake`
   * (this fetch's own: a share fetch whose share-partition freed record locks) aborts. Never rejects.
   */
  park(partitions: readonly Partition[], minBytes: number, timeoutMs: number, signal: AbortSignal, wake?: AbortSignal): Promise<void> {
    if (signal.aborted || wake?.aborted === true || partitions.length === 0 || timeoutMs <= 0) return Promise.resolve();
    if (!this.hooked.has(signal)) {
      this.hooked.add(signal);
      signal.addEventListener('abort', () => this.purgatory.forceCompleteAll((op) => op.signal === signal), { once: true });
    }
    return new Promise<void>((resolve) => {
      if (wake === undefined) {
        this.purgatory.tryCompleteElseWatch(new DelayedFetch(partitions, minBytes, timeoutMs, signal, resolve), partitions);
        return;
      }
      const onWake = (): void => {
        op.forceComplete();
      };
      const op = new DelayedFetch(partitions, minBytes, timeoutMs, signal, () => {
        wake.removeEventListener('abort', onWake);
        resolve();
      });
      wake.addEventListener('abort', onWake, { once: true });
      this.purgatory.tryCompleteElseWatch(op, partitions);
    });
  }

  /** Called by TopicManager whenever a partition's high watermark or log start moves. */
  onPartitionChange(p: Partition): void {
    this.purgatory.checkAndComplete(p);
  }

  /** Wakes every parked fetch (broker shutdown). */
  completeAll(): void {
    this.purgatory.forceCompleteAll();
  }
}
