// TopicManager and Partition on real temp dirs: create / reload / delete / grow / reconfigure,
// append + read under the high watermark, change notifications, idempotent state after restart.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/records';
import {
  InvalidConfigError,
  InvalidPartitionsError,
  InvalidTopicError,
  OutOfOrderSequenceNumberError,
  TopicAlreadyExistsError,
  UnknownTopicOrPartitionError,
} from '@mq/errors';
import { ProducerIdManager } from '../src/producer-id-manager';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-partition-test-'));
  tm = await TopicManager.open({ dataDir: dir });
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

function batch(values: string[], opts: { producerId?: bigint; producerEpoch?: number; baseSequence?: number; timestamp?: bigint } = {}) {
  return buildRecordBatch({
    records: values.map((v) => ({ key: null, value: Buffer.from(v), ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}) })),
    ...opts,
  });
}

async function readValues(buf: Buffer): Promise<string[]> {
  const out: string[] = [];
  for (const { batch: b } of splitBatches(buf).batches) for (const r of (await decodeRecordBatch(b)).records) out.push(r.value!.toString());
  return out;
}

describe('TopicManager', () => {
  it('creates topics, persists them atomically and reloads them with the same ids', async () => {
    const t = (await tm.createTopic('orders', 3, { 'retention.ms': '1000' }))!;
    expect(t.partitions).toHaveLength(3);
    expect(t.topicId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    await tm.partition('orders', 1).append(await batch(['x']));
    const meta = JSON.parse(await readFile(join(dir, 'meta', 'topics.json'), 'utf8'));
    expect(meta.topics[0]).toMatchObject({ name: 'orders', partitions: 3, configs: { 'retention.ms': '1000' } });
    await tm.close();
    tm = await TopicManager.open({ dataDir: dir });
    const again = tm.get('orders')!;
    expect(again.topicId).toBe(t.topicId);
    expect(again.config.retentionMs).toBe(1000);
    expect(tm.partition('orders', 1).highWatermark).toBe(1n);
    expect(tm.getById(t.topicId)).toBe(again);
  });

  it('rejects bad names, duplicates, collisions, partition counts and configs', async () => {
    await tm.createTopic('a.b', 1);
    await expect(tm.createTopic('a.b', 1)).rejects.toBeInstanceOf(TopicAlreadyExistsError);
    await expect(tm.createTopic('a_b', 1)).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(tm.createTopic('..', 1)).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(tm.createTopic('zero', 0)).rejects.toBeInstanceOf(InvalidPartitionsError);
    await expect(tm.createTopic('cfg', 1, { 'retention.ms': 'x' })).rejects.toBeInstanceOf(InvalidConfigError);
    expect(await tm.createTopic('dry', 2, {}, true)).toBeUndefined();
    expect(tm.get('dry')).toBeUndefined();
  });

  it('deletes topics and their data, grows partitions, alters configs', async () => {
    await tm.createTopic('gone', 1);
    await tm.partition('gone', 0).append(await batch(['x']));
    await tm.deleteTopic('gone');
    expect(tm.get('gone')).toBeUndefined();
    await expect(tm.deleteTopic('gone')).rejects.toBeInstanceOf(UnknownTopicOrPartitionError);
    const re = (await tm.createTopic('gone', 1))!;
    expect(re.partitions[0]!.logEndOffset).toBe(0n);

    await tm.createTopic('grow', 1);
    await expect(tm.createPartitions('grow', 1)).rejects.toBeInstanceOf(InvalidPartitionsError);
    await tm.createPartitions('grow', 4);
    expect(tm.get('grow')!.partitions.map((p) => p.index)).toEqual([0, 1, 2, 3]);

    await tm.alterConfigs('grow', { ops: [{ name: 'message.timestamp.type', op: 'set', value: 'LogAppendTime' }] });
    expect(tm.get('grow')!.config.messageTimestampType).toBe('LogAppendTime');
    await tm.alterConfigs('grow', { ops: [{ name: 'cleanup.policy', op: 'append', value: 'compact' }] });
    expect(tm.get('grow')!.overrides['cleanup.policy']).toBe('delete,compact');
    await tm.alterConfigs('grow', { replace: {} });
    expect(tm.get('grow')!.overrides).toEqual({});
    await expect(tm.alterConfigs('grow', { replace: { 'segment.bytes': '1' } })).rejects.toBeInstanceOf(InvalidConfigError);
  });
});

describe('Partition', () => {
  it('appends in order, reads whole batches, notifies the change listener', async () => {
    await tm.createTopic('p', 1);
    const changed: bigint[] = [];
    tm.setChangeListener((p) => changed.push(p.highWatermark));
    const observed: bigint[] = [];
    const unobserve = tm.onPartitionChange((p) => observed.push(p.highWatermark));
    const p = tm.partition('p', 0);
    const results = await Promise.all([p.append(await batch(['a', 'b'])), p.append(await batch(['c']))]);
    expect(results.map((r) => r.baseOffset)).toEqual([0n, 2n]);
    expect(changed).toEqual([2n, 3n]);
    expect(observed).toEqual([2n, 3n]); // observers beside the one listener see the same changes
    unobserve();
    expect(await readValues(await p.read(0n, 1 << 20))).toEqual(['a', 'b', 'c']);
    expect(await readValues(await p.read(2n, 1 << 20))).toEqual(['c']);
    expect((await p.read(3n, 1 << 20)).length).toBe(0);
    await expect(p.read(4n, 100)).rejects.toMatchObject({ errorCode: 1 });
  });

  it('stamps LogAppendTime when the topic asks for it', async () => {
    await tm.createTopic('lat', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const p = tm.partition('lat', 0);
    const r = await p.append(await batch(['a'], { timestamp: 5n }));
    expect(r.logAppendTime).toBeGreaterThan(1_600_000_000_000n);
    const [first] = splitBatches(await p.read(0n, 1 << 20)).batches;
    const decoded = await decodeRecordBatch(first!.batch);
    expect(decoded.records[0]!.timestamp).toBe(r.logAppendTime);
  });

  it('finds offsets by timestamp and the max timestamp', async () => {
    await tm.createTopic('ts', 1);
    const p = tm.partition('ts', 0);
    await p.append(await batch(['a'], { timestamp: 100n }));
    await p.append(await batch(['b'], { timestamp: 300n }));
    await p.append(await batch(['c'], { timestamp: 200n }));
    expect(await p.offsetForTimestamp(150n)).toMatchObject({ offset: 1n });
    expect(await p.offsetForTimestamp(1000n)).toBeUndefined();
    expect(await p.maxTimestamp()).toEqual({ offset: 1n, timestamp: 300n });
  });

  it('deduplicates idempotent retries across a restart (state rebuilt from the log)', async () => {
    await tm.createTopic('idem', 1);
    const b0 = await batch(['a', 'b'], { producerId: 9n, producerEpoch: 0, baseSequence: 0 });
    const b1 = await batch(['c'], { producerId: 9n, producerEpoch: 0, baseSequence: 2 });
    await tm.partition('idem', 0).append(Buffer.from(b0));
    await tm.partition('idem', 0).append(Buffer.from(b1));
    await tm.close();
    tm = await TopicManager.open({ dataDir: dir });
    const p = tm.partition('idem', 0);
    const retry = await p.append(Buffer.from(b0));
    expect(retry).toMatchObject({ duplicate: true, baseOffset: 0n, lastOffset: 1n });
    await expect(p.append(await batch(['z'], { producerId: 9n, producerEpoch: 0, baseSequence: 7 }))).rejects.toBeInstanceOf(
      OutOfOrderSequenceNumberError,
    );
    expect(p.highWatermark).toBe(3n);
  });

  it('rebuilds producer state without a snapshot, and ignores one that claims more than the log holds', async () => {
    await tm.createTopic('snap', 1);
    const b0 = await batch(['a'], { producerId: 4n, producerEpoch: 0, baseSequence: 0 });
    await tm.partition('snap', 0).append(Buffer.from(b0));
    await tm.close();
    const snapFile = join(dir, 'snap-0', 'producer-state.snapshot');
    expect(JSON.parse(await readFile(snapFile, 'utf8'))).toMatchObject({ offset: '1', producers: [{ producerId: '4' }] });
    // A snapshot from a longer log (tail lost in a crash) must not be trusted.
    await writeFile(snapFile, JSON.stringify({ version: 1, offset: '99', producers: [{ producerId: '8', producerEpoch: 0, batches: [{ firstSeq: 0, lastSeq: 0, baseOffset: '50', lastOffset: '50', timestamp: '0' }] }], maxTimestamp: null }));
    tm = await TopicManager.open({ dataDir: dir });
    let p = tm.partition('snap', 0);
    expect(await p.append(Buffer.from(b0))).toMatchObject({ duplicate: true, baseOffset: 0n });
    expect(await p.append(await batch(['fresh'], { producerId: 8n, producerEpoch: 0, baseSequence: 0 }))).toMatchObject({ duplicate: false, baseOffset: 1n });
    await tm.close();
    await rm(snapFile);
    tm = await TopicManager.open({ dataDir: dir });
    p = tm.partition('snap', 0);
    expect(await p.append(Buffer.from(b0))).toMatchObject({ duplicate: true, baseOffset: 0n });
  });

  it('deletes records before an offset', async () => {
    await tm.createTopic('dr', 1);
    const p = tm.partition('dr', 0);
    for (const v of ['a', 'b', 'c']) await p.append(await batch([v]));
    expect(await p.deleteRecordsBefore(2n)).toBe(2n);
    expect(p.logStartOffset).toBe(2n);
    await expect(p.read(0n, 100)).rejects.toMatchObject({ errorCode: 1 });
    await expect(p.deleteRecordsBefore(10n)).rejects.toMatchObject({ errorCode: 1 });
  });
});

describe('config changes on a live partition', () => {
  it('reopens the log for a flush policy change and keeps serving appends and reads', async () => {
    await tm.createTopic('live', 1);
    const p = tm.partition('live', 0);
    await p.append(await batch(['before']));
    const altering = tm.alterConfigs('live', { ops: [{ name: 'flush.messages', op: 'set', value: '1000' }] });
    const during = p.append(await batch(['during']));
    await altering;
    await during;
    await p.append(await batch(['after']));
    expect(p.topicConfig.flushMessages).toBe(1000);
    expect(await readValues(await p.read(0n, 1 << 20))).toEqual(['before', 'during', 'after']);
  });
});

describe('maintenance', () => {
  it('applies retention.bytes on the broker-wide pass and tells the listener', async () => {
    await tm.createTopic('ret', 1, { 'segment.bytes': '200', 'retention.bytes': '300' });
    const p = tm.partition('ret', 0);
    for (let i = 0; i < 10; i++) await p.append(await batch([`value-${i}-${'x'.repeat(60)}`]));
    const moved: bigint[] = [];
    tm.setChangeListener((q) => moved.push(q.logStartOffset));
    await tm.runMaintenance();
    expect(p.logStartOffset).toBeGreaterThan(0n);
    expect(moved).toEqual([p.logStartOffset]);
    expect(p.highWatermark).toBe(10n);
  });

  it('compacts topics with cleanup.policy=compact', async () => {
    await tm.createTopic('cmp', 1, { 'segment.bytes': '200', 'cleanup.policy': 'compact' });
    const p = tm.partition('cmp', 0);
    for (let i = 0; i < 12; i++) {
      await p.append(await buildRecordBatch({ records: [{ key: Buffer.from(`k${i % 2}`), value: Buffer.from(`v${i}-${'y'.repeat(60)}`) }] }));
    }
    await tm.runCleaner();
    const kept = splitBatches(await p.read(p.logStartOffset, 1 << 20)).batches.length;
    expect(kept).toBeLessThan(12);
    expect(p.highWatermark).toBe(12n);
  });
});

describe('ProducerIdManager', () => {
  it('never reissues an id after reopening', async () => {
    const a = await ProducerIdManager.open(dir);
    const first = [await a.nextProducerId(), await a.nextProducerId()];
    expect(first).toEqual([0n, 1n]);
    const b = await ProducerIdManager.open(dir);
    expect(await b.nextProducerId()).toBeGreaterThan(1n);
  });
});
