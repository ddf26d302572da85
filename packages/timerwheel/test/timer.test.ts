// The wheel itself (no clock): ordering, cascading through overflow levels, O(1) cancel bookkeeping,
// re-entrancy and error isolation, driven by explicit advanceTo calls.
import { describe, expect, it } from 'vitest';
import { Timer } from '../src/index';

const rethrow = (err: unknown) => {
  throw err;
};

describe('Timer', () => {
  it('runs timers in deadline order, equal deadlines in scheduling order', () => {
    const t = new Timer();
    const ran: string[] = [];
    t.add(30, () => ran.push('c'));
    t.add(10, () => ran.push('a1'));
    t.add(20, () => ran.push('b'));
    t.add(10, () => ran.push('a2'));
    expect(t.advanceTo(25, rethrow)).toBe(3);
    expect(ran).toEqual(['a1', 'a2', 'b']);
    expect(t.size).toBe(1);
    t.advanceTo(30, rethrow);
    expect(ran).toEqual(['a1', 'a2', 'b', 'c']);
    expect(t.size).toBe(0);
    expect(t.nextExpiration()).toBeUndefined();
  });

  it('keeps scheduling order for equal deadlines even when one arrives by cascading from an overflow level', () => {
    // A is scheduled first far ahead (overflow level), B later for the same ms directly in level 0.
    const t = new Timer({ wheelSize: 4 });
    const ran: string[] = [];
    t.add(100, () => ran.push('A'));
    t.advanceTo(98, rethrow);
    t.add(100, () => ran.push('B'));
    t.advanceTo(100, rethrow);
    expect(ran).toEqual(['A', 'B']);
  });

  it('runs equal deadlines that sit in buckets of different levels as one batch in scheduling order', () => {
    // Found by fuzzing: with 2-bucket wheels, #1 (scheduled at 24) and #3 (at 32) both end up due at
    // 64 from buckets of different levels that expire together; flushing one bucket at a time ran #3 first.
    const t = new Timer({ wheelSize: 2 });
    const ran: number[] = [];
    t.add(28, () => ran.push(0));
    t.advanceTo(24, rethrow);
    t.add(64, () => ran.push(1));
    t.add(36, () => ran.push(2));
    t.advanceTo(32, rethrow);
    t.add(64, () => ran.push(3));
    t.advanceTo(1_000, rethrow);
    expect(ran).toEqual([0, 2, 1, 3]);
  });

  it('sets currentMs to the deadline being fired while a callback runs', () => {
    const t = new Timer({ startMs: 5 });
    const seen: number[] = [];
    for (const d of [7, 70, 7_000, 700_000]) t.add(d, () => seen.push(t.currentMs));
    t.advanceTo(1_000_000, rethrow);
    expect(seen).toEqual([7, 70, 7_000, 700_000]);
    expect(t.currentMs).toBe(1_000_000);
  });

  it('creates overflow levels on demand and never loses a timer, from 1 ms to decades', () => {
    const t = new Timer();
    expect(t.levels).toBe(1);
    const day = 86_400_000;
    const deadlines = [1, 63, 64, 65, 4_095, 4_096, 262_143, 262_145, day, 7 * day, 30 * day, 3 * 365 * day, 40 * 365 * day];
    const ran: number[] = [];
    for (const d of [...deadlines].reverse()) t.add(d, () => ran.push(d));
    expect(t.levels).toBeGreaterThanOrEqual(7);
    // Advance in uneven steps: each timer fires exactly at its deadline, none early.
    let now = 0;
    for (const step of [1, 50, 13, 5_000, 300_000, day, 31 * day, 10 * 365 * day, 40 * 365 * day]) {
      now += step;
      t.advanceTo(now, rethrow);
      expect(ran).toEqual(deadlines.filter((d) => d <= now));
    }
    expect(ran).toEqual(deadlines);
  });

  it('reports a past deadline as due at once (nextExpiration = currentMs) and runs it on the next advance', () => {
    const t = new Timer({ startMs: 1_000 });
    let ran = 0;
    t.add(10, () => ran++);
    expect(t.nextExpiration()).toBe(1_000);
    t.advanceTo(1_000, rethrow);
    expect(ran).toBe(1);
  });

  it('cancel unlinks the timer, reports whether it was pending, and an emptied bucket leaves the queue', () => {
    const t = new Timer();
    let ran = 0;
    const a = t.add(50, () => ran++);
    const b = t.add(5_000, () => ran++);
    expect(t.nextExpiration()).toBe(50);
    expect(t.cancel(a)).toBe(true);
    expect(t.cancel(a)).toBe(false);
    // The 50 ms bucket is gone: the next wake-up is b's overflow bucket, not an empty one.
    expect(t.nextExpiration()).toBe(4_096);
    expect(t.size).toBe(1);
    t.advanceTo(10_000, rethrow);
    expect(ran).toBe(1);
    expect(t.cancel(b)).toBe(false);
  });

  it('a bucket emptied by cancel is reused correctly by later timers', () => {
    const t = new Timer();
    const ran: number[] = [];
    const a = t.add(10, () => ran.push(1));
    t.cancel(a);
    t.add(10, () => ran.push(2));
    t.advanceTo(10, rethrow);
    expect(ran).toEqual([2]);
  });

  it('a callback cancelling a later timer of the same batch stops it', () => {
    const t = new Timer();
    const ran: string[] = [];
    let second: ReturnType<Timer['add']> | undefined;
    t.add(10, () => {
      ran.push('first');
      expect(t.cancel(second!)).toBe(true);
    });
    second = t.add(10, () => ran.push('second'));
    t.add(10, () => ran.push('third'));
    t.advanceTo(10, rethrow);
    expect(ran).toEqual(['first', 'third']);
    expect(t.size).toBe(0);
  });

  it('timers scheduled by a callback run in the same advance when they fall due, after what is due before them', () => {
    const t = new Timer();
    const ran: string[] = [];
    t.add(10, () => {
      ran.push('a@10');
      t.add(t.currentMs, () => ran.push('now@10'));
      t.add(t.currentMs + 5, () => ran.push('child@15'));
      t.add(t.currentMs + 500, () => ran.push('late@510'));
    });
    t.add(10, () => ran.push('b@10'));
    t.add(15, () => ran.push('c@15'));
    t.advanceTo(100, rethrow);
    expect(ran).toEqual(['a@10', 'b@10', 'now@10', 'c@15', 'child@15']);
    expect(t.size).toBe(1);
  });

  it('a throwing callback is reported and the others still run; the wheel keeps working', () => {
    const t = new Timer();
    const errors: unknown[] = [];
    const ran: number[] = [];
    t.add(1, () => ran.push(1));
    t.add(2, () => {
      throw new Error('boom');
    });
    t.add(3, () => ran.push(3));
    expect(t.advanceTo(10, (e) => errors.push(e))).toBe(3);
    expect(ran).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
    t.add(20, () => ran.push(20));
    t.advanceTo(20, rethrow);
    expect(ran).toEqual([1, 3, 20]);
  });

  it('an onError that throws loses no timer: the rest of the batch stays due for the next advance', () => {
    const t = new Timer();
    const ran: string[] = [];
    t.add(5, () => {
      throw new Error('first');
    });
    t.add(5, () => ran.push('second'));
    t.add(6, () => ran.push('third'));
    expect(() => t.advanceTo(10, rethrow)).toThrow('first');
    expect(ran).toEqual([]);
    expect(t.size).toBe(2);
    t.advanceTo(10, rethrow);
    expect(ran).toEqual(['second', 'third']);
    expect(t.size).toBe(0);
  });

  it('refuses to advance from inside a callback', () => {
    const t = new Timer();
    const errors: unknown[] = [];
    t.add(1, () => t.advanceTo(5, rethrow));
    t.advanceTo(1, (e) => errors.push(e));
    expect(String(errors[0])).toMatch(/inside a timer callback/);
  });

  it('clear drops every pending timer', () => {
    const t = new Timer();
    let ran = 0;
    const entries = [1, 100, 10_000, 0].map((d) => t.add(d, () => ran++));
    t.clear();
    expect(t.size).toBe(0);
    expect(t.nextExpiration()).toBeUndefined();
    t.advanceTo(1_000_000, rethrow);
    expect(ran).toBe(0);
    for (const e of entries) expect(t.cancel(e)).toBe(false);
    t.add(1_000_001, () => ran++);
    t.advanceTo(1_000_001, rethrow);
    expect(ran).toBe(1);
  });

  it('clear from inside a callback also drops the rest of the batch being fired', () => {
    const t = new Timer();
    const ran: string[] = [];
    t.add(5, () => {
      ran.push('first');
      t.clear();
    });
    t.add(5, () => ran.push('second'));
    t.add(50, () => ran.push('later'));
    t.advanceTo(100, rethrow);
    expect(ran).toEqual(['first']);
    expect(t.size).toBe(0);
    t.add(200, () => ran.push('after'));
    expect(t.size).toBe(1);
    t.advanceTo(200, rethrow);
    expect(ran).toEqual(['first', 'after']);
  });

  it('rejects deadlines and options that could not be kept', () => {
    const t = new Timer();
    expect(() => t.add(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => t.add(1.5, () => {})).toThrow(/safe integer/);
    expect(() => t.add(2 ** 60, () => {})).toThrow(RangeError);
    expect(() => new Timer({ wheelSize: 1 })).toThrow(/wheelSize/);
    expect(() => new Timer({ startMs: -1 })).toThrow(/startMs/);
  });

  it('holds 100k timers over many levels and fires each once, in order', () => {
    const t = new Timer({ wheelSize: 8 });
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    const deadlines: number[] = [];
    for (let i = 0; i < 100_000; i++) deadlines.push(next() % 10_000_000);
    let last = -1;
    let fired = 0;
    let outOfOrder = 0;
    let offTime = 0;
    for (const d of deadlines)
      t.add(d, () => {
        if (t.currentMs !== d) offTime++;
        if (d < last) outOfOrder++;
        last = d;
        fired++;
      });
    for (let now = 0; now <= 10_000_000; now += 77_777) t.advanceTo(now, rethrow);
    t.advanceTo(10_000_000, rethrow);
    expect({ fired, outOfOrder, offTime, size: t.size }).toEqual({ fired: 100_000, outOfOrder: 0, offTime: 0, size: 0 });
  });
});
