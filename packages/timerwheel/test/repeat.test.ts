// repeat(): fixed-delay repetition on any Clock; async runs never overlap; failures do not stop it.
import { describe, expect, it } from 'vitest';
import { ManualClock, repeat } from '../src/index';

describe('repeat', () => {
  it('runs every interval until cancelled', () => {
    const clock = new ManualClock();
    const at: number[] = [];
    const cancel = repeat(clock, 100, () => void at.push(clock.monotonic()));
    clock.advance(350);
    expect(at).toEqual([100, 200, 300]);
    expect(cancel()).toBe(true);
    expect(cancel()).toBe(false);
    clock.advance(1_000);
    expect(at).toEqual([100, 200, 300]);
    expect(clock.pending).toBe(0);
  });

  it('schedules the next run an interval after an async run settles, so runs never overlap', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    let release: () => void = () => {};
    repeat(clock, 100, () => {
      starts.push(clock.monotonic());
      return new Promise<void>((r) => (release = r));
    });
    clock.advance(100);
    clock.advance(500); // the first run is still in flight: nothing else starts
    expect(starts).toEqual([100]);
    release();
    await Promise.resolve();
    await Promise.resolve();
    clock.advance(99);
    expect(starts).toEqual([100]);
    clock.advance(1);
    expect(starts).toEqual([100, 700]);
  });

  it('keeps running after a run throws or rejects, handing the error to onError', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let n = 0;
    repeat(
      clock,
      10,
      () => {
        n++;
        if (n === 1) throw new Error('sync');
        if (n === 2) return Promise.reject(new Error('async'));
      },
      { onError: (e) => errors.push(e) },
    );
    clock.advance(10);
    clock.advance(10);
    await new Promise((r) => setImmediate(r));
    clock.advance(10);
    clock.advance(10);
    expect(n).toBe(4);
    expect(errors.map((e) => (e as Error).message)).toEqual(['sync', 'async']);
  });

  it('without onError, errors go to the clock (ManualClock: advance throws) and the repetition continues', async () => {
    const clock = new ManualClock();
    let n = 0;
    repeat(clock, 10, () => {
      n++;
      if (n === 1) throw new Error('sync');
      if (n === 2) return Promise.reject(new Error('async'));
    });
    expect(() => clock.advance(10)).toThrow('sync');
    clock.advance(10);
    await new Promise((r) => setImmediate(r));
    // The rejection is reported through a 0 ms timer on the clock.
    expect(() => clock.advance(0)).toThrow('async');
    clock.advance(10);
    expect(n).toBe(3);
  });

  it('refuses an interval that would spin or never fire', () => {
    const clock = new ManualClock();
    expect(() => repeat(clock, 0, () => {})).toThrow(RangeError);
    expect(() => repeat(clock, Number.POSITIVE_INFINITY, () => {})).toThrow(RangeError);
  });
});
