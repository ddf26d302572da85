// The log cleaner as a topic sees it, on real temp dirs with an injected clock: delete.retention.ms,
// min/max.compaction.lag.ms and min.cleanable.dirty.ratio from the topic's configs reach compaction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/log';
import type { Partition } from '../src/partition';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager;
let now = 1_000_000;

beforeEach(async () => {
  now = 1_000_000;
  dir = await mkdtemp(join(tmpdir(), 'mq-cleaner-test-'));
  tm = await TopicManager.open({ dataDir: dir, now: () => now });
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

/** One keyed record (null value = tombstone), stamped with the injected clock. */
async function put(p: Partition, key: string, value: string | null): Promise<void> {
  const v = value === null ? null : Buffer.from(`${value}-${'x'.repeat(60)}`);
  await p.append(await buildRecordBatch({ records: [{ key: Buffer.from(key), value: v, timestamp: BigInt(now) }] }));
}

async function keysOf(p: Partition): Promise<string[]> {
  const out: string[] = [];
  for (const { batch: b } of splitBatches(await p.read(p.logStartOffset, 1 << 22)).batches) {
    for (const r of (await decodeRecordBatch(b)).records) out.push(`${r.key?.toString()}=${r.value === null ? 'null' : r.value.toString().split('-')[0]}`);
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
    now += 5000; // the tombstone is 5 s old: past 1 s, far inside Kafka's 24 h default
    await tm.runMaintenance();
    const keys = await keysOf(p);
    expect(keys.filter((k) => k.startsWith('a='))).toEqual([]);
    expect(keys).toContain('k0=v');
  });
});
