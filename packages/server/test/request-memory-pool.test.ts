// RequestMemoryPool alone: take never exceeds what is free, a reader's own half frame does not
// block it, and when only half-received frames hold the budget the reader with the most goes on.
import { describe, expect, it } from 'vitest';
import { type PoolReader, RequestMemoryPool } from '../src/request-memory-pool';

class Reader implements PoolReader {
  partialBytes = 0;
  resumed = 0;
  resumeReading(): void {
    this.resumed++;
  }
}

function receive(pool: RequestMemoryPool, r: Reader, n: number): void {
  pool.chargePartial(n);
  r.partialBytes += n;
}

describe('RequestMemoryPool', () => {
  it('take grants at most what is free; charge may overdraw; release wakes waiters that may read again', () => {
    const pool = new RequestMemoryPool(100);
    expect(pool.take(60)).toBe(60);
    expect(pool.take(60)).toBe(40);
    expect(pool.take(1)).toBe(0);
    pool.charge(10);
    expect(pool.used).toBe(110);
    const r = new Reader();
    expect(pool.mayRead(r)).toBe(false);
    pool.wait(r);
    expect(pool.waitingReaders).toBe(1);
    pool.release(20);
    expect(r.resumed).toBe(1);
    expect(pool.waitingReaders).toBe(0);
  });

  it('a reader finishing a frame it started is not blocked by that frame', () => {
    const pool = new RequestMemoryPool(100);
    const r = new Reader();
    receive(pool, r, 150);
    expect(pool.mayRead(r)).toBe(true);
    pool.settle(150);
    r.partialBytes = 0;
    expect(pool.mayRead(r)).toBe(false);
  });

  it('when only half-received frames hold the budget, the reader with the most received goes on (no deadlock)', () => {
    const pool = new RequestMemoryPool(100);
    const [a, b, c] = [new Reader(), new Reader(), new Reader()];
    for (const r of [a, b, c]) pool.add(r);
    receive(pool, a, 55);
    receive(pool, b, 60);
    receive(pool, c, 50);
    for (const r of [a, c]) {
      expect(pool.mayRead(r)).toBe(false);
      pool.wait(r);
    }
    // b has the most: it may read, and is the only one.
    expect(pool.mayRead(b)).toBe(true);
    expect(a.resumed + c.resumed).toBe(0);
    // With a settled frame in flight, nobody overdraws: its response will free memory.
    pool.settle(60);
    b.partialBytes = 0;
    expect(pool.mayRead(b)).toBe(false);
    pool.release(60);
    expect(a.resumed).toBe(1);
  });

  it('capacity <= 0 is unbounded', () => {
    const pool = new RequestMemoryPool(-1);
    expect(pool.take(1e12)).toBe(1e12);
    expect(pool.mayRead(new Reader())).toBe(true);
  });
});
