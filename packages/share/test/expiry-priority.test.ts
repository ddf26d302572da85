// Expiry and priority lanes through the ShareCoordinator on a real TopicManager: records past
// mq-ttl-ms / mq.message.ttl.ms are never acquired (archived, or dead-lettered with reason
// expired), and a share fetch hands out lane 0 before the background lane within the look-ahead
// window, which bounds how far past the start offset it scans.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { type RecordInput, buildRecordBatch, decodeRecordBatch, iterateBatches } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcknowledgeType as A } from '../src/record-state';
import { ShareCoordinator } from '../src/share-coordinator';

let dir: string;
let clock: ManualClock;
let topics: TopicManager;

async function openAll(): Promise<ShareCoordinator> {
  topics = await TopicManager.open({ dataDir: dir, clock });
  return ShareCoordinator.open({ topicManager: topics, clock, config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 1 } });
}

const rec = (value: string, headers: Record<string, string> = {}, timestamp?: bigint): RecordInput => ({
  key: null,
  value: Buffer.from(value),
  headers: Object.entries(headers).map(([key, v]) => ({ key, value: Buffer.from(v) })),
  ...(timestamp === undefined ? {} : { timestamp }),
});

async function produce(topic: string, records: RecordInput[]): Promise<void> {
  for (const r of records) await topics.partition(topic, 0).append(await buildRecordBatch({ records: [r], now: () => clock.now() }));
}

const offsetsOf = (acquired: { firstOffset: bigint; lastOffset: bigint }[]): number[] =>
  acquired.flatMap((a) => Array.from({ length: Number(a.lastOffset - a.firstOffset + 1n) }, (_, i) => Number(a.firstOffset) + i));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-share-ttl-'));
  clock = new ManualClock({ wallMs: 1_000_000 });
});
afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('expiry', () => {
  it('never hands out a record past its mq-ttl-ms or the topic’s mq.message.ttl.ms; dead-letters it with reason expired', async () => {
    const share = await openAll();
    await topics.createTopic('ttl', 1, { 'mq.message.ttl.ms': '10000' });
    const now = BigInt(clock.now());
    await produce('ttl', [
      rec('old', {}, now - 20_000n), // past the topic's 10 s
      rec('short', { 'mq-ttl-ms': '500' }, now - 1000n), // its own header: expired
      rec('long', { 'mq-ttl-ms': '60000' }, now - 20_000n), // the header wins over the topic's TTL
      rec('fresh', {}, now),
      rec('bad-header', { 'mq-ttl-ms': 'soon' }, now), // ignored: the topic's TTL applies
    ]);
    const got = await share.acquire('g', 'w', 'ttl', 0, 10);
    expect(offsetsOf(got.acquired)).toEqual([2, 3, 4]);
    const dlq = topics.partition('ttl.dlq', 0);
    const letters = [];
    for (const s of iterateBatches(await dlq.read(0n, 1 << 20, dlq.highWatermark, true), false)) letters.push(...(await decodeRecordBatch(s.batch)).records);
    expect(letters.map((r) => [r.value?.toString(), r.headers.find((h) => h.key === 'mq-dlq-reason')?.value?.toString()])).toEqual([
      ['old', 'expired'],
      ['short', 'expired'],
    ]);
    // Released, then expired while available: archived at the next fetch, not delivered again.
    expect(await share.acknowledge('g', 'w', 'ttl', 0, [{ firstOffset: 3n, lastOffset: 3n, acknowledgeTypes: [A.RELEASE] }])).toBe(0);
    clock.advance(10_001);
    expect((await share.acquire('g', 'w2', 'ttl', 0, 10)).acquired).toEqual([]);
    await share.close();
  });

  it('archives expired records without a dead letter when mq.dlq.enable=false', async () => {
    const share = await openAll();
    await topics.createTopic('ttl-off', 1, { 'mq.message.ttl.ms': '1', 'mq.dlq.enable': 'false' });
    await produce('ttl-off', [rec('a', {}, BigInt(clock.now()) - 5n)]);
    expect((await share.acquire('g', 'w', 'ttl-off', 0, 10)).acquired).toEqual([]);
    expect(share.sharePartitionOf('g', topics.get('ttl-off')!.topicId, 0)!.startOffset).toBe(1n);
    expect(topics.get('ttl-off.dlq')).toBeUndefined();
    await share.close();
  });
});

describe('priority lanes', () => {
  it('hands out lane 0 before lane 4 and in offset order within a lane; plain offset order without priority headers', async () => {
    const share = await openAll();
    await topics.createTopic('prio', 1, { 'mq.priority.strict': 'true' });
    await produce('prio', [
      ...Array.from({ length: 5 }, (_, i) => rec(`bg${i}`, { 'mq-priority': '4' })),
      rec('urgent0', { 'mq-priority': '0' }),
      rec('urgent1', { 'mq-priority': '0' }),
    ]);
    // Lane 0 (offsets 5, 6) before the older lane-4 records, which then come in offset order.
    expect(offsetsOf((await share.acquire('g', 'w', 'prio', 0, 2)).acquired)).toEqual([5, 6]);
    expect(offsetsOf((await share.acquire('g', 'w', 'prio', 0, 3)).acquired)).toEqual([0, 1, 2]);
    await topics.createTopic('plain', 1);
    await produce('plain', [rec('a'), rec('b'), rec('c')]);
    expect(offsetsOf((await share.acquire('g', 'w', 'plain', 0, 2)).acquired)).toEqual([0, 1]);
    await share.close();
  });

  it('looks ahead no further than mq.priority.window.records past the start offset', async () => {
    const share = await openAll();
    await topics.createTopic('window', 1, { 'mq.priority.strict': 'true', 'mq.priority.window.records': '4' });
    await produce('window', [
      rec('p0', { 'mq-priority': '0' }), // makes the share-partition prioritised
      ...Array.from({ length: 5 }, (_, i) => rec(`bg${i}`, { 'mq-priority': '4' })),
      rec('urgent', { 'mq-priority': '0' }), // offset 6: outside the window [0, 4)
    ]);
    const topicId = topics.get('window')!.topicId;
    expect(offsetsOf((await share.acquire('g', 'w', 'window', 0, 1)).acquired)).toEqual([0]);
    // Window [0, 4): offset 6 is not seen yet, so lane 4 is served.
    expect(offsetsOf((await share.acquire('g', 'w', 'window', 0, 1)).acquired)).toEqual([1]);
    expect(share.sharePartitionOf('g', topicId, 0)!.endOffset).toBeLessThanOrEqual(4n);
    await share.acknowledge('g', 'w', 'window', 0, [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }]);
    // The start moved to 2: the window [2, 6) still misses offset 6 …
    expect(offsetsOf((await share.acquire('g', 'w', 'window', 0, 1)).acquired)).toEqual([2]);
    await share.acknowledge('g', 'w', 'window', 0, [{ firstOffset: 2n, lastOffset: 2n, acknowledgeTypes: [A.ACCEPT] }]);
    // … [3, 7) sees it, and lane 0 goes first.
    expect(offsetsOf((await share.acquire('g', 'w', 'window', 0, 1)).acquired)).toEqual([6]);
    await share.close();
  });
});
