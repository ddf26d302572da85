// An operation that completes when its condition holds or when its delay runs out, whichever comes
// first (Kafka's DelayedOperation): tryComplete() checks the condition and calls forceComplete()
// when it holds; on expiry the purgatory calls forceComplete() and then onExpiration().
import type { Cancel, Clock } from './clock';
import { checkDelay } from './delay';

export abstract class DelayedOperation<K = unknown> {
  /** How long the operation may wait, ms. */
  readonly delayMs: number;
  private completed = false;
  private cancelExpiry: Cancel | null = null;
  private afterComplete: (() => void) | null = null;

  constructor(delayMs: number) {
    this.delayMs = checkDelay(delayMs);
  }

  get isCompleted(): boolean {
    return this.completed;
  }

  /**
   * Completes the operation unless something else did first: cancels its timer and runs onComplete.
   * True only for the one call that completed it, so onComplete runs exactly once.
   */
  forceComplete(): boolean {
    if (this.completed) return false;
    this.completed = true;
    const cancel = this.cancelExpiry;
    this.cancelExpiry = null;
    cancel?.();
    this.onComplete();
    const after = this.afterComplete;
    this.afterComplete = null;
    after?.();
    return true;
  }

  /**
   * Checks whether the operation can complete now; if so calls forceComplete() and returns its
   * result. `trigger` is the watch key whose change prompted the check (undefined on the first one),
   * for operations that must answer any change of a key, not only a change that meets the condition.
   */
  abstract tryComplete(trigger: K | undefined): boolean;

  /** Delivers the result; runs exactly once, whether the condition held, the delay ran out or it was forced. */
  protected abstract onComplete(): void;

  /** Runs after onComplete when the delay ran out before the condition held. */
  protected abstract onExpiration(): void;

  /**
   * Purgatory side: arms the expiry on `clock` and registers what to undo once it completes.
   * Not for callers (the purgatory calls it exactly once per operation).
   */
  watchUntilDone(clock: Clock, afterComplete: () => void): void {
    this.afterComplete = afterComplete;
    this.cancelExpiry = clock.schedule(this.delayMs, () => {
      this.cancelExpiry = null;
      if (this.forceComplete()) this.onExpiration();
    });
  }
}
