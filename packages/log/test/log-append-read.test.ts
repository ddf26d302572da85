// Log append/read on real temp dirs: 1M records in order, rolls, KIP-74 reads, lookups, reopen.
import { describe, expect, it } from 'vitest';
import { InvalidRecordError, CorruptMessageError, MessageTooLargeError, OffsetOutOfRangeError } from '@mq/errors';
import { buildRecordBatch, decodeRecordBatch, readBatchHeader, splitBatches } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

describe('append and read', () => {
  it('writes 1M records and reads them back in order', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 2 * 1024 * 1024 });
    const perBatch = 1000;
    for (let b = 0; b < 1000; b++) {
      const batch = await buildRecordBatch({
        records: Array.from({ length: perBatch }, (_, i) => ({ key: null, value: Buffer.from(String(b * perBatch + i)) })),
      });
      const r = await log.append(batch);
      expect(r.baseOffset).toBe(BigInt(b * perBatch));
    }
    expect(log.logEndOffset).toBe(1_000_000n);
    expect(log.segmentCount).toBeGreaterThan(3);
    const records = await readAll(log);
    expect(records).toHaveLength(1_000_000);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.offset !== BigInt(i) || r.value!.toString() !== String(i)) throw new Error(`record ${i} is wrong`);
    }
    await log.close();
  }, 60_000);

  it('rolls at segmentBytes and names segments by base offset', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 1000 });
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) sizes.push((await log.append(await makeBatch(2, { valueSize: 100 }))).position);
    const batchSize = (await makeBatch(2, { valueSize: 100 })).length;
    const perSegment = Math.floor(1000 / batchSize);
    expect(log.segmentCount).toBe(Math.ceil(20 / perSegment));
    expect(log.segmentBaseOffsets).toEqual(Array.from({ length: log.segmentCount }, (_, i) => BigInt(i * perSegment * 2)));
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
    expect(files[1]).toBe(`${String(perSegment * 2).padStart(20, '0')}.log`);
    await log.close();
  });

  it('rolls by age (segmentMs) using the injected clock', async () => {
    const clock = new FakeClock();
    const log = await Log.open(await tempDir(), { segmentMs: 1000, clock });
    await log.append(await makeBatch(1));
    clock.advance(500);
    await log.append(await makeBatch(1));
    expect(log.segmentCount).toBe(1);
    clock.advance(600);
    await log.append(await makeBatch(1));
    expect(log.segmentBaseOffsets).toEqual([0n, 2n]);
    await log.close();
  });

  it('read returns whole batches from the one containing the offset, KIP-74 and maxOffset', async () => {
    const log = await Log.open(await tempDir(), { indexIntervalBytes: 100 });
    const sizes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const b = await makeBatch(4, { valueSize: 50 });
      sizes.push(b.length);
      await log.append(b);
    }
    // Offset 10 lives in the batch [8, 11].
    const one = await log.read(10n, 1);
    expect(splitBatches(one).batches).toHaveLength(1);
    expect(readBatchHeader(one).baseOffset).toBe(8n);
    const three = await log.read(10n, sizes[0]! * 3 + 5);
    expect(splitBatches(three).batches.map((s) => readBatchHeader(s.batch).baseOffset)).toEqual([8n, 12n, 16n]);
    const capped = await log.read(10n, 1 << 20, { maxOffset: 16n });
    expect(splitBatches(capped).batches.map((s) => readBatchHeader(s.batch).baseOffset)).toEqual([8n, 12n]);
    expect((await log.read(10n, 1 << 20, { maxOffset: 8n })).length).toBe(0);
    expect((await log.read(200n, 100)).length).toBe(0);
    await expect(log.read(201n, 100)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await expect(log.read(-1n, 100)).rejects.toMatchObject({ errorCode: 1 });
    await log.close();
  });

  it('read with minOneBatch false returns nothing when the first batch exceeds maxBytes', async () => {
    const log = await Log.open(await tempDir(), { indexIntervalBytes: 100 });
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const b = await makeBatch(4, { valueSize: 50 });
      sizes.push(b.length);
      await log.append(b);
    }
    expect((await log.read(0n, sizes[0]! - 1, { minOneBatch: false })).length).toBe(0);
    const fits = await log.read(0n, sizes[0]! + sizes[1]! - 1, { minOneBatch: false });
    expect(splitBatches(fits).batches.map((s) => readBatchHeader(s.batch).baseOffset)).toEqual([0n]);
    await log.close();
  });

  it('offset lookups land on every offset across segments', async () => {
    const log = await Log.open(await tempDir(), { segmentBytes: 3000, indexIntervalBytes: 200 });
    for (let i = 0; i < 100; i++) await log.append(await makeBatch(1 + (i % 5), { prefix: `p${i}` }));
    const leo = log.logEndOffset;
    for (let o = 0n; o < leo; o++) {
      const data = await log.read(o, 1);
      const h = readBatchHeader(data);
      expect(h.baseOffset <= o && o <= h.baseOffset + BigInt(h.lastOffsetDelta)).toBe(true);
    }
    await log.close();
  });

  it('offsetForTimestamp finds the first record at or after a timestamp', async () => {
    const log = await Log.open(await tempDir(), { segmentBytes: 2000, indexIntervalBytes: 100 });
    // Batch i holds 3 records stamped 1000 + 10*i, +1, +2.
    for (let i = 0; i < 60; i++) {
      await log.append(
        await buildRecordBatch({
          records: [0, 1, 2].map((j) => ({ key: null, value: Buffer.from('x'), timestamp: BigInt(1000 + 10 * i + j) })),
        }),
      );
    }
    expect(await log.offsetForTimestamp(0n)).toEqual({ offset: 0n, timestamp: 1000n });
    expect(await log.offsetForTimestamp(1001n)).toEqual({ offset: 1n, timestamp: 1001n });
    expect(await log.offsetForTimestamp(1003n)).toEqual({ offset: 3n, timestamp: 1010n });
    expect(await log.offsetForTimestamp(1000n + 10n * 37n + 2n)).toEqual({ offset: 37n * 3n + 2n, timestamp: 1372n });
    expect(await log.offsetForTimestamp(5000n)).toBeNull();
    await log.close();
    const reopened = await Log.open(log.dir, { segmentBytes: 2000, indexIntervalBytes: 100 });
    expect(await reopened.offsetForTimestamp(1450n)).toEqual({ offset: 135n, timestamp: 1450n });
    await reopened.close();
  });

  it('reopens after close with the same offsets and data', async () => {
    const dir = await tempDir();
    const log = await Log.open(dir, { segmentBytes: 5000 });
    for (let i = 0; i < 40; i++) await log.append(await makeBatch(5, { prefix: `r${i}` }));
    const before = await readAll(log);
    await log.close();
    const again = await Log.open(dir, { segmentBytes: 5000 });
    expect(again.recovery).toEqual({ recoveredSegments: 0, truncatedBytes: 0 });
    expect(again.logEndOffset).toBe(200n);
    expect((await readAll(again)).map((r) => r.value!.toString())).toEqual(before.map((r) => r.value!.toString()));
    expect((await again.append(await makeBatch(1))).baseOffset).toBe(200n);
    await again.close();
  });

  it('rejects bad batches with typed errors and keeps going', async () => {
    const log = await Log.open(await tempDir(), { maxMessageBytes: 2000 });
    const good = await makeBatch(2);
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1]! ^= 0x10;
    await expect(log.append(corrupt)).rejects.toBeInstanceOf(CorruptMessageError);
    await expect(log.append(Buffer.alloc(10))).rejects.toBeInstanceOf(CorruptMessageError);
    await expect(log.append(await makeBatch(30, { valueSize: 100 }))).rejects.toBeInstanceOf(MessageTooLargeError);
    const gappy = await buildRecordBatch({ records: [{ key: null, value: null, offsetDelta: 5 }] });
    await expect(log.append(gappy)).rejects.toBeInstanceOf(InvalidRecordError);
    expect((await log.append(good)).baseOffset).toBe(0n);
    await log.close();
    await expect(log.append(good)).rejects.toMatchObject({ errorCode: 56 });
  });

  it('concurrent appends get consecutive offsets and share fsyncs under flush=always', async () => {
    const log = await Log.open(await tempDir(), { flush: 'always' });
    const batches = await Promise.all(Array.from({ length: 200 }, (_, i) => makeBatch(2, { prefix: `c${i}` })));
    const results = await Promise.all(batches.map((b) => log.append(b)));
    // Group commit: far fewer fdatasyncs than appends.
    expect(log.stats.flushes).toBeLessThan(20);
    expect(log.stats.flushes).toBeGreaterThanOrEqual(1);
    expect(results.map((r) => r.baseOffset)).toEqual(batches.map((_, i) => BigInt(i * 2)));
    const records = await readAll(log);
    expect(records.map((r) => r.value!.toString())).toEqual(batches.flatMap((_, i) => [`c${i}-0`, `c${i}-1`]));
    await log.close();
  });

  it('appends with offsets already assigned (replication) and stamps epoch / LogAppendTime', async () => {
    const clock = new FakeClock(5000);
    const log = await Log.open(await tempDir(), { clock });
    const b = await buildRecordBatch({ baseOffset: 10n, records: [{ key: null, value: Buffer.from('a') }, { key: null, value: null }] });
    const r = await log.append(b, { assignOffsets: false, leaderEpoch: 3 });
    expect(r).toMatchObject({ baseOffset: 10n, lastOffset: 11n });
    expect(log.logEndOffset).toBe(12n);
    const stale = await buildRecordBatch({ baseOffset: 11n, records: [{ key: null, value: null }] });
    await expect(log.append(stale, { assignOffsets: false })).rejects.toBeInstanceOf(InvalidRecordError);
    const lat = await log.append(await makeBatch(1), { logAppendTime: true });
    expect(lat.logAppendTime).toBe(5000n);
    const data = await log.read(10n, 1 << 20);
    const [first, second] = splitBatches(data).batches;
    expect(readBatchHeader(first!.batch).partitionLeaderEpoch).toBe(3);
    const decoded = await decodeRecordBatch(second!.batch);
    expect(decoded.records[0]).toMatchObject({ offset: 12n, timestamp: 5000n });
    await log.close();
  });

  it('keeps open segments bounded by maxOpenSegments while reading many segments', async () => {
    const log = await Log.open(await tempDir(), { segmentBytes: 400, maxOpenSegments: 4 });
    for (let i = 0; i < 200; i++) await log.append(await makeBatch(1, { valueSize: 200 }));
    expect(log.segmentCount).toBe(200);
    const cache = (log as unknown as { cache: { size: number } }).cache;
    const records = await readAll(log);
    expect(records).toHaveLength(200);
    expect(cache.size).toBeLessThanOrEqual(4);
    await log.close();
  });
});
