// Retention by time and size, DeleteRecords, and truncateTo on real files.
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OffsetOutOfRangeError } from '@mq/errors';
import { buildRecordBatch, computeBatchCrc, readBatchHeader } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

const batchAt = (ts: number, n = 2) =>
  buildRecordBatch({ records: Array.from({ length: n }, () => ({ key: null, value: Buffer.alloc(100, 1), timestamp: BigInt(ts) })) });

/** What Sarama <= 1.22 stored: valid record timestamps, but -1 as the batch maxTimestamp. */
const noMaxTimestamp = async (ts: number, n = 2) => {
  const b = await batchAt(ts, n);
  b.writeBigInt64BE(-1n, 35);
  b.writeUInt32BE(computeBatchCrc(b), 17);
  return b;
};

describe('batches whose maxTimestamp is -1 (data written before the produce path computed it)', () => {
  it('retention ages their segments by file mtime, not as expired', async () => {
    const clock = new FakeClock(Date.now());
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 600, retentionMs: 3_600_000, clock });
    for (let i = 0; i < 8; i++) await log.append(await noMaxTimestamp(clock.ms - 1000 + i));
    const segments = log.segmentBaseOffsets;
    expect(segments.length).toBeGreaterThan(2);
    expect(await log.applyRetention()).toBe(0);
    expect(log.logStartOffset).toBe(0n);
    // A segment file last written more than retention.ms ago goes, as in Kafka.
    const old = (clock.ms - 2 * 3_600_000) / 1000;
    await utimes(join(dir, `${String(segments[0]).padStart(20, '0')}.log`), old, old);
    expect(await log.applyRetention()).toBe(1);
    expect(log.logStartOffset).toBe(segments[1]);
    await log.close();
  });

  it('offsetForTimestamp finds their records', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { segmentBytes: 600, clock });
    for (let i = 0; i < 8; i++) await log.append(await noMaxTimestamp(1000 * (i + 1)));
    expect(await log.offsetForTimestamp(4500n)).toEqual({ offset: 8n, timestamp: 5000n });
    expect(await log.offsetForTimestamp(1000n)).toEqual({ offset: 0n, timestamp: 1000n });
    expect(await log.offsetForTimestamp(9000n)).toBeNull();
    await log.close();
  });
});

describe('retention', () => {
  it('deletes whole segments older than retentionMs and advances logStartOffset', async () => {
    const clock = new FakeClock(10_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 600, retentionMs: 5000, clock });
    for (let i = 0; i < 12; i++) await log.append(await batchAt(1000 * i));
    const segments = log.segmentBaseOffsets;
    expect(segments.length).toBeGreaterThan(3);
    // now = 10000: records stamped < 5000 are expired; a segment goes when its largest timestamp is.
    const deleted = await log.applyRetention();
    expect(deleted).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0]);
    const first = await log.read(log.logStartOffset, 1);
    expect(readBatchHeader(first).maxTimestamp).toBeGreaterThanOrEqual(4000n);
    await expect(log.read(0n, 100)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    // Everything expired: the active segment is rolled and deleted too; the log stays usable.
    clock.advance(1_000_000);
    await log.applyRetention();
    expect(log.logStartOffset).toBe(log.logEndOffset);
    expect(log.segmentCount).toBe(1);
    expect((await log.append(await batchAt(clock.ms))).baseOffset).toBe(24n);
    await log.close();
    const reopened = await Log.open(log.dir, { segmentBytes: 600, retentionMs: 5000, clock });
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([24n, 26n]);
    await reopened.close();
  });

  it('deletes oldest segments while the rest still exceeds retentionBytes', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { segmentBytes: 600, retentionBytes: 1500, retentionMs: -1, clock });
    for (let i = 0; i < 20; i++) await log.append(await batchAt(clock.ms));
    const before = log.size;
    await log.applyRetention();
    expect(log.size).toBeLessThan(before);
    expect(log.size).toBeGreaterThanOrEqual(1500);
    expect(log.size - 600).toBeLessThan(1500);
    expect((await readAll(log)).length).toBe(Number(log.logEndOffset - log.logStartOffset));
    await log.close();
  });

  it('compact-only logs ignore retention.ms', async () => {
    const clock = new FakeClock(1e9);
    const log = await Log.open(await tempDir(), { segmentBytes: 600, retentionMs: 1, cleanupPolicy: 'compact', clock });
    for (let i = 0; i < 10; i++) await log.append(await batchAt(0));
    expect(await log.applyRetention()).toBe(0);
    await log.close();
  });

  it('deleteRecordsBefore advances logStartOffset inside a segment and persists it', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 600 });
    for (let i = 0; i < 10; i++) await log.append(await batchAt(0));
    expect(await log.deleteRecordsBefore(7n)).toBe(7n);
    expect(log.logStartOffset).toBe(7n);
    await expect(log.read(6n, 10)).rejects.toMatchObject({ errorCode: 1 });
    const records = await readAll(log);
    expect(records[0]!.offset).toBe(7n);
    await expect(log.deleteRecordsBefore(100n)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await log.close();
    const reopened = await Log.open(dir, { segmentBytes: 600 });
    expect(reopened.logStartOffset).toBe(7n);
    expect(reopened.segmentBaseOffsets[0]).toBeLessThanOrEqual(7n);
    await reopened.close();
  });
});

describe('truncateTo', () => {
  it('removes batches at and after the offset across segments, then appends continue there', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 700 });
    for (let i = 0; i < 20; i++) await log.append(await makeBatch(2, { prefix: `a${i}` }));
    const segsBefore = log.segmentCount;
    await log.truncateTo(14n);
    expect(log.logEndOffset).toBe(14n);
    expect(log.segmentCount).toBeLessThan(segsBefore);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.log'));
    expect(files.length).toBe(log.segmentCount);
    expect((await readAll(log)).map((r) => r.value!.toString())).toEqual(
      Array.from({ length: 7 }, (_, i) => [`a${i}-0`, `a${i}-1`]).flat(),
    );
    expect((await log.append(await makeBatch(1, { prefix: 'new' }))).baseOffset).toBe(14n);
    await log.truncateTo(100n); // beyond the end: no-op
    expect(log.logEndOffset).toBe(15n);
    await log.close();
    const reopened = await Log.open(dir, { segmentBytes: 700 });
    expect(reopened.logEndOffset).toBe(15n);
    expect((await readAll(reopened)).at(-1)!.value!.toString()).toBe('new-0');
    await reopened.close();
  });

  it('truncating below logStartOffset restarts the log there', async () => {
    const log = await Log.open(await tempDir(), { segmentBytes: 600 });
    for (let i = 0; i < 10; i++) await log.append(await batchAt(0));
    await log.deleteRecordsBefore(10n);
    await log.truncateTo(4n);
    expect([log.logStartOffset, log.logEndOffset, log.segmentCount]).toEqual([4n, 4n, 1]);
    expect((await log.append(await batchAt(0))).baseOffset).toBe(4n);
    await log.close();
  });
});
