// followLeadership on real partitions with a leadership source the test drives (in a broker it is
// the ReplicaManager): load where the partition became led — only once the high watermark reaches
// the log end it had (records a failover could still lose are never served) — and unload where it
// stopped; a same-partition re-election keeps the shard; requests meanwhile get the runtime's codes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@mq/protocol';
import { type Partition, TopicManager } from '@mq/partition';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CoordinatorLeadershipSource,
  CoordinatorRuntime,
  type LeadershipChange,
  PartitionRecordWriter,
  followLeadership,
} from '../src/index';
import { KvShard, type Put, putSerde } from './kv-shard';

let dir: string;
let topics: TopicManager;
const clock = new SystemClock();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-coordinator-leadership-'));
  topics = await TopicManager.open({ dataDir: dir });
  await topics.createTopic('state', 2, { 'cleanup.policy': 'compact' });
});

afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

/** A source whose leadership changes the test announces. */
class TestSource implements CoordinatorLeadershipSource {
  private readonly listeners = new Set<(c: LeadershipChange) => void>();
  watchLeadership(_topic: string, fn: (c: LeadershipChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  partitionCount(): number {
    return 2;
  }
  writerFor(partition: Partition): PartitionRecordWriter {
    return new PartitionRecordWriter(partition, () => clock.now());
  }
  announce(change: LeadershipChange): void {
    for (const fn of this.listeners) fn(change);
  }
}

async function put(p: Partition, key: string): Promise<void> {
  await new PartitionRecordWriter(p, () => clock.now()).append([putSerde.serialize({ key, value: key })]);
}

describe('followLeadership', () => {
  it('loads on leadership only once the HW reaches the log end, keeps the shard on re-election, unloads when it moves', async () => {
    const p = topics.partition('state', 0);
    await put(p, 'a');
    await put(p, 'b');
    // Replicated from here: the HW no longer follows appends, as on a new leader whose followers lag.
    p.setReplicaHooks({ onAppend() {} });
    await put(p, 'c');
    expect([p.highWatermark, p.logEndOffset]).toEqual([2n, 3n]);

    const source = new TestSource();
    const rt = new CoordinatorRuntime<KvShard, Put>({ serde: putSerde, shardFactory: (ctx) => new KvShard(ctx), clock, writerFor: (q) => source.writerFor(q) });
    const loaded: number[] = [];
    const unloaded: number[] = [];
    const errors: string[] = [];
    const stop = followLeadership(rt, 'state', source, {
      onError: (_e, c) => errors.push(c),
      onLoaded: (i) => loaded.push(i),
      onUnloaded: (i) => unloaded.push(i),
    });
    source.announce({ partitionIndex: 0, partition: p, leaderEpoch: 1 });
    await expect.poll(() => rt.status(0)).toBe('loading');
    await expect(rt.scheduleWriteOperation('w', 0, () => ({ records: [], response: 1 }))).rejects.toMatchObject({ errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
    // Still waiting: 'c' is not committed yet.
    await new Promise((r) => setTimeout(r, 100));
    expect(rt.status(0)).toBe('loading');
    p.updateHighWatermark(3n);
    await expect.poll(() => rt.status(0)).toBe('active');
    expect([...rt.shard(0)!.map.keys()]).toEqual(['a', 'b', 'c']);
    expect(loaded).toEqual([0]);

    // A newer epoch of the same leadership: the shard (and its state) stays.
    const shard = rt.shard(0);
    source.announce({ partitionIndex: 0, partition: p, leaderEpoch: 2 });
    await new Promise((r) => setTimeout(r, 50));
    expect(rt.shard(0)).toBe(shard);

    source.announce({ partitionIndex: 0, partition: undefined, leaderEpoch: 3 });
    await expect.poll(() => rt.status(0)).toBeUndefined();
    expect(unloaded).toEqual([0]);
    await expect(rt.scheduleWriteOperation('w', 0, () => ({ records: [], response: 1 }))).rejects.toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR });
    expect(errors).toEqual([]);
    stop();
    await rt.close();
  });

  it('a load still waiting for the HW is abandoned when leadership moves on', async () => {
    const p = topics.partition('state', 1);
    p.setReplicaHooks({ onAppend() {} });
    await put(p, 'x');
    const source = new TestSource();
    const rt = new CoordinatorRuntime<KvShard, Put>({ serde: putSerde, shardFactory: (ctx) => new KvShard(ctx), clock });
    const errors: string[] = [];
    const stop = followLeadership(rt, 'state', source, { onError: (_e, c) => errors.push(c) });
    source.announce({ partitionIndex: 1, partition: p, leaderEpoch: 1 });
    await expect.poll(() => rt.status(1)).toBe('loading');
    source.announce({ partitionIndex: 1, partition: undefined, leaderEpoch: 2 });
    await expect.poll(() => rt.status(1)).toBeUndefined();
    expect(errors).toEqual([]);
    stop();
    await rt.close();
  });
});
