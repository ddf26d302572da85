// LocalMetadataStore on real temp dirs: reads the files today's broker writes (topics.json v1/v2,
// producer-ids.json) unchanged, commits atomically, tells watchers, refuses corrupt files by name.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalMetadataStore, TopicsFileCorruptError, entriesOf, type MetadataDelta } from '../src/index';

// Written by the broker at main 469997f (TopicManager + ProducerIdManager), byte for byte.
const TOPICS_JSON_469997F = `{
  "version": 2,
  "topics": [
    {
      "name": "orders",
      "topicId": "XX5u2EDQDUCU0v8Tln-5qg",
      "partitions": 3,
      "configs": {
        "cleanup.policy": "delete",
        "retention.ms": "86400000"
      }
    },
    {
      "name": "audit.log",
      "topicId": "hhxjPwZ7nHG02rdqGH_8IQ",
      "partitions": 1,
      "configs": {}
    }
  ]
}
`;
const PRODUCER_IDS_469997F = '{"nextBlockStart":"1000"}\n';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-metadata-test-'));
  await mkdir(join(dir, 'meta'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalMetadataStore', () => {
  it('loads the files today’s broker writes: topics, ids, configs, counts, producer-id block', async () => {
    await writeFile(join(dir, 'meta', 'topics.json'), TOPICS_JSON_469997F);
    await writeFile(join(dir, 'meta', 'producer-ids.json'), PRODUCER_IDS_469997F);
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 4 });
    const image = await store.load();
    expect(store.fileVersion).toBe(2);
    expect([...image.topics.values()].map((t) => [t.name, t.topicId, t.partitions.length, t.configs])).toEqual([
      ['orders', 'XX5u2EDQDUCU0v8Tln-5qg', 3, { 'cleanup.policy': 'delete', 'retention.ms': '86400000' }],
      ['audit.log', 'hhxjPwZ7nHG02rdqGH_8IQ', 1, {}],
    ]);
    expect(image.topics.get('orders')!.partitions.every((s) => s.leader === 4 && s.isr.join() === '4' && s.leaderEpoch === 0)).toBe(true);
    expect(image.nextProducerIdBlock).toBe(1000n);
    expect(image.brokers.size).toBe(0);
    // A commit rewrites the same format: re-adding what was loaded gives the same text.
    await store.rewrite();
    expect(await readFile(join(dir, 'meta', 'topics.json'), 'utf8')).toBe(TOPICS_JSON_469997F);
  });

  it('commits records durably, tells watchers in order, and reloads them', async () => {
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    await store.load();
    const seen: MetadataDelta[] = [];
    const unwatch = store.watch((d) => seen.push(d));
    await store.commit([...store.topicRecords({ name: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: 1, configs: { 'retention.ms': '1' } }), ...store.topicRecords({ name: 'x', topicId: 'AAAAAAAAAAAAAAAAAAAAAg', partitions: 2, configs: {} })]);
    await store.commit([{ type: 'producerIds', nextBlockStart: 3000n }]);
    unwatch();
    await store.commit([{ type: 'config', topic: 'x', configs: { 'cleanup.policy': 'compact' } }]);
    expect(seen.map((d) => d.records.map((r) => r.type).join(','))).toEqual(['topic,partition,topic,partition,partition', 'producerIds']);
    const again = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    const image = await again.load();
    expect([...image.topics.keys()]).toEqual(['t', 'x']);
    expect(image.topics.get('x')!.configs).toEqual({ 'cleanup.policy': 'compact' });
    expect(image.topics.get('x')!.partitions.length).toBe(2);
    expect(image.nextProducerIdBlock).toBe(3000n);
    expect(await readFile(join(dir, 'meta', 'producer-ids.json'), 'utf8')).toBe('{"nextBlockStart":"3000"}\n');
  });

  it('a commit that does not apply changes nothing, on disk or in the image', async () => {
    await writeFile(join(dir, 'meta', 'topics.json'), TOPICS_JSON_469997F);
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    const before = await store.load();
    await expect(store.commit([{ type: 'removeTopic', name: 'orders' }, { type: 'removeTopic', name: 'nope' }])).rejects.toThrow(/unknown topic nope/);
    expect(store.image).toBe(before);
    expect(await readFile(join(dir, 'meta', 'topics.json'), 'utf8')).toBe(TOPICS_JSON_469997F);
  });

  it('refuses a corrupt topics file with KAFKA_STORAGE_ERROR naming it, and a foreign version', async () => {
    const path = join(dir, 'meta', 'topics.json');
    await writeFile(path, '{"version": 2, "topics": [');
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    const err = await store.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopicsFileCorruptError);
    expect((err as TopicsFileCorruptError).errorCode).toBe(56);
    expect((err as Error).message).toContain(path);
    expect(store.image.topics.size).toBe(0);
    await writeFile(path, '{"version": 9, "topics": []}');
    await expect(store.load()).rejects.toThrow(/unsupported topics file \(version 9\)/);
    await writeFile(path, '{"version": 2, "topics": [{"name": "a", "topicId": "x", "partitions": 0, "configs": {}}]}');
    await expect(store.load()).rejects.toThrow(/malformed topic entry/);
  });

  it('keeps keyed entries in meta/entries.json: set, replace, remove, reloaded; watchers see each change', async () => {
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    await store.load();
    const seen: string[] = [];
    store.watch((d) => seen.push(...d.entriesChanged().map((c) => `${c.namespace}/${c.key}=${c.value}`)));
    await store.commit([
      { type: 'entry', namespace: 'acl', key: 'TOPIC/LITERAL/orders/User:alice/*/READ/ALLOW', value: '{}' },
      { type: 'entry', namespace: 'scram', key: 'SCRAM-SHA-256/alice', value: 'v1' },
    ]);
    await store.commit([{ type: 'entry', namespace: 'scram', key: 'SCRAM-SHA-256/alice', value: 'v2' }]);
    await store.commit([{ type: 'entry', namespace: 'acl', key: 'TOPIC/LITERAL/orders/User:alice/*/READ/ALLOW', value: null }]);
    expect(seen).toEqual(['acl/TOPIC/LITERAL/orders/User:alice/*/READ/ALLOW={}', 'scram/SCRAM-SHA-256/alice=v1', 'scram/SCRAM-SHA-256/alice=v2', 'acl/TOPIC/LITERAL/orders/User:alice/*/READ/ALLOW=null']);
    // An emptied namespace is gone from the image.
    expect([...store.image.entries.keys()]).toEqual(['scram']);
    await store.close();
    const again = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    const image = await again.load();
    expect(entriesOf(image, 'scram').get('SCRAM-SHA-256/alice')).toBe('v2');
    expect(entriesOf(image, 'acl').size).toBe(0);
    // Topics are untouched by entry commits.
    await expect(readFile(join(dir, 'meta', 'topics.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses a corrupt entries file naming it, and bad entry records', async () => {
    await writeFile(join(dir, 'meta', 'entries.json'), '{"version": 1, "entries": {"acl": {"k": 5}}}');
    const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
    await expect(store.load()).rejects.toThrow(/entries\.json: acl\/k is not a string/);
    await writeFile(join(dir, 'meta', 'entries.json'), 'nope');
    await expect(store.load()).rejects.toThrow(/entries\.json: not JSON/);
    await writeFile(join(dir, 'meta', 'entries.json'), '{"version": 1, "entries": {}}');
    await store.load();
    await expect(store.commit([{ type: 'entry', namespace: 'a/b', key: 'k', value: 'v' }])).rejects.toThrow(/namespace "a\/b"/);
    await expect(store.commit([{ type: 'entry', namespace: 'acl', key: '', value: 'v' }])).rejects.toThrow(/key is empty/);
  });
});
