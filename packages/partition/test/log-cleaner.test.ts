// The log cleaner as a topic sees it, on real temp dirs with an injected clock: delete.retention.ms,
// min/max.compaction.lag.ms and min.cleanable.dirty.ratio from the topic's configs reach compaction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import type { Partition } from '../src/partition';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock({ wallMs: 1_000_000 });
  dir = await mkdtemp(join(tmpdir(), 'mq-cleaner-test-'));
  tm = await TopicManager.open({ dataDir: dir, clock });
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

/** One keyed record (null value = tombstone), stamped with the injected clock. */
async function put(p: Partition, key: string, value: string | null): Promise<void> {
  const v = value === null ? null : Buffer.from(`${value}-${'x'.repeat(60)}`);
  await p.append(await buildRecordBatch({ records: [{ key: Buffer.from(key), value: v, timestamp: BigInt(clock.now()) }] }));
}

/** Every record a consumer reading from the log start would see, as key=value. */
async function keysOf(p: Partition): Promise<string[]> {
  const out: string[] = [];
  let offset = p.logStartOffset;
  while (offset < p.highWatermark) {
    const { batches } = splitBatches(await p.read(offset, 1 << 22));
    if (batches.length === 0) break;
    for (const { batch } of batches) {
      const { header, records } = await decodeRecordBatch(batch);
      for (const r of records) {
        if (r.offset >= offset) out.push(`${r.key?.toString()}=${r.value === null ? 'null' : r.value.toString().split('-')[0]}`);
      }
      offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

describe('delete.retention.ms', () => {
  it('drops a tombstone once it is older than the topic’s delete.retention.ms', async () => {
    await tm.createTopic('tomb', 1, { 'cleanup.policy': 'compact', 'segment.bytes': '200', 'delete.retention.ms': '1000' });
    const p = tm.partition('tomb', 0);
    await put(p, 'a', '1');
    await put(p, 'a', null);
    for (let i = 0; i < 4; i++) await put(p, `k${i}`, 'v');
    clock.advance(5000); // the tombstone is 5 s old: past 1 s, far inside Kafka's 24 h default
    await tm.runCleaner();
    const keys = await keysOf(p);
    expect(keys.filter((k) => k.startsWith('a='))).toEqual([]);
    expect(keys).toContain('k0=v');
  });
});

describe('the cleaner on topic configs', () => {
  async function compactedTopic(name: string, configs: Record<string, string>): Promise<Partition> {
    await tm.createTopic(name, 1, { 'cleanup.policy': 'compact', 'segment.bytes': '200', ...configs });
    return tm.partition(name, 0);
  }

  it('the retention pass no longer compacts; the cleaner pass does', async () => {
    const p = await compactedTopic('split', {});
    for (let i = 0; i < 8; i++) await put(p, 'a', `v${i}`);
    await tm.runMaintenance();
    expect((await keysOf(p)).length).toBe(8);
    await tm.runCleaner();
    expect((await keysOf(p)).length).toBeLessThan(8);
  });

  it('min.compaction.lag.ms holds young records back until they are old enough', async () => {
    const p = await compactedTopic('minlag', { 'min.compaction.lag.ms': '60000' });
    for (let i = 0; i < 8; i++) await put(p, 'a', `v${i}`);
    await tm.runCleaner();
    expect((await keysOf(p)).length).toBe(8);
    clock.advance(60_001);
    await tm.runCleaner();
    expect((await keysOf(p)).length).toBeLessThan(8);
    expect((await keysOf(p)).at(-1)).toBe('a=v7');
  });

  it('min.cleanable.dirty.ratio and max.compaction.lag.ms decide when a pass runs', async () => {
    const p = await compactedTopic('ratio', { 'min.cleanable.dirty.ratio': '0.9', 'max.compaction.lag.ms': '600000' });
    for (let i = 0; i < 12; i++) await put(p, `k${i}`, 'v');
    await tm.runCleaner(); // first pass after open: everything is dirty
    for (let i = 0; i < 4; i++) await put(p, 'k0', `u${i}`);
    await tm.runCleaner();
    const before = await keysOf(p);
    expect(before.filter((k) => k.startsWith('k0=')).length).toBeGreaterThan(2); // below 0.9: skipped
    clock.advance(600_001);
    await tm.runCleaner();
    expect((await keysOf(p)).filter((k) => k.startsWith('k0=')).length).toBeLessThan(before.filter((k) => k.startsWith('k0=')).length);
  });

  it('startCleaner runs on its own cadence, not on the retention interval', async () => {
    const p = await compactedTopic('cadence', {});
    for (let i = 0; i < 8; i++) await put(p, 'a', `v${i}`);
    tm.startMaintenance(3_600_000);
    tm.startCleaner(20);
    clock.advance(19);
    expect((await keysOf(p)).length).toBe(8);
    clock.advance(1);
    await expect.poll(async () => (await keysOf(p)).length, { timeout: 10_000, interval: 20 }).toBeLessThan(8);
  });

  it('startMaintenance applies retention when its interval passes on the clock, not before', async () => {
    await tm.createTopic('expiring', 1, { 'segment.bytes': '200', 'retention.ms': '1000' });
    const p = tm.partition('expiring', 0);
    for (let i = 0; i < 6; i++) await put(p, `k${i}`, 'v');
    tm.startMaintenance(60_000);
    clock.advance(59_999); // every record is now far past retention.ms, but no pass has run
    await new Promise((r) => setImmediate(r));
    expect(p.logStartOffset).toBe(0n);
    clock.advance(1);
    await expect.poll(() => p.logStartOffset, { timeout: 10_000 }).toBeGreaterThan(0n);
  });
});

describe('conflicting compaction lags', () => {
  it('a stored topic that conflicts with new broker defaults stops the start with an error naming the topic', async () => {
    await tm.createTopic('lagged', 1, { 'min.compaction.lag.ms': '60000' });
    await tm.close();
    await expect(TopicManager.open({ dataDir: dir, defaults: { 'max.compaction.lag.ms': '1000' } })).rejects.toMatchObject({
      errorCode: 40,
      message: expect.stringMatching(/^topic lagged: .*min\.compaction\.lag\.ms \(60000\) > max\.compaction\.lag\.ms \(1000\)/),
    });
    tm = await TopicManager.open({ dataDir: dir, clock });
    expect(tm.get('lagged')!.config.minCompactionLagMs).toBe(60_000);
  });
});
