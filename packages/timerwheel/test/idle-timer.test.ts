// IdleTimer: fires once after idleMs without touch(); touch() is O(1) and re-arms lazily.
import { describe, expect, it } from 'vitest';
import { IdleTimer, ManualClock } from '../src/index';

describe('IdleTimer', () => {
  it('fires idleMs after the last touch, not after the first', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const idle = new IdleTimer(clock, 100, () => fired.push(clock.monotonic()));
    clock.advance(50);
    idle.touch();
    clock.advance(60);
    idle.touch(); // at 110
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([210]);
  });

  it('keeps one timer however often it is touched', () => {
    const clock = new ManualClock();
    const idle = new IdleTimer(clock, 1_000, () => {});
    for (let i = 0; i < 10_000; i++) idle.touch();
    expect(clock.pending).toBe(1);
  });

  it('fires once, then touch() starts it again', () => {
    const clock = new ManualClock();
    let n = 0;
    const idle = new IdleTimer(clock, 10, () => n++);
    clock.advance(100);
    expect(n).toBe(1);
    expect(clock.pending).toBe(0);
    idle.touch();
    clock.advance(10);
    expect(n).toBe(2);
  });

  it('stop() cancels it until the next touch()', () => {
    const clock = new ManualClock();
    let n = 0;
    const idle = new IdleTimer(clock, 10, () => n++);
    expect(idle.stop()).toBe(true);
    expect(idle.stop()).toBe(false);
    clock.advance(100);
    expect(n).toBe(0);
    idle.touch();
    clock.advance(10);
    expect(n).toBe(1);
  });

  it('refuses a non-positive idleMs', () => {
    expect(() => new IdleTimer(new ManualClock(), 0, () => {})).toThrow(RangeError);
  });
});
