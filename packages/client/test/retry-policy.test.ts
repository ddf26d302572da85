// RetryPolicy: exponential backoff with jitter, stops on non-retriable errors and when retries run out.
import { describe, expect, it } from 'vitest';
import { RetryPolicy, backoffMs } from '../src/retry-policy';

describe('RetryPolicy', () => {
  it('grows exponentially up to the ceiling', () => {
    const mid = () => 0.5; // zero jitter
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, { initialBackoffMs: 100, maxBackoffMs: 1000 }, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffMs(1, { initialBackoffMs: 100, jitter: 0.2 }, () => 1)).toBe(120);
    expect(backoffMs(1, { initialBackoffMs: 100, jitter: 0.2 }, () => 0)).toBe(80);
  });

  it('retries retriable errors, sleeping between attempts', async () => {
    const sleeps: number[] = [];
    const policy = new RetryPolicy({ retries: 3, jitter: 0 }, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    let calls = 0;
    const out = await policy.run(
      async () => {
        calls++;
        if (calls < 3) throw new Error('retriable');
        return 'ok';
      },
      () => true,
    );
    expect(out).toBe('ok');
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after retries and on non-retriable errors', async () => {
    const policy = new RetryPolicy({ retries: 2 }, { sleep: async () => {}, random: () => 0.5 });
    let calls = 0;
    await expect(policy.run(async () => { calls++; throw new Error('x'); }, () => true)).rejects.toThrow('x');
    expect(calls).toBe(3);
    calls = 0;
    await expect(policy.run(async () => { calls++; throw new Error('fatal'); }, () => false)).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });
});
