// preallocate: the active segment's file runs ahead of its data in zeros. Nothing past the data is
// ever read, indexed or counted; roll and close trim the file back; recovery after a crash (a copy
// of the directory taken while the log is open) trims the zero tail without calling it lost data,
// and still reports a torn batch written into it.
import { cp, open as openFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { Log } from '../src/index';
import { PREALLOCATE_STEP_BYTES } from '../src/log-segment';
import { FaultyFileSystem } from '../src/testing/index';
import { CaptureLogger } from './helpers/capture-logger';
import { FakeClock, makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

async function crashCopy(dir: string): Promise<string> {
  const copy = await tempDir();
  await cp(dir, copy, { recursive: true });
  return copy;
}

/** On-disk length of every segment file, oldest first. */
async function fileLengths(dir: string): Promise<number[]> {
  const logs = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
  return Promise.all(logs.map(async (f) => (await stat(join(dir, f))).size));
}

async function values(log: Log): Promise<string[]> {
  return (await readAll(log)).map((r) => r.value!.toString());
}

const expected = (n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => [0, 1].map((j) => `${prefix}${i}-${j}`)).flat();

describe('preallocate', () => {
  it('zero-fills ahead of the appends, reads only data, and trims the file on roll and on close', async () => {
    const dir = await tempDir();
    const segmentBytes = 3 * PREALLOCATE_STEP_BYTES;
    const log = await Log.open(dir, { flush: 'always', preallocate: true, segmentBytes });
    const ends: number[] = [];
    for (let i = 0; i < 20; i++) {
      await log.append(await makeBatch(2, { prefix: `p${i}` }));
      ends.push(log.size);
    }
    // The first append wrote one step of zeros after itself; the later ones landed inside it.
    expect(await fileLengths(dir)).toEqual([ends[0]! + PREALLOCATE_STEP_BYTES]);
    expect(log.logEndOffset).toBe(40n);
    expect(await values(log)).toEqual(expected(20));
    // Reads past the data never reach the zeros: an empty answer at the log end.
    expect((await log.read(40n, 1 << 20)).length).toBe(0);
    expect((await log.offsetForTimestamp(1_700_000_000_000n))?.offset).toBe(0n);

    // Fill past the first step and then past segment.bytes: the sealed segment is trimmed to its data.
    const big = 256 * 1024;
    for (let i = 0; i < 14; i++) await log.append(await makeBatch(1, { valueSize: big }));
    expect(log.segmentCount).toBe(2);
    const sizes = await fileLengths(dir);
    expect(sizes[1]).toBeGreaterThan(PREALLOCATE_STEP_BYTES); // the new active segment runs ahead
    await log.close();
    const trimmed = await fileLengths(dir);
    const reopened = await Log.open(dir, { preallocate: true, segmentBytes });
    expect(reopened.recovery).toEqual({ recoveredSegments: 0, truncatedBytes: 0 });
    expect(trimmed.reduce((a, b) => a + b, 0)).toBe(reopened.size);
    expect(reopened.logEndOffset).toBe(54n);
    expect((await values(reopened)).slice(0, 40)).toEqual(expected(20));
    expect((await reopened.append(await makeBatch(1))).baseOffset).toBe(54n);
    await reopened.close();
  });

  it('never preallocates past segment.bytes', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', preallocate: true, segmentBytes: 4096 });
    await log.append(await makeBatch(2));
    expect(await fileLengths(dir)).toEqual([4096]);
    await log.close();
    expect(await fileLengths(dir)).toEqual([log.size]);
  });

  it('after a crash, recovery trims the zero tail as no data: no truncation, every record kept, appends continue', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', preallocate: true, segmentBytes: 1024 });
    for (let i = 0; i < 30; i++) await log.append(await makeBatch(2, { prefix: `p${i}` }));
    expect(log.segmentCount).toBeGreaterThan(2);
    const crashed = await crashCopy(dir);
    const lengths = await fileLengths(crashed);
    expect(lengths.at(-1)).toBe(1024); // the copy holds the active segment's zeros
    await log.close();

    const logger = new CaptureLogger();
    const reopened = await Log.open(crashed, { preallocate: true, segmentBytes: 1024 }, { logger });
    expect(reopened.recovery.recoveredSegments).toBeGreaterThanOrEqual(1);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(reopened.logEndOffset).toBe(60n);
    expect(await values(reopened)).toEqual(expected(30));
    expect(logger.at('warn')).toEqual([]);
    expect(logger.at('error')).toEqual([]);
    const trims = logger.at('info').filter((l) => l.msg.includes('zero bytes'));
    expect(trims).toHaveLength(1);
    expect(trims[0]!.fields.zeroTailBytes).toBe(lengths.at(-1)! - (await fileLengths(crashed)).at(-1)!);
    expect((await fileLengths(crashed)).reduce((a, b) => a + b, 0)).toBe(reopened.size);
    expect((await reopened.append(await makeBatch(1))).baseOffset).toBe(60n);
    await reopened.close();
  });

  it('a torn batch written into the preallocated space is still reported and cut', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', preallocate: true, segmentBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) await log.append(await makeBatch(2, { prefix: `p${i}` }));
    const end = log.size;
    const crashed = await crashCopy(dir);
    await log.close();
    // The first 40 bytes of a batch landed, the rest of its pages did not (zeros).
    const torn = (await buildRecordBatch({ records: [{ key: null, value: Buffer.alloc(300, 1) }] })).subarray(0, 40);
    torn.writeBigInt64BE(10n, 0);
    const fh = await openFile(join(crashed, '00000000000000000000.log'), 'r+');
    await fh.write(torn, 0, torn.length, end);
    await fh.close();

    const logger = new CaptureLogger();
    const reopened = await Log.open(crashed, {}, { logger });
    expect(reopened.logEndOffset).toBe(10n);
    expect(reopened.recovery.truncatedBytes).toBe((1 << 20) - end);
    expect(logger.at('warn').map((l) => l.fields.firstDroppedOffset)).toEqual(['10']);
    expect(await values(reopened)).toEqual(expected(5));
    expect(await fileLengths(crashed)).toEqual([end]);
    await reopened.close();
  });

  it('ENOSPC mid-writev of a batch and its zeros: both cut off, the next append preallocates again', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', preallocate: true, segmentBytes: 8192 }, { fs });
    // The first append of a segment carries the zeros up to segment.bytes in the same writev.
    const fault = fs.inject({ op: 'writev', path: /\.log$/, code: 'ENOSPC', partial: true });
    await expect(log.append(await makeBatch(2, { prefix: 'lost' }))).rejects.toMatchObject({ errorCode: 56 });
    expect(fault.hits).toBe(1);
    expect(log.logEndOffset).toBe(0n);
    expect(await fileLengths(dir)).toEqual([0]);
    fault.clear();
    expect((await log.append(await makeBatch(2, { prefix: 'b' }))).baseOffset).toBe(0n);
    expect(await fileLengths(dir)).toEqual([8192]);
    expect(await values(log)).toEqual(['b-0', 'b-1']);
    await log.close();
    const reopened = await Log.open(dir);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(await values(reopened)).toEqual(['b-0', 'b-1']);
    await reopened.close();
  });

  it('retention and compaction see only data: sealed segments are trimmed before either touches them', async () => {
    const clock = new FakeClock(100_000);
    const dir = await tempDir();
    const log = await Log.open(dir, { preallocate: true, segmentBytes: 800, cleanupPolicy: 'compact', clock });
    for (let round = 0; round < 30; round++) {
      const records = [0, 1, 2].map((j) => ({ key: Buffer.from(`k${(round * 3 + j) % 5}`), value: Buffer.from(`v${round}.${j}`), timestamp: 1000n }));
      await log.append(await buildRecordBatch({ records }));
    }
    expect(log.segmentCount).toBeGreaterThan(3);
    const stats = await log.compact();
    expect(stats.segmentsCleaned).toBeGreaterThan(0);
    const latest = new Map((await readAll(log)).map((r) => [r.key!.toString(), r.value!.toString()]));
    expect(latest.get('k4')).toBe('v29.2');
    expect(log.logEndOffset).toBe(90n);
    Object.assign(log.config, { retentionBytes: 150, cleanupPolicy: 'delete' });
    expect(await log.applyRetention()).toBeGreaterThan(0);
    expect(log.logEndOffset).toBe(90n);
    await log.close();
    const reopened = await Log.open(dir);
    expect(reopened.recovery).toEqual({ recoveredSegments: 0, truncatedBytes: 0 });
    expect((await fileLengths(dir)).reduce((a, b) => a + b, 0)).toBe(reopened.size);
    expect(new Map((await readAll(reopened)).map((r) => [r.key!.toString(), r.value!.toString()])).get('k4')).toBe('v29.2');
    await reopened.close();
  });
});
