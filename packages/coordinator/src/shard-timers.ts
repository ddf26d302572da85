// The timers of one loaded shard. `clock` is the runtime's Clock with every pending timer tracked,
// so unloading the shard cancels them all (a shard that moved away must not act on a timer);
// `schedule(key, ...)` is Kafka's CoordinatorTimer: a keyed timer whose expiry runs a write
// operation through the shard's loop (scheduling a key again replaces the pending one).
import type { Cancel, Clock } from '@mq/timerwheel';

export class ShardTimers implements Clock {
  private readonly pending = new Set<Cancel>();
  private readonly keyed = new Map<string, Cancel>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (key: string, fire: () => void) => void,
  ) {}

  now(): number {
    return this.clock.now();
  }

  monotonic(): number {
    return this.clock.monotonic();
  }

  /** A plain timer owned by the shard: cancelled when it unloads. */
  schedule(delayMs: number, fn: () => void): Cancel {
    if (this.closed) return () => false;
    let cancelInner: Cancel | undefined;
    const cancel: Cancel = () => {
      if (!this.pending.delete(cancel)) return false;
      return cancelInner!();
    };
    this.pending.add(cancel);
    cancelInner = this.clock.schedule(delayMs, () => {
      if (!this.pending.delete(cancel)) return;
      fn();
    });
    return cancel;
  }

  /** Keyed timer: replaces a pending one with the same key; `fire` runs via the runtime's onExpire. */
  scheduleKeyed(key: string, delayMs: number, fire: () => void): void {
    this.cancelKeyed(key);
    const cancel = this.schedule(delayMs, () => {
      if (this.keyed.get(key) === cancel) this.keyed.delete(key);
      this.onExpire(key, fire);
    });
    this.keyed.set(key, cancel);
  }

  cancelKeyed(key: string): boolean {
    const c = this.keyed.get(key);
    if (c === undefined) return false;
    this.keyed.delete(key);
    return c();
  }

  isScheduled(key: string): boolean {
    return this.keyed.has(key);
  }

  /** Timers pending (plain and keyed). */
  get size(): number {
    return this.pending.size;
  }

  /** Cancels everything; later schedules are no-ops. */
  cancelAll(): void {
    this.closed = true;
    for (const c of [...this.pending]) c();
    this.pending.clear();
    this.keyed.clear();
  }
}
