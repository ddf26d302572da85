// Committed offsets: validation errors, fetch, retention, and durability across a reopen of the
// real __consumer_offsets log on a temp dir (including after compaction).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import type { OffsetCommitRequest } from '../src/group-api';
import { FakeClock } from './fake-clock';
import { META, joinReq, newCoordinator } from './helpers';
import { OffsetsStore } from './offsets-store';

function commit(over: Partial<OffsetCommitRequest> & { offsets?: [string, number, bigint, string?][] } = {}): OffsetCommitRequest {
  const offsets = over.offsets ?? [['t', 0, 10n]];
  const topics = new Map<string, OffsetCommitRequest['topics'][number]>();
  for (const [name, partitionIndex, committedOffset, md] of offsets) {
    if (!topics.has(name)) topics.set(name, { name, partitions: [] });
    topics.get(name)!.partitions.push({ partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: md ?? null });
  }
  return { groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [...topics.values()], ...over };
}

describe('OffsetCommit / OffsetFetch', () => {
  it('simple commits, per-partition errors, fetch of all and of named partitions', async () => {
    const { coordinator: c } = await newCoordinator({ offsetMetadataMaxBytes: 10 });
    const res = await c.commitOffsets(commit({ offsets: [['t', 0, 10n, 'ok'], ['t', 1, 20n, 'x'.repeat(11)], ['missing', 0, 1n], ['t', 9, 1n]] }));
    expect(res.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual([
      E.NONE,
      E.OFFSET_METADATA_TOO_LARGE,
      E.UNKNOWN_TOPIC_OR_PARTITION,
      E.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const all = c.fetchOffsets({ groupId: 'g', topics: null, requireStable: true });
    expect(all.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: -1, metadata: 'ok', errorCode: E.NONE }] }]);
    const named = c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 3] }], requireStable: false });
    expect(named.topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([10n, -1n]);
    const none = c.fetchOffsets({ groupId: 'unknown', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: false });
    expect(none.topics[0]!.partitions[0]).toMatchObject({ committedOffset: -1n, errorCode: E.NONE });
  });

  it('validates generation and member of a managed group', async () => {
    const { coordinator: c } = await newCoordinator();
    expect((await c.commitOffsets(commit({ groupId: 'nope', generationIdOrMemberEpoch: 3, memberId: 'm' }))).topics[0]!.partitions[0]!.errorCode).toBe(E.ILLEGAL_GENERATION);
    const first = await c.joinGroup(joinReq(), META);
    const joined = await c.joinGroup(joinReq({ memberId: first.memberId }), META);
    const member = joined.memberId;
    const err = async (over: Partial<OffsetCommitRequest>) => (await c.commitOffsets(commit(over))).topics[0]!.partitions[0]!.errorCode;
    expect(await err({ generationIdOrMemberEpoch: 1, memberId: member })).toBe(E.REBALANCE_IN_PROGRESS);
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: member, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(await err({ generationIdOrMemberEpoch: 1, memberId: member })).toBe(E.NONE);
    expect(await err({ generationIdOrMemberEpoch: 0, memberId: member })).toBe(E.ILLEGAL_GENERATION);
    expect(await err({ generationIdOrMemberEpoch: 1, memberId: 'ghost' })).toBe(E.UNKNOWN_MEMBER_ID);
    expect(await err({ generationIdOrMemberEpoch: -1, memberId: '' })).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('expires offsets of a group that stayed empty past retention, then the group', async () => {
    const { coordinator: c, clock } = await newCoordinator({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
    await c.commitOffsets(commit());
    await clock.advance(30_000);
    expect(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics).toHaveLength(1);
    await clock.advance(40_000);
    expect(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics).toHaveLength(0);
    expect(c.listGroups().groups).toEqual([]);
  });

  it('computes lag against high watermarks', async () => {
    const { coordinator: c } = await newCoordinator();
    await c.commitOffsets(commit({ offsets: [['t', 0, 10n], ['t', 1, 50n]] }));
    const lag = c.lag('g', (_t, p) => (p === 0 ? 25n : 40n));
    expect(lag.map((l) => l.lag)).toEqual([15n, 0n]);
  });
});

describe('durability on __consumer_offsets', () => {
  it('share groups recorded here (ShareGroupMetadata) survive a reopen; a tombstone ends them; they are no classic group', async () => {
    const store = await OffsetsStore.create();
    const clock = new FakeClock();
    const open = () => store.openPrepared({ clock, config: { initialRebalanceDelayMs: 0 } });
    let c = await open();
    expect(await c.storeShareGroup('sg', 3)).toBe(E.NONE);
    expect(await c.storeShareGroup('sg', 4)).toBe(E.NONE);
    expect(await c.storeShareGroup('gone', 1)).toBe(E.NONE);
    expect(await c.storeShareGroup('gone', null)).toBe(E.NONE);
    expect(c.shareGroupIds()).toEqual(['sg']);
    await c.close();
    c = await open();
    expect(c.shareGroupIds()).toEqual(['sg']);
    // Kept apart from the classic and consumer groups: not listed or described as one of them.
    expect(c.listGroups().groups).toEqual([]);
    expect(c.describeGroups(['sg'])[0]!.groupState).toBe('Dead');
    await c.close();
  });

  it('offsets and group metadata survive a reopen; deletes leave tombstones', async () => {
    const store = await OffsetsStore.create();
    const clock = new FakeClock();
    const open = async () => store.open({ clock, config: { initialRebalanceDelayMs: 0 } });
    let c = await open();
    const first = await c.joinGroup(joinReq(), META);
    const joined = await c.joinGroup(joinReq({ memberId: first.memberId }), META);
    await c.syncGroup({
      groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: null, protocolType: null, protocolName: null,
      assignments: [{ memberId: joined.memberId, assignment: Buffer.from('asg') }],
    });
    await c.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: joined.memberId, offsets: [['t', 0, 5n], ['t', 1, 7n, 'meta']] }));
    await c.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: joined.memberId, offsets: [['t', 0, 6n]] }));
    await c.commitOffsets(commit({ groupId: 'doomed' }));
    expect((await c.deleteGroups(['doomed']))[0]!.errorCode).toBe(E.NONE);
    await c.close();

    c = await open();
    expect(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics[0]!.partitions.map((p) => [p.committedOffset, p.metadata])).toEqual([
      [6n, ''],
      [7n, 'meta'],
    ]);
    const [g] = c.describeGroups(['g']);
    expect(g).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(g!.members[0]).toMatchObject({ memberId: joined.memberId, memberAssignment: Buffer.from('asg') });
    // The restored member continues its session with the same generation.
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: null })).toBe(E.NONE);
    expect(c.listGroups().groups.map((x) => x.groupId)).toEqual(['g']);
    await c.close();
  });

  it('a commit racing DeleteGroups is gone both live and after a reload', async () => {
    const log = await OffsetsStore.create();
    let c = await log.open();
    const committing = c.commitOffsets(commit({ groupId: 'r' }));
    const deleting = c.deleteGroups(['r']);
    expect((await committing).topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    expect((await deleting)[0]!.errorCode).toBe(E.NONE);
    expect(c.fetchOffsets({ groupId: 'r', topics: null, requireStable: false }).topics).toEqual([]);
    await c.close();
    c = await log.open();
    expect(c.fetchOffsets({ groupId: 'r', topics: null, requireStable: false }).topics).toEqual([]);
    expect(c.listGroups().groups).toEqual([]);
    await c.close();
  });

  it('skips unreadable records when loading', async () => {
    const log = await OffsetsStore.create();
    const errors: string[] = [];
    let c = await log.open();
    await c.commitOffsets(commit());
    await log.appendRaw([{ key: Buffer.from([0, 9, 1, 2]), value: Buffer.from('junk') }]);
    await c.close();
    c = await log.open({ onError: (_e, ctx) => errors.push(ctx) });
    expect(errors).toEqual(['skipping an unreadable __consumer_offsets record']);
    expect(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics[0]!.partitions[0]!.committedOffset).toBe(10n);
    await c.close();
  });

  it('replays correctly after compaction of the offsets log', async () => {
    const store = await OffsetsStore.create();
    let c = await store.open({ config: { initialRebalanceDelayMs: 0, offsetsTopicSegmentBytes: 1024 } });
    for (let i = 0; i < 200; i++) await c.commitOffsets(commit({ offsets: [['t', i % 3, BigInt(i)]] }));
    await store.partition().runCleaner();
    expect((await readdir(join(store.dir, '__consumer_offsets-0'))).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(1);
    await c.close();
    c = await store.open();
    expect(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([198n, 199n, 197n]);
    await c.close();
  });
});
