// TopicManager over @mq/metadata: a data dir written by the broker before the metadata store
// existed (fixture made by main at 469997f) opens unchanged, and the manager applies deltas other
// writers commit (a cluster's controller): partitions of this node opened, grown, moved away, deleted.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalMetadataStore, type MetadataImage, type PartitionState } from '@mq/metadata';
import { decodeRecordBatch, splitBatches } from '@mq/records';
import { ProducerIdManager } from '../src/producer-id-manager';
import { TopicManager } from '../src/topic-manager';

const FIXTURE = fileURLToPath(new URL('./fixtures/data-dir-469997f', import.meta.url));
const dirs: string[] = [];

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mq-metadata-test-'));
  dirs.push(d);
  return d;
}

async function values(buf: Buffer): Promise<string[]> {
  const out: string[] = [];
  for (const { batch } of splitBatches(buf).batches) for (const r of (await decodeRecordBatch(batch)).records) out.push(r.value!.toString());
  return out;
}

describe('a data dir written before @mq/metadata', () => {
  it('opens with the same topics, ids, configs, data and producer-id block, and topics.json is not rewritten', async () => {
    const dir = await tempDir();
    await cp(FIXTURE, dir, { recursive: true });
    const before = await readFile(join(dir, 'meta', 'topics.json'), 'utf8');
    const tm = await TopicManager.open({ dataDir: dir });
    try {
      expect(tm.list().map((t) => [t.name, t.topicId, t.partitions.length, t.overrides])).toEqual([
        ['orders', 'XX5u2EDQDUCU0v8Tln-5qg', 3, { 'cleanup.policy': 'delete', 'retention.ms': '86400000' }],
        ['audit.log', 'hhxjPwZ7nHG02rdqGH_8IQ', 1, {}],
        ['compacted', 'ufOa0IrDBqQqv61kLUMUtQ', 2, { 'cleanup.policy': 'compact' }],
      ]);
      expect(tm.get('compacted')!.config.cleanupPolicy).toEqual(['compact']);
      for (let i = 0; i < 3; i++) expect(await values(await tm.partition('orders', i).read(0n, 1 << 20))).toEqual([`order-${i}-a`, `order-${i}-b`]);
      // The image a single node answers Metadata from: this node leads everything, epochs 0.
      expect(tm.image.topics.get('orders')!.partitions[2]).toEqual({
        topicId: 'XX5u2EDQDUCU0v8Tln-5qg',
        topic: 'orders',
        partition: 2,
        leader: 0,
        leaderEpoch: 0,
        partitionEpoch: 0,
        replicas: [0],
        isr: [0],
      });
      expect(await readFile(join(dir, 'meta', 'topics.json'), 'utf8')).toBe(before);
      // The fixture's block ended at 1000 (ids 0 and 1 were handed out): the next id is past it.
      const pids = new ProducerIdManager(tm.store);
      expect(await pids.nextProducerId()).toBe(1000n);
      expect(JSON.parse(await readFile(join(dir, 'meta', 'producer-ids.json'), 'utf8'))).toEqual({ nextBlockStart: '2000' });
    } finally {
      await tm.close();
    }
  });

  it('keeps writing the same topics.json format (version 2) after a change', async () => {
    const dir = await tempDir();
    await cp(FIXTURE, dir, { recursive: true });
    const tm = await TopicManager.open({ dataDir: dir });
    await tm.createPartitions('audit.log', 2);
    await tm.close();
    const file = JSON.parse(await readFile(join(dir, 'meta', 'topics.json'), 'utf8'));
    expect(file.version).toBe(2);
    expect(file.topics[1]).toEqual({ name: 'audit.log', topicId: 'hhxjPwZ7nHG02rdqGH_8IQ', partitions: 2, configs: {} });
  });
});

/** The controller's side in these tests: another writer committing records to the same store. */
function state(image: MetadataImage, topic: string, partition: number, change: Partial<PartitionState>): PartitionState {
  return { ...image.topics.get(topic)!.partitions[partition]!, ...change };
}

describe('TopicManager applies deltas it did not commit', () => {
  it('opens only the partitions naming this node, tells replica-state listeners, follows moves and deletes', async () => {
    const dir = await tempDir();
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 2 });
    const tm = await TopicManager.open({ dataDir: dir, nodeId: 2, store });
    const told: PartitionState[][] = [];
    tm.onPartitionStates((states) => told.push([...states]));
    try {
      await store.commit([
        { type: 'topic', name: 'spread', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', configs: { 'retention.ms': '1000' } },
        { type: 'partition', state: { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topic: 'spread', partition: 0, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1, 2], isr: [1, 2] } },
        { type: 'partition', state: { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topic: 'spread', partition: 1, leader: 3, leaderEpoch: 0, partitionEpoch: 0, replicas: [3, 1], isr: [3, 1] } },
      ]);
      // Listeners are told once the delta is applied.
      await expect.poll(() => told.length).toBe(1);
      expect(tm.get('spread')?.partition(0)).toBeDefined();
      expect(tm.get('spread')!.partition(1)).toBeUndefined();
      expect(() => tm.partition('spread', 1)).toThrow(/unknown topic-partition spread-1/);
      expect(tm.totalPartitions).toBe(1);
      expect(tm.get('spread')!.config.retentionMs).toBe(1000);
      expect(told.at(-1)!.map((s) => s.partition)).toEqual([0]);

      // Partition 1 moves onto this node, partition 0 away from it.
      await store.commit([
        { type: 'partition', state: state(store.image, 'spread', 1, { replicas: [3, 2], isr: [3], partitionEpoch: 1 }) },
        { type: 'partition', state: state(store.image, 'spread', 0, { replicas: [1, 3], isr: [1], partitionEpoch: 1 }) },
      ]);
      await expect.poll(() => told.length).toBe(2);
      expect(tm.get('spread')?.partition(1)).toBeDefined();
      expect(tm.get('spread')?.partition(0)).toBeUndefined();
      expect(tm.totalPartitions).toBe(1);
      // Told the state that made it a replica and the one that removed it.
      expect(told.at(-1)!.map((s) => [s.partition, s.replicas])).toEqual([
        [0, [1, 3]],
        [1, [3, 2]],
      ]);

      await store.commit([{ type: 'removeTopic', name: 'spread' }]);
      await expect.poll(() => tm.get('spread')).toBeUndefined();
      expect(tm.totalPartitions).toBe(0);
    } finally {
      await tm.close();
    }
  });
});
