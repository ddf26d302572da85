// A follower's side of replication on real partitions: appendAsFollower keeps the leader's offsets
// and epochs byte for byte, refuses overlaps, gaps and epochs going backwards, rebuilds idempotent
// producer state; truncateTo cuts a divergent tail with the epoch cache; the HW is replication's.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidRecordError } from '@mq/errors';
import { buildRecordBatch } from '@mq/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Partition } from '../src/partition';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let leaderTm: TopicManager;
let followerTm: TopicManager;
let leader: Partition;
let follower: Partition;

const batch = (n: number, opts: { producerId?: bigint; baseSequence?: number; tag?: string } = {}) =>
  buildRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`${opts.tag ?? 'v'}-${i}`) })),
    ...(opts.producerId !== undefined ? { producerId: opts.producerId, producerEpoch: 0, baseSequence: opts.baseSequence ?? 0 } : {}),
  });

async function segmentBytes(tm: TopicManager): Promise<Buffer> {
  const pdir = join(tm.dataDir, 't-0');
  const logs = (await readdir(pdir)).filter((f) => f.endsWith('.log')).sort();
  return Buffer.concat(await Promise.all(logs.map((f) => readFile(join(pdir, f)))));
}

/** Copies everything the leader has beyond the follower's log end, as a follower fetch would. */
async function replicate(): Promise<void> {
  for (;;) {
    const bytes = await leader.readForReplica(follower.logEndOffset, 1 << 20);
    if (bytes.length === 0) return;
    await follower.appendAsFollower(bytes);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-follower-append-'));
  const fixedId = () => 'AAAAAAAAAAAAAAAAAAAAAA';
  await mkdir(join(dir, 'leader'));
  await mkdir(join(dir, 'follower'));
  leaderTm = await TopicManager.open({ dataDir: join(dir, 'leader'), newTopicId: fixedId, defaults: { 'flush.messages': '1' } });
  followerTm = await TopicManager.open({ dataDir: join(dir, 'follower'), newTopicId: fixedId, defaults: { 'flush.messages': '1' } });
  leader = (await leaderTm.createTopic('t', 1))!.partitions[0]!;
  follower = (await followerTm.createTopic('t', 1))!.partitions[0]!;
  leader.setReplicaHooks({ onAppend: () => undefined });
  follower.setReplicaHooks({ onAppend: () => undefined });
});

afterEach(async () => {
  await leaderTm.close();
  await followerTm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('appendAsFollower', () => {
  it('stores the leader’s batches byte for byte, with its epochs, and leaves the HW to replication', async () => {
    await leader.makeLeader(1);
    await leader.append(await batch(3));
    await leader.append(await batch(2, { producerId: 7n }));
    await leader.makeLeader(4);
    await leader.append(await batch(5, { producerId: 7n, baseSequence: 2 }));
    expect(leader.highWatermark).toBe(0n); // replication owns it: appends no longer move it
    expect(leader.acknowledgedEndOffset).toBe(10n);
    follower.makeFollower(4);
    await replicate();
    expect(follower.logEndOffset).toBe(10n);
    expect(follower.highWatermark).toBe(0n);
    expect(follower.leaderEpochs).toEqual([
      { epoch: 1, startOffset: 0n },
      { epoch: 4, startOffset: 5n },
    ]);
    expect(follower.offsetForLeaderEpoch(1)).toEqual({ epoch: 1, endOffset: 5n });
    await leaderTm.close();
    await followerTm.close();
    expect((await segmentBytes(followerTm)).equals(await segmentBytes(leaderTm))).toBe(true);
    // Reopened: the checkpoint and producer state came back; the follower is fit to lead.
    leaderTm = await TopicManager.open({ dataDir: join(dir, 'leader') });
    followerTm = await TopicManager.open({ dataDir: join(dir, 'follower') });
    follower = followerTm.partition('t', 0);
    expect(follower.latestEpoch).toBe(4);
    await follower.makeLeader(5);
    const retry = await follower.append(await batch(5, { producerId: 7n, baseSequence: 2 }));
    expect(retry).toMatchObject({ duplicate: true, baseOffset: 5n });
    const next = await follower.append(await batch(1, { producerId: 7n, baseSequence: 7 }));
    expect(next).toMatchObject({ duplicate: false, baseOffset: 10n });
  });

  it('refuses overlapping or gapped offsets and leader epochs going backwards, storing nothing', async () => {
    await leader.makeLeader(2);
    await leader.append(await batch(2));
    await leader.append(await batch(2));
    const all = await leader.readForReplica(0n, 1 << 20);
    follower.makeFollower(2);
    await follower.appendAsFollower(all.subarray(0, all.length / 2)); // first batch only
    await expect(follower.appendAsFollower(all)).rejects.toBeInstanceOf(InvalidRecordError); // overlap
    const gap = await leader.readForReplica(2n, 1 << 20);
    await follower.truncateTo(0n);
    await expect(follower.appendAsFollower(gap)).rejects.toThrow(/not contiguous/);
    expect(follower.logEndOffset).toBe(0n);
    // A batch of epoch 2 after one of epoch 3: refused.
    const older = await leader.readForReplica(0n, 1 << 20);
    const newer = Buffer.from(await leader.readForReplica(0n, 1 << 20));
    newer.writeInt32BE(3, 12); // partitionLeaderEpoch is outside the CRC
    await follower.appendAsFollower(newer.subarray(0, newer.length / 2));
    await expect(follower.appendAsFollower(older.subarray(older.length / 2))).rejects.toThrow(/leader epoch 2, below epoch 3/);
    expect(follower.logEndOffset).toBe(2n);
  });

  it('a CRC-broken fetched batch is refused whole', async () => {
    await leader.makeLeader(1);
    await leader.append(await batch(3));
    const bytes = Buffer.from(await leader.readForReplica(0n, 1 << 20));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await expect(follower.appendAsFollower(bytes)).rejects.toThrow();
    expect(follower.logEndOffset).toBe(0n);
  });
});

describe('truncateTo and the high watermark', () => {
  it('cuts a divergent tail: log, epoch cache and producer state follow', async () => {
    await leader.makeLeader(1);
    await leader.append(await batch(4, { producerId: 9n }));
    follower.makeFollower(1);
    await replicate();
    // The old leader (now `leader`) wrote more in epoch 1 that never replicated.
    await leader.append(await batch(3, { producerId: 9n, baseSequence: 4 }));
    await leader.makeLeader(2);
    await leader.append(await batch(1));
    await leader.truncateTo(4n);
    expect(leader.logEndOffset).toBe(4n);
    expect(leader.leaderEpochs).toEqual([{ epoch: 1, startOffset: 0n }]);
    // The retried batch (seq 4-6) is new again after the cut, not a duplicate of a removed batch.
    await leader.makeLeader(3);
    expect(await leader.append(await batch(3, { producerId: 9n, baseSequence: 4 }))).toMatchObject({ duplicate: false, baseOffset: 4n });
  });

  it('updateHighWatermark is clamped to the log and wakes listeners; removing the hooks restores single-node HW', async () => {
    const changes: bigint[] = [];
    await leaderTm.close();
    leaderTm = await TopicManager.open({ dataDir: join(dir, 'leader') });
    leaderTm.setChangeListener((p) => changes.push(p.highWatermark));
    leader = leaderTm.partition('t', 0);
    leader.setReplicaHooks({ onAppend: () => undefined });
    await leader.append(await batch(3));
    expect(leader.updateHighWatermark(2n)).toBe(true);
    expect(leader.updateHighWatermark(99n)).toBe(true);
    expect(leader.highWatermark).toBe(3n);
    expect(leader.updateHighWatermark(3n)).toBe(false);
    expect(await leader.read(0n, 1 << 20)).not.toHaveLength(0);
    await leader.append(await batch(1));
    expect(leader.highWatermark).toBe(3n);
    leader.setReplicaHooks(undefined);
    expect(leader.highWatermark).toBe(4n);
    expect(changes).toContain(2n);
  });
});
