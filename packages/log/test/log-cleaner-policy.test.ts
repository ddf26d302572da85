// When the cleaner compacts and when the active segment rolls, on real files with a fake clock:
// min.cleanable.dirty.ratio gates a pass, max.compaction.lag.ms forces one (and rolls the active
// segment of a compacted log), min.compaction.lag.ms holds young records back, segment.jitter.ms
// and segment.index.bytes move the roll point.
import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

async function put(log: Log, clock: FakeClock, key: string, value = 'v'): Promise<void> {
  const v = Buffer.from(`${value}-${'x'.repeat(40)}`);
  await log.append(await buildRecordBatch({ records: [{ key: Buffer.from(key), value: v, timestamp: BigInt(clock.ms) }] }));
}

/** How many records of `key` sit in sealed segments (a compacted range holds at most one). */
async function sealedCopies(log: Log, key: string): Promise<number> {
  const active = log.segmentBaseOffsets.at(-1)!;
  return (await readAll(log)).filter((r) => r.offset < active && r.key?.toString() === key).length;
}

describe('min.cleanable.dirty.ratio', () => {
  it('skips a pass while the dirty share is at or below the ratio and cleans once it is above', async () => {
    const clock = new FakeClock(1_000_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', minCleanableDirtyRatio: 0.5, clock });
    // 16 distinct keys: the first pass removes nothing, and leaves a large clean range.
    for (let i = 0; i < 16; i++) await put(log, clock, `k${i}`);
    expect((await log.compact()).segmentsCleaned).toBeGreaterThan(0);
    const cleanBytes = log.size;
    // A few updates of one key seal a little dirty data: well under half of the cleanable bytes.
    for (let i = 0; i < 6; i++) await put(log, clock, 'k0', `u${i}`);
    expect((await log.compact()).segmentsCleaned).toBe(0);
    expect(await sealedCopies(log, 'k0')).toBeGreaterThan(1);
    // Enough updates that dirty bytes outweigh the clean ones: the next pass runs.
    while (log.size - cleanBytes <= cleanBytes * 1.2) await put(log, clock, 'k0', 'w');
    await put(log, clock, 'k1', 'last');
    const stats = await log.compact();
    expect(stats.recordsRemoved).toBeGreaterThan(0);
    expect(await sealedCopies(log, 'k0')).toBe(1);
    await log.close();
  });

  it('ratio 0 cleans whenever anything was sealed since the last pass', async () => {
    const clock = new FakeClock(1_000_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', minCleanableDirtyRatio: 0, clock });
    for (let i = 0; i < 16; i++) await put(log, clock, `k${i}`);
    await log.compact();
    for (let i = 0; i < 6; i++) await put(log, clock, 'k0', `u${i}`);
    expect((await log.compact()).recordsRemoved).toBeGreaterThan(0);
    await log.close();
  });
});

describe('max.compaction.lag.ms', () => {
  it('forces a pass below the dirty ratio once a dirty segment’s first batch is older than the lag', async () => {
    const clock = new FakeClock(1_000_000);
    const log = await Log.open(await tempDir(), {
      segmentBytes: 300,
      cleanupPolicy: 'compact',
      minCleanableDirtyRatio: 0.9,
      maxCompactionLagMs: 60_000,
      clock,
    });
    for (let i = 0; i < 16; i++) await put(log, clock, `k${i}`);
    await log.compact();
    for (let i = 0; i < 6; i++) await put(log, clock, 'k0', `u${i}`);
    clock.advance(59_000);
    expect((await log.compact()).segmentsCleaned).toBe(0); // dirty share far below 0.9, lag not reached
    clock.advance(2_000);
    expect((await log.compact()).recordsRemoved).toBeGreaterThan(0);
    expect(await sealedCopies(log, 'k0')).toBe(1);
    await log.close();
  });

  it('rolls the active segment of a compacted log by the lag so its records become cleanable', async () => {
    const clock = new FakeClock(1_000_000);
    const cfg = { cleanupPolicy: 'compact' as const, segmentMs: 7 * 24 * 3600_000, maxCompactionLagMs: 10_000, clock };
    const log = await Log.open(await tempDir(), cfg);
    await put(log, clock, 'a');
    clock.advance(10_001);
    await put(log, clock, 'a');
    expect(log.segmentCount).toBe(2);
    // A delete-only log ignores the compaction lag.
    const plain = await Log.open(await tempDir(), { ...cfg, cleanupPolicy: 'delete' });
    await put(plain, clock, 'a');
    clock.advance(10_001);
    await put(plain, clock, 'a');
    expect(plain.segmentCount).toBe(1);
    await log.close();
    await plain.close();
  });
});

describe('min.compaction.lag.ms', () => {
  it('leaves records younger than the lag uncompacted', async () => {
    const clock = new FakeClock(1_000_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', minCompactionLagMs: 30_000, clock });
    for (let i = 0; i < 10; i++) await put(log, clock, 'a', `v${i}`);
    expect((await log.compact()).segmentsCleaned).toBe(0);
    expect(await sealedCopies(log, 'a')).toBeGreaterThan(1);
    clock.advance(30_001);
    expect((await log.compact()).recordsRemoved).toBeGreaterThan(0);
    expect(await sealedCopies(log, 'a')).toBe(1);
    await log.close();
  });
});

describe('segment.jitter.ms', () => {
  it('takes the drawn jitter off segment.ms', async () => {
    const clock = new FakeClock(1_000_000);
    // random() = 0.5 → jitter = 0.5 × min(4000, 10000) = 2000: the segment rolls after 8000 ms.
    const log = await Log.open(await tempDir(), { segmentMs: 10_000, segmentJitterMs: 4_000, random: () => 0.5, clock });
    await put(log, clock, 'a');
    clock.advance(7_999);
    await put(log, clock, 'a');
    expect(log.segmentCount).toBe(1);
    clock.advance(2);
    await put(log, clock, 'a');
    expect(log.segmentCount).toBe(2);
    await log.close();
  });
});

describe('segment.index.bytes', () => {
  it('rolls when the active segment’s index would outgrow it', async () => {
    const clock = new FakeClock(1_000_000);
    // 24 bytes: three offset-index entries, two time-index entries; an entry per batch (interval 0).
    const log = await Log.open(await tempDir(), { segmentIndexBytes: 24, indexIntervalBytes: 0, clock });
    for (let i = 0; i < 12; i++) {
      clock.advance(1);
      await put(log, clock, `k${i}`);
    }
    expect(log.segmentCount).toBeGreaterThan(3);
    expect((await readAll(log)).map((r) => r.key!.toString())).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`));
    await log.close();
  });
});
