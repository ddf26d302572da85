// Flush policies: when fdatasync happens relative to acknowledgements.
import { describe, expect, it } from 'vitest';
import { Log } from '../src/index';
import { makeBatch, tempDir } from './helpers/fixtures';

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
    const log = await Log.open(await tempDir(), { flush: { intervalMs: 20 } });
    await new Promise((r) => setTimeout(r, 70));
    expect(log.stats.flushes).toBe(0);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(log.stats.flushes).toBe(1);
    await log.close();
  });

  it('{intervalMs} beyond the 2^31-1 ms Node timer limit does not sync every millisecond', async () => {
    const log = await Log.open(await tempDir(), { flush: { intervalMs: 2 ** 31 } });
    await log.append(await makeBatch(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(log.stats.flushes).toBe(0);
    await log.close();
  });

  it('{messages, intervalMs} syncs at the count and by the timer, whichever comes first', async () => {
    const log = await Log.open(await tempDir(), { flush: { messages: 3, intervalMs: 40 } });
    await log.append(await makeBatch(3));
    expect(log.stats.flushes).toBe(1);
    await log.append(await makeBatch(1));
    expect(log.stats.flushes).toBe(1);
    await expect.poll(() => log.stats.flushes, { timeout: 5_000 }).toBe(2);
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
