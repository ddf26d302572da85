// Flush policies: when fdatasync happens relative to acknowledgements.
import { describe, expect, it } from 'vitest';
import { Log } from '../src/index';
import { FakeClock, makeBatch, tempDir } from './helpers/fixtures';

describe('flush policies', () => {
  it("'always' syncs before every acknowledgement", async () => {
    const log = await Log.open(await tempDir(), { flush: 'always' });
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(1);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(2);
    await log.close();
  });

  it('{messages} syncs in the append that reaches the count', async () => {
    const log = await Log.open(await tempDir(), { flush: { messages: 5 } });
    await log.append(await makeBatch(2));
    await log.append(await makeBatch(2));
    expect(log.stats.flushes).toBe(0);
    await log.append(await makeBatch(2));
    expect(log.stats.flushes).toBe(1);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(1);
    await log.close();
  });

  it('{intervalMs} syncs in the background only when there is unflushed data', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { flush: { intervalMs: 20 }, clock });
    clock.advance(70);
    await new Promise((r) => setImmediate(r));
    expect(log.stats.flushes).toBe(0);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(0);
    clock.advance(19); // the next tick is at 80: 70 + 19 = 89 passes it
    await expect.poll(() => log.stats.flushes).toBe(1);
    clock.advance(200);
    await new Promise((r) => setImmediate(r));
    expect(log.stats.flushes).toBe(1);
    await log.close();
    expect(clock.pending).toBe(0);
  });

  it('{intervalMs} beyond the 2^31-1 ms Node timer limit syncs every 2^31-1 ms, not every millisecond', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { flush: { intervalMs: 2 ** 40 }, clock });
    await log.append(await makeBatch(1));
    clock.advance(2 ** 31 - 2);
    await new Promise((r) => setImmediate(r));
    expect(log.stats.flushes).toBe(0);
    clock.advance(1);
    await expect.poll(() => log.stats.flushes).toBe(1);
    await log.close();
  });

  it('{messages, intervalMs} syncs at the count and by the timer, whichever comes first', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { flush: { messages: 3, intervalMs: 40 }, clock });
    await log.append(await makeBatch(3));
    expect(log.stats.flushes).toBe(1);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(1);
    clock.advance(40);
    await expect.poll(() => log.stats.flushes).toBe(2);
    await log.close();
  });

  it('{intervalMs} on the real clock: a background sync happens (end to end, no fake time)', async () => {
    const log = await Log.open(await tempDir(), { flush: { intervalMs: 20 } });
    await log.append(await makeBatch(1));
    await expect.poll(() => log.stats.flushes, { timeout: 10_000 }).toBe(1);
    await log.close();
  });

  it("'none' leaves syncing to roll/close, and flush() forces one", async () => {
    const log = await Log.open(await tempDir(), { flush: 'none' });
    await log.append(await makeBatch(3));
    expect(log.stats.flushes).toBe(0);
    await log.flush();
    expect(log.stats.flushes).toBe(1);
    await log.close();
  });
});
