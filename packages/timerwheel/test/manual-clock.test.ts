// ManualClock: time moves only on advance(), which runs due timers synchronously and in order.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index';

describe('ManualClock', () => {
  it('runs nothing until advanced, then each due timer at its own time', () => {
    const clock = new ManualClock({ startMs: 1_000, wallMs: 1_700_000_000_000 });
    const seen: [string, number, number][] = [];
    clock.schedule(30, () => seen.push(['b', clock.monotonic(), clock.now()]));
    clock.schedule(10, () => seen.push(['a', clock.monotonic(), clock.now()]));
    clock.schedule(500, () => seen.push(['c', clock.monotonic(), clock.now()]));
    expect(seen).toEqual([]);
    expect(clock.advance(100)).toBe(2);
    expect(seen).toEqual([
      ['a', 1_010, 1_700_000_000_010],
      ['b', 1_030, 1_700_000_000_030],
    ]);
    expect(clock.monotonic()).toBe(1_100);
    expect(clock.now()).toBe(1_700_000_000_100);
    expect(clock.pending).toBe(1);
  });

  it('never runs a timer inside schedule(); a 0 ms timer runs on the next advance, even advance(0)', () => {
    const clock = new ManualClock();
    let ran = 0;
    clock.schedule(0, () => ran++);
    clock.schedule(-5, () => ran++);
    expect(ran).toBe(0);
    expect(clock.advance(0)).toBe(2);
    expect(ran).toBe(2);
  });

  it('runs timers that fired callbacks schedule, when they fall due within the same advance', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const tick = (n: number) => {
      seen.push(`tick${n}@${clock.monotonic()}`);
      if (n < 5) clock.schedule(10, () => tick(n + 1));
    };
    clock.schedule(10, () => tick(1));
    clock.advance(35);
    expect(seen).toEqual(['tick1@10', 'tick2@20', 'tick3@30']);
    clock.advance(100);
    expect(seen).toEqual(['tick1@10', 'tick2@20', 'tick3@30', 'tick4@40', 'tick5@50']);
  });

  it('cancel stops a pending timer and says whether it did', () => {
    const clock = new ManualClock();
    let ran = 0;
    const cancel = clock.schedule(10, () => ran++);
    const fired = clock.schedule(5, () => ran++);
    clock.advance(5);
    expect(fired()).toBe(false);
    expect(cancel()).toBe(true);
    expect(cancel()).toBe(false);
    clock.advance(100);
    expect(ran).toBe(1);
  });

  it('rounds fractional times up: a timer never fires before its delay has passed', () => {
    const clock = new ManualClock({ startMs: 0.5 });
    let firedAt: number | undefined;
    clock.schedule(1, () => (firedAt = clock.monotonic()));
    clock.advance(0.9); // now 1.4 < 1.5
    expect(firedAt).toBeUndefined();
    clock.advance(0.6); // now 2.0 ≥ ceil(1.5)
    expect(firedAt).toBe(2);
  });

  it('throws a callback error after the other due timers ran, and keeps working', () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    clock.schedule(1, () => {
      throw new Error('first');
    });
    clock.schedule(2, () => ran.push(2));
    expect(() => clock.advance(5)).toThrow('first');
    expect(ran).toEqual([2]);
    expect(clock.monotonic()).toBe(5);
    clock.schedule(1, () => {
      throw new Error('x');
    });
    clock.schedule(1, () => {
      throw new Error('y');
    });
    clock.schedule(1, () => ran.push(6));
    expect(() => clock.advance(1)).toThrow(AggregateError);
    expect(ran).toEqual([2, 6]);
  });

  it('refuses advance() from a callback and bad arguments, with clear errors', () => {
    const clock = new ManualClock();
    clock.schedule(1, () => clock.advance(1));
    expect(() => clock.advance(1)).toThrow(/inside a timer callback/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.schedule(Number.POSITIVE_INFINITY, () => {})).toThrow(/finite/);
    expect(() => clock.schedule(Number.NaN, () => {})).toThrow(/finite/);
    expect(() => new ManualClock({ startMs: -1 })).toThrow(RangeError);
  });

  it('setWallTime steps now() only: monotonic time and pending timers are unaffected', () => {
    const clock = new ManualClock({ wallMs: 10_000 });
    let ran = 0;
    clock.schedule(100, () => ran++);
    clock.setWallTime(5_000); // the wall clock jumps back
    expect(clock.now()).toBe(5_000);
    expect(clock.monotonic()).toBe(0);
    clock.advance(99);
    expect(ran).toBe(0);
    clock.advance(1);
    expect(ran).toBe(1);
    expect(clock.now()).toBe(5_100);
  });

  it('handles timers days and years away', () => {
    const clock = new ManualClock();
    const day = 86_400_000;
    const seen: number[] = [];
    for (const d of [365 * day, day, 7 * day, 2 ** 31 + 5]) clock.schedule(d, () => seen.push(clock.monotonic()));
    clock.advance(400 * day);
    expect(seen).toEqual([day, 7 * day, 2 ** 31 + 5, 365 * day]);
  });
});
