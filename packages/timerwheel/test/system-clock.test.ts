// SystemClock in real time: timers fire (never early) and in order, one Node timer serves them all,
// it does not tick while idle and does not keep the process alive unless asked.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SystemClock } from '../src/index';

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/clock-child.ts', import.meta.url));

function runChild(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CHILD, mode], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

// Captured before any spy replaces the global, so the tests' own waits are not counted as arms.
const realSetTimeout = globalThis.setTimeout;
const sleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms));

/** setTimeout calls made by this clock (other code in the worker may use timers too). */
function armsOf(clock: SystemClock, spy: { mock: { calls: unknown[][] } }): unknown[][] {
  const wake = (clock as unknown as { onWake: unknown }).onWake;
  return spy.mock.calls.filter((c) => c[0] === wake);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SystemClock', () => {
  it('fires a 5 ms timer, not before 5 ms have passed', async () => {
    const clock = new SystemClock();
    const start = performance.now();
    const firedAt = await new Promise<number>((resolve) => clock.schedule(5, () => resolve(performance.now())));
    expect(firedAt - start).toBeGreaterThanOrEqual(5);
    expect(clock.pending).toBe(0);
    expect(clock.armed).toBe(false);
  });

  it('fires in deadline order and runs timers scheduled from callbacks', async () => {
    const clock = new SystemClock();
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      clock.schedule(20, () => {
        order.push('20');
        clock.schedule(0, () => {
          order.push('child');
          resolve();
        });
      });
      clock.schedule(5, () => order.push('5'));
      clock.schedule(10, () => order.push('10'));
    });
    expect(order).toEqual(['5', '10', '20', 'child']);
  });

  it('arms one Node timer for many timers and leaves none armed when the last is cancelled', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const clock = new SystemClock();
    const cancels = Array.from({ length: 1_000 }, (_, i) => clock.schedule(10_000 + i, () => {}));
    expect(armsOf(clock, spy)).toHaveLength(1);
    expect(clock.pending).toBe(1_000);
    expect(clock.armed).toBe(true);
    for (const c of cancels) expect(c()).toBe(true);
    expect(clock.pending).toBe(0);
    expect(clock.armed).toBe(false);
  });

  it('does not tick while waiting for a timer weeks away (Node caps delays at 2^31-1 ms)', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const clock = new SystemClock();
    let fired = false;
    const cancel = clock.schedule(40 * 86_400_000, () => (fired = true));
    await sleep(30);
    const arms = armsOf(clock, spy);
    expect(arms).toHaveLength(1);
    expect(arms[0]![1]).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(fired).toBe(false);
    expect(cancel()).toBe(true);
  });

  it('a wake-up for a bucket emptied by cancel fires nothing and re-arms for the next timer', async () => {
    const clock = new SystemClock();
    const order: string[] = [];
    const early = clock.schedule(3, () => order.push('early'));
    const done = new Promise<void>((resolve) => clock.schedule(25, () => resolve()));
    early();
    await done;
    expect(order).toEqual([]);
    expect(clock.armed).toBe(false);
  });

  it('logs a throwing callback through the logger and still runs the other timers', async () => {
    const logged: [object, string | undefined][] = [];
    const clock = new SystemClock({ logger: { error: (obj, msg) => void logged.push([obj, msg]) } });
    clock.schedule(2, () => {
      throw new Error('boom');
    });
    await new Promise<void>((resolve) => clock.schedule(4, () => resolve()));
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toBe('timer callback threw');
    expect(((logged[0]![0] as { err: Error }).err).message).toBe('boom');
  });

  it('cancelAll drops every pending timer', async () => {
    const clock = new SystemClock();
    let fired = 0;
    const cancel = clock.schedule(1, () => fired++);
    clock.schedule(2, () => fired++);
    clock.cancelAll();
    expect(clock.pending).toBe(0);
    expect(clock.armed).toBe(false);
    expect(cancel()).toBe(false);
    await sleep(10);
    expect(fired).toBe(0);
  });

  it('rejects a delay that could never fire', () => {
    const clock = new SystemClock();
    expect(() => clock.schedule(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.schedule(Number.POSITIVE_INFINITY, () => {})).toThrow(RangeError);
  });

  it('a pending timer does not keep a process alive by default', async () => {
    const r = await runChild('unref');
    expect(r).toMatchObject({ code: 0, stdout: 'scheduled\n' });
  });

  it('keepAlive keeps the process alive until the timer fired', async () => {
    const r = await runChild('keep-alive');
    expect(r).toMatchObject({ code: 0, stdout: 'fired\n' });
  });

  it('keepAlive lets the process exit once the last timer is cancelled', async () => {
    const r = await runChild('keep-alive-cancelled');
    expect(r).toMatchObject({ code: 0, stdout: 'cancelled\n' });
  });

  it('without a logger a throwing callback is an uncaught exception, after the rest of its batch ran', async () => {
    const r = await runChild('throw');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('same batch still ran\n');
    expect(r.stderr).toContain('boom from a timer');
  });
});

describe('SystemClock when the logger itself throws', () => {
  it('still re-arms for the timers that remain', async () => {
    let calls = 0;
    const clock = new SystemClock({
      logger: {
        error: () => {
          calls++;
          throw new Error('logger down');
        },
      },
    });
    const ran: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    // The logger's throw escapes the Node timer callback: keep it from failing the test run.
    process.on('uncaughtException', onUncaught);
    try {
      clock.schedule(2, () => {
        throw new Error('boom');
      });
      const later = new Promise<void>((resolve) =>
        clock.schedule(30, () => {
          ran.push('later');
          resolve();
        }),
      );
      await later;
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(calls).toBe(1);
    expect(ran).toEqual(['later']);
    expect(String(uncaught[0])).toContain('logger down');
  });
});
