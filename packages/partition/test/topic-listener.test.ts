// TopicManager.onTopicChange: told after a topic is created, deleted or grows (what KIP-848 groups
// re-check their subscriptions on), not for refused or validate-only changes; unsubscribe stops it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-topic-listener-'));
  tm = await TopicManager.open({ dataDir: dir });
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

it('tells listeners about created, grown and deleted topics, once each, after the change is visible', async () => {
  const events: string[] = [];
  const off = tm.onTopicChange((topic) => events.push(`${topic}:${tm.get(topic)?.partitions.length ?? 'gone'}`));
  await tm.createTopic('orders', 2);
  await tm.createTopic('orders', 2).catch(() => {}); // already exists: no event
  await tm.createTopic('dry-run', 1, {}, true); // validate only: no event
  await tm.createPartitions('orders', 5);
  await tm.deleteTopic('orders');
  expect(events).toEqual(['orders:2', 'orders:5', 'orders:gone']);
  off();
  await tm.createTopic('later', 1);
  expect(events).toHaveLength(3);
});
