// meta/topics.json is not the only record: on real temp dirs, a deleted, corrupt or stale topics
// file is rebuilt from the partition directories (partition.metadata), with a WARN naming the file,
// and nothing stored is lost; a delete cut short is not brought back.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { PARTITION_METADATA_FILE } from '../src/partition-metadata';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager | undefined;
let warnings: { obj: Record<string, unknown>; msg: string | undefined }[];
const logger = {
  info() {},
  error() {},
  warn(obj: object, msg?: string) {
    warnings.push({ obj: obj as Record<string, unknown>, msg });
  },
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-topic-recovery-'));
  warnings = [];
});
afterEach(async () => {
  await tm?.close();
  tm = undefined;
  await rm(dir, { recursive: true, force: true });
});

const topicsFile = () => join(dir, 'meta', 'topics.json');
const open = async () => (tm = await TopicManager.open({ dataDir: dir, logger }));
const reopen = async () => {
  await tm?.close();
  return open();
};

/** Two topics with data and config overrides; returns their ids. */
async function populate(): Promise<{ orders: string; audit: string }> {
  const m = await open();
  const orders = (await m.createTopic('orders', 3, { 'retention.ms': '86400000' }))!;
  const audit = (await m.createTopic('audit.log', 1, { 'cleanup.policy': 'compact', 'segment.bytes': '1048576' }))!;
  for (let i = 0; i < 3; i++) {
    await m.partition('orders', i).append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from(`o${i}`) }, { key: null, value: Buffer.from('x') }] }));
  }
  await m.partition('audit.log', 0).append(await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] }));
  return { orders: orders.topicId, audit: audit.topicId };
}

function expectRecovered(m: TopicManager, ids: { orders: string; audit: string }): void {
  expect(m.list().map((t) => t.name).sort()).toEqual(['audit.log', 'orders']);
  const orders = m.get('orders')!;
  expect(orders.topicId).toBe(ids.orders);
  expect(orders.partitions).toHaveLength(3);
  expect(orders.overrides).toEqual({ 'retention.ms': '86400000' });
  expect(orders.partitions.map((p) => p.highWatermark)).toEqual([2n, 2n, 2n]);
  const audit = m.get('audit.log')!;
  expect(audit.topicId).toBe(ids.audit);
  expect(audit.config.cleanupPolicy).toEqual(['compact']);
  expect(audit.overrides).toEqual({ 'cleanup.policy': 'compact', 'segment.bytes': '1048576' });
  expect(audit.partitions[0]!.highWatermark).toBe(1n);
  expect(m.getById(ids.orders)).toBe(orders);
}

describe('topic list recovery', () => {
  it('writes partition.metadata in Kafka format (version, topic_id) in every partition dir', async () => {
    const ids = await populate();
    const text = await readFile(join(dir, 'orders-2', PARTITION_METADATA_FILE), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['version: 0', `topic_id: ${ids.orders}`]);
  });

  it('rebuilds a deleted topics.json from the partition directories: ids, configs and data back', async () => {
    const ids = await populate();
    await tm!.close();
    tm = undefined;
    await unlink(topicsFile());
    expectRecovered(await open(), ids);
    expect(warnings.some((w) => w.obj.path === topicsFile() && w.msg?.includes('missing'))).toBe(true);
    // Healed on disk: the next start needs no recovery.
    expect(JSON.parse(await readFile(topicsFile(), 'utf8')).topics).toHaveLength(2);
    warnings = [];
    expectRecovered(await reopen(), ids);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version": 2, "topics": [{"name": "orders"'],
    ['a malformed entry', '{"version": 2, "topics": [{"name": "orders", "partitions": "three"}]}'],
    ['an unknown version', '{"version": 7, "topics": []}'],
    ['empty', ''],
  ])('recovers from a topics.json that is %s, with a WARN naming the file, and keeps the bad file aside', async (_what, text) => {
    const ids = await populate();
    await tm!.close();
    tm = undefined;
    await writeFile(topicsFile(), text);
    expectRecovered(await open(), ids);
    const warn = warnings.find((w) => w.msg?.includes('unreadable'));
    expect(warn?.obj.path).toBe(topicsFile());
    expect(String(warn?.obj.err)).toContain(topicsFile());
    const aside = (await readdir(join(dir, 'meta'))).filter((f) => f.startsWith('topics.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, 'meta', aside[0]!), 'utf8')).toBe(text);
  });

  it('adds back partitions on disk beyond a stale count, but not a deleted topic', async () => {
    const ids = await populate();
    await tm!.close();
    tm = undefined;
    const file = JSON.parse(await readFile(topicsFile(), 'utf8'));
    // A topics.json from before CreatePartitions grew orders to 3, and one that still lists nothing else.
    file.topics = file.topics.map((t: { name: string }) => (t.name === 'orders' ? { ...t, partitions: 1 } : t));
    await writeFile(topicsFile(), JSON.stringify(file));
    const m = await open();
    expect(m.get('orders')!.partitions.map((p) => p.highWatermark)).toEqual([2n, 2n, 2n]);
    expect(m.get('orders')!.topicId).toBe(ids.orders);
    expect(warnings.some((w) => w.msg?.includes('beyond the topics file'))).toBe(true);

    await m.deleteTopic('audit.log');
    // A delete cut short after topics.json was written: the directory is still there.
    await mkdir(join(dir, 'audit.log-0'), { recursive: true });
    await writeFile(join(dir, 'audit.log-0', '00000000000000000000.log'), '');
    warnings = [];
    const again = await reopen();
    expect(again.get('audit.log')).toBeUndefined();
    expect(warnings.some((w) => w.msg?.includes('interrupted delete'))).toBe(true);
  });

  it('upgrades a version-1 topics.json by writing partition.metadata, and recovers dirs made before it existed', async () => {
    await populate();
    await tm!.close();
    tm = undefined;
    for (const d of ['orders-0', 'orders-1', 'orders-2', 'audit.log-0']) await unlink(join(dir, d, PARTITION_METADATA_FILE));
    const file = JSON.parse(await readFile(topicsFile(), 'utf8'));
    await writeFile(topicsFile(), JSON.stringify({ ...file, version: 1 }));
    await open();
    expect(existsSync(join(dir, 'orders-1', PARTITION_METADATA_FILE))).toBe(true);
    expect(JSON.parse(await readFile(topicsFile(), 'utf8')).version).toBe(2);

    // Old dirs with no partition.metadata and no topics.json: recovered from their segments, new id.
    await tm!.close();
    tm = undefined;
    for (const d of ['orders-0', 'orders-1', 'orders-2', 'audit.log-0']) await unlink(join(dir, d, PARTITION_METADATA_FILE));
    await unlink(topicsFile());
    await mkdir(join(dir, 'not-a-partition-7')); // no segments: left alone
    const m = await open();
    expect(m.get('orders')!.partitions.map((p) => p.highWatermark)).toEqual([2n, 2n, 2n]);
    expect(m.get('not-a-partition')).toBeUndefined();
    expect(warnings.some((w) => w.obj.newTopicId === true)).toBe(true);
  });
});
