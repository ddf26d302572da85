// Operations waiting on keys (Kafka's DelayedOperationPurgatory): each is watched under every key it
// depends on and has one timer on the Clock. A change of a key re-checks only that key's watchers;
// completion (condition, expiry or force) unwatches the operation at once, so nothing is purged later.
import type { Clock } from './clock';
import type { DelayedOperation } from './delayed-operation';

export class DelayedOperationPurgatory<K, T extends DelayedOperation<K>> {
  private readonly watchers = new Map<K, Set<T>>();
  private readonly watched = new Set<T>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Operations waiting (watched and not completed). */
  get size(): number {
    return this.watched.size;
  }

  /**
   * Completes `op` now if its condition already holds; otherwise watches it under every key and
   * arms its expiry. Returns true if it completed now. (Kafka re-checks after watching because
   * another thread may have changed a key in between; on one event loop nothing can.)
   */
  tryCompleteElseWatch(op: T, keys: readonly K[]): boolean {
    if (op.isCompleted || op.tryComplete(undefined)) return true;
    if (keys.length === 0) throw new RangeError('a delayed operation needs at least one watch key');
    this.watched.add(op);
    for (const k of keys) {
      let set = this.watchers.get(k);
      if (set === undefined) {
        set = new Set();
        this.watchers.set(k, set);
      }
      set.add(op);
    }
    op.watchUntilDone(this.clock, () => this.unwatch(op, keys));
    return false;
  }

  /** Re-checks the operations watching `key` (it changed); returns how many completed. */
  checkAndComplete(key: K): number {
    const set = this.watchers.get(key);
    if (set === undefined) return 0;
    let completed = 0;
    for (const op of [...set]) if (!op.isCompleted && op.tryComplete(key)) completed++;
    return completed;
  }

  /** Force-completes every watched operation `which` selects (all by default); returns how many. */
  forceCompleteAll(which: (op: T) => boolean = () => true): number {
    let completed = 0;
    for (const op of [...this.watched]) if (which(op) && op.forceComplete()) completed++;
    return completed;
  }

  private unwatch(op: T, keys: readonly K[]): void {
    this.watched.delete(op);
    for (const k of keys) {
      const set = this.watchers.get(k);
      if (set === undefined) continue;
      set.delete(op);
      if (set.size === 0) this.watchers.delete(k);
    }
  }
}
