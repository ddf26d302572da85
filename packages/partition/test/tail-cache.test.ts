// TailCache alone (eviction, gaps, Log.read's whole-batch/maxBytes/maxOffset rules) and through a
// real Partition: what a tailing fetch gets from memory is byte-for-byte what the log holds on disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { TailCache } from '../src/tail-cache';
import { TopicManager } from '../src/topic-manager';

function fake(base: number, size: number): Buffer {
  const b = Buffer.alloc(size, base % 256);
  b.writeBigInt64BE(BigInt(base), 0);
  return b;
}

describe('TailCache', () => {
  it('answers whole contiguous batches under maxBytes and below maxOffset, first batch always whole', () => {
    const c = new TailCache({ maxBytes: 1 << 20, maxBatches: 100 });
    c.add(fake(0, 100), 0n, 1n);
    c.add(fake(2, 100), 2n, 2n);
    c.add(fake(3, 100), 3n, 5n);
    expect(c.read(1n, 1 << 20, 6n)).toEqual(Buffer.concat([fake(0, 100), fake(2, 100), fake(3, 100)]));
    expect(c.read(4n, 10, 6n)).toEqual(fake(3, 100));
    expect(c.read(2n, 200, 6n)).toEqual(Buffer.concat([fake(2, 100), fake(3, 100)]));
    expect(c.read(2n, 199, 6n)).toEqual(fake(2, 100));
    expect(c.read(0n, 1 << 20, 3n)).toEqual(Buffer.concat([fake(0, 100), fake(2, 100)]));
    expect(c.read(6n, 1 << 20, 7n)).toBeUndefined();
  });

  it('with minOneBatch false answers empty when the first batch exceeds maxBytes (a later Fetch partition)', () => {
    const c = new TailCache({ maxBytes: 1 << 20, maxBatches: 100 });
    c.add(fake(0, 100), 0n, 1n);
    c.add(fake(2, 100), 2n, 2n);
    expect(c.read(0n, 99, 3n, false)).toEqual(Buffer.alloc(0));
    expect(c.read(0n, 150, 3n, false)).toEqual(fake(0, 100));
  });

  it('evicts the oldest batches past its limits and restarts on an offset gap', () => {
    const c = new TailCache({ maxBytes: 250, maxBatches: 2 });
    c.add(fake(0, 100), 0n, 0n);
    c.add(fake(1, 100), 1n, 1n);
    c.add(fake(2, 100), 2n, 2n);
    expect(c.size).toBe(2);
    expect(c.read(0n, 1000, 10n)).toBeUndefined();
    expect(c.read(1n, 1000, 10n)).toEqual(Buffer.concat([fake(1, 100), fake(2, 100)]));
    c.add(fake(9, 100), 9n, 9n);
    expect(c.size).toBe(1);
    expect(c.read(2n, 1000, 10n)).toBeUndefined();
    c.add(fake(10, 300), 10n, 10n);
    expect(c.size).toBe(0);
  });

  it('copies small batches so it never pins the request frame they arrived in', () => {
    const c = new TailCache({ maxBytes: 1 << 20, maxBatches: 10 });
    const frame = Buffer.alloc(64 * 1024);
    const batch = frame.subarray(100, 200);
    c.add(batch, 0n, 0n);
    expect(c.read(0n, 1000, 1n)!.buffer).not.toBe(frame.buffer);
  });
});

describe('Partition tail reads', () => {
  let dir: string;
  let tm: TopicManager;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mq-tail-test-'));
    tm = await TopicManager.open({ dataDir: dir });
  });
  afterEach(async () => {
    await tm.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves freshly appended batches with the bytes the log stored (offsets, LogAppendTime)', async () => {
    await tm.createTopic('t', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const p = tm.partition('t', 0);
    for (let i = 0; i < 20; i++) {
      await p.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from(`v${i}`) }, { key: null, value: Buffer.from(`w${i}`) }] }));
    }
    const fromMemory = [await p.read(0n, 1 << 20), await p.read(17n, 1 << 20), await p.read(38n, 10)];
    await tm.close();
    tm = await TopicManager.open({ dataDir: dir });
    const q = tm.partition('t', 0);
    const fromDisk = [await q.read(0n, 1 << 20), await q.read(17n, 1 << 20), await q.read(38n, 10)];
    expect(fromMemory).toEqual(fromDisk);
    expect(fromDisk[0]!.readBigInt64BE(0)).toBe(0n);
  });

  it('does not answer offsets below the log start after DeleteRecords', async () => {
    await tm.createTopic('d', 1);
    const p = tm.partition('d', 0);
    for (let i = 0; i < 5; i++) await p.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from(`v${i}`) }] }));
    await p.deleteRecordsBefore(3n);
    await expect(p.read(1n, 1 << 20)).rejects.toMatchObject({ errorCode: 1 });
    expect((await p.read(3n, 1 << 20)).readBigInt64BE(0)).toBe(3n);
  });
});
