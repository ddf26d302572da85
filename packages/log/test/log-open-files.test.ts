// Open files stay bounded across many logs sharing one OpenSegmentCache (a broker's partitions):
// idle active segments give their fd back too. A clean reopen holds no fd and syncs nothing, and the
// clean-shutdown marker survives until the first write, which removes it before writing.
import { cp, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Log, OpenSegmentCache } from '../src/index';
import { makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

/** close() releases fds asynchronously: let the thread pool finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('open files across logs', () => {
  it('200 logs sharing a cache of 20 keep at most ~20 segment fds open while all of them are written', async () => {
    const root = await tempDir();
    const cache = new OpenSegmentCache(20);
    await settle();
    const before = await openFds();
    const logs: Log[] = [];
    for (let i = 0; i < 200; i++) logs.push(await Log.open(join(root, `t-${i}`), {}, { openSegments: cache }));
    for (let round = 0; round < 3; round++) {
      for (const log of logs) await log.append(await makeBatch(2));
    }
    await settle();
    const during = (await openFds()) - before;
    expect(cache.size).toBeLessThanOrEqual(20);
    expect(during).toBeLessThanOrEqual(20 + 4);
    for (const log of logs) expect(log.logEndOffset).toBe(6n);
    for (const log of logs.slice(0, 10)) expect((await readAll(log)).length).toBe(6);
    for (const log of logs) await log.close();
  });

  it('a clean reopen holds no fd until first use, and keeps the marker until the first write', async () => {
    const dir = join(await tempDir(), 'p-0');
    const log = await Log.open(dir, { flush: 'always' });
    for (let i = 0; i < 10; i++) await log.append(await makeBatch(3));
    await log.close();
    await settle();
    const before = await openFds();
    const reopened = await Log.open(dir, { flush: 'always' });
    await settle();
    expect(await openFds()).toBe(before);
    expect(reopened.logEndOffset).toBe(30n);
    expect(existsSync(join(dir, '.clean-shutdown'))).toBe(true);
    // Crash now (copy while open, nothing written): still a clean, exact log.
    const idleCrash = join(await tempDir(), 'p-0');
    await cp(dir, idleCrash, { recursive: true });
    const idle = await Log.open(idleCrash);
    expect([idle.logEndOffset, idle.recovery.recoveredSegments]).toEqual([30n, 0]);
    await idle.close();
    // The first append removes the marker before it writes: a crash after it must run recovery.
    expect((await reopened.append(await makeBatch(1))).baseOffset).toBe(30n);
    expect(existsSync(join(dir, '.clean-shutdown'))).toBe(false);
    const crash = join(await tempDir(), 'p-0');
    await cp(dir, crash, { recursive: true });
    const recovered = await Log.open(crash);
    expect(recovered.recovery.recoveredSegments).toBe(1);
    expect(recovered.logEndOffset).toBe(31n);
    expect((await readAll(recovered)).length).toBe(31);
    await recovered.close();
    await reopened.close();
  });

  it('a clean reopen continues the offset index where it ended (reads after appends find every batch)', async () => {
    const dir = join(await tempDir(), 'p-1');
    const cfg = { indexIntervalBytes: 100, flush: 'always' as const };
    const log = await Log.open(dir, cfg);
    for (let i = 0; i < 30; i++) await log.append(await makeBatch(2, { valueSize: 40 }));
    await log.close();
    const reopened = await Log.open(dir, cfg);
    for (let i = 0; i < 30; i++) await reopened.append(await makeBatch(2, { valueSize: 40 }));
    for (let o = 0n; o < 120n; o += 5n) {
      const data = await reopened.read(o, 1);
      const base = data.readBigInt64BE(0);
      expect(base <= o && o <= base + 1n).toBe(true);
    }
    await reopened.close();
    const third = await Log.open(dir, cfg);
    expect((await readAll(third)).length).toBe(120);
    await third.close();
  });

  it('a log created and closed without a write leaves just its empty segment and the marker, and reopens clean', async () => {
    const dir = join(await tempDir(), 'p-2');
    const log = await Log.open(dir, { flush: 'always' });
    await log.close();
    expect((await readdir(dir)).sort()).toEqual(['.clean-shutdown', '00000000000000000000.log']);
    const reopened = await Log.open(dir, { flush: 'always' });
    expect([reopened.logEndOffset, reopened.recovery.recoveredSegments]).toEqual([0n, 0]);
    expect((await reopened.append(await makeBatch(2))).baseOffset).toBe(0n);
    await reopened.close();
    const third = await Log.open(dir);
    expect((await readAll(third)).length).toBe(2);
    await third.close();
  });
});
