// DelayedOperation + DelayedOperationPurgatory on a ManualClock: completes once (condition, expiry or
// force), re-checks only the changed key's watchers, and unwatches at once (no timer or watcher left).
import { describe, expect, it } from 'vitest';
import { DelayedOperation, DelayedOperationPurgatory, ManualClock } from '../src/index';

class Counter {
  value = 0;
}

/** Waits until every watched counter reached `target`; records how it ended. */
class WaitFor extends DelayedOperation<Counter> {
  readonly events: string[] = [];
  readonly triggers: (Counter | undefined)[] = [];
  constructor(
    delayMs: number,
    private readonly counters: Counter[],
    private readonly target: number,
  ) {
    super(delayMs);
  }
  tryComplete(trigger: Counter | undefined): boolean {
    this.triggers.push(trigger);
    return this.counters.every((c) => c.value >= this.target) && this.forceComplete();
  }
  protected onComplete(): void {
    this.events.push('complete');
  }
  protected onExpiration(): void {
    this.events.push('expired');
  }
}

describe('DelayedOperationPurgatory', () => {
  it('completes at once when the condition already holds: no watch, no timer', () => {
    const clock = new ManualClock();
    const purgatory = new DelayedOperationPurgatory<Counter, WaitFor>(clock);
    const c = new Counter();
    c.value = 1;
    const op = new WaitFor(1_000, [c], 1);
    expect(purgatory.tryCompleteElseWatch(op, [c])).toBe(true);
    expect(op.events).toEqual(['complete']);
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
  });

  it('completes when a watched key changes enough, re-checking only that key, and cancels its timer', () => {
    const clock = new ManualClock();
    const purgatory = new DelayedOperationPurgatory<Counter, WaitFor>(clock);
    const [a, b, other] = [new Counter(), new Counter(), new Counter()];
    const op = new WaitFor(1_000, [a, b], 1);
    expect(purgatory.tryCompleteElseWatch(op, [a, b])).toBe(false);
    expect([purgatory.size, clock.pending]).toEqual([1, 1]);
    other.value = 5;
    expect(purgatory.checkAndComplete(other)).toBe(0);
    a.value = 1;
    expect(purgatory.checkAndComplete(a)).toBe(0);
    b.value = 1;
    expect(purgatory.checkAndComplete(b)).toBe(1);
    expect(op.triggers).toEqual([undefined, a, b]);
    expect(op.events).toEqual(['complete']);
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
    clock.advance(5_000);
    expect(op.events).toEqual(['complete']);
  });

  it('expires after its delay: onComplete then onExpiration, exactly once', () => {
    const clock = new ManualClock();
    const purgatory = new DelayedOperationPurgatory<Counter, WaitFor>(clock);
    const c = new Counter();
    const op = new WaitFor(500, [c], 1);
    purgatory.tryCompleteElseWatch(op, [c]);
    clock.advance(499);
    expect(op.events).toEqual([]);
    clock.advance(1);
    expect(op.events).toEqual(['complete', 'expired']);
    expect(purgatory.size).toBe(0);
    c.value = 1;
    expect(purgatory.checkAndComplete(c)).toBe(0);
    expect(op.forceComplete()).toBe(false);
    expect(op.events).toEqual(['complete', 'expired']);
  });

  it('forceCompleteAll completes the selected operations without expiring them', () => {
    const clock = new ManualClock();
    const purgatory = new DelayedOperationPurgatory<Counter, WaitFor>(clock);
    const c = new Counter();
    const keep = new WaitFor(1_000, [c], 1);
    const drop = new WaitFor(1_000, [c], 1);
    purgatory.tryCompleteElseWatch(keep, [c]);
    purgatory.tryCompleteElseWatch(drop, [c]);
    expect(purgatory.forceCompleteAll((op) => op === drop)).toBe(1);
    expect([drop.events, keep.events]).toEqual([['complete'], []]);
    expect(purgatory.forceCompleteAll()).toBe(1);
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
  });

  it('refuses an operation with no key to watch (it could only ever expire)', () => {
    const purgatory = new DelayedOperationPurgatory<Counter, WaitFor>(new ManualClock());
    expect(() => purgatory.tryCompleteElseWatch(new WaitFor(10, [new Counter()], 1), [])).toThrow(RangeError);
  });
});
