// The long poll of a receive: waits until one of the partitions gains records (pushed by the
// TopicManager's change observers), one of the given signals aborts (record locks freed there, as
// the share coordinator wakes a parked ShareFetch; the client gone), or a time passes on the
// broker's Clock.
import type { Partition, TopicManager } from '@mq/partition';
import type { Clock } from '@mq/timerwheel';

export class PartitionWaiter {
  private readonly waiting = new Map<Partition, Set<() => void>>();
  private readonly all = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly topics: TopicManager,
    private readonly clock: Clock,
  ) {}

  /** Resolves when a partition changes, a signal aborts, after `ms`, or at close(); never rejects. */
  wait(partitions: readonly Partition[], ms: number, signals: readonly AbortSignal[] = []): Promise<void> {
    this.unsubscribe ??= this.topics.onPartitionChange((p) => {
      const set = this.waiting.get(p);
      if (set !== undefined) for (const wake of [...set]) wake();
    });
    return new Promise<void>((resolve) => {
      let cancel: (() => void) | undefined;
      const wake = (): void => {
        cancel?.();
        for (const s of signals) s.removeEventListener('abort', wake);
        for (const p of partitions) {
          const set = this.waiting.get(p);
          set?.delete(wake);
          if (set?.size === 0) this.waiting.delete(p);
        }
        this.all.delete(wake);
        resolve();
      };
      for (const p of partitions) {
        let set = this.waiting.get(p);
        if (set === undefined) {
          set = new Set();
          this.waiting.set(p, set);
        }
        set.add(wake);
      }
      this.all.add(wake);
      cancel = this.clock.schedule(Math.max(1, ms), wake);
      for (const s of signals) {
        if (s.aborted) return wake();
        s.addEventListener('abort', wake, { once: true });
      }
    });
  }

  /** Wakes every waiter and stops listening. */
  close(): void {
    for (const wake of [...this.all]) wake();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
