// TxnOffsetCommit on the real __consumer_offsets log: offsets of an open transaction are invisible
// (require_stable answers UNSTABLE_OFFSET_COMMIT), survive a reopen while pending, become the
// group's committed offsets on the commit marker and vanish on an abort; a live group takes a
// commit without member info (TxnOffsetCommit v0-2: kafkajs' sendOffsets), refuses a wrong member.
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import type { TxnOffsetCommitRequest } from '../src/group-api';
import { FakeClock } from './fake-clock';
import { META, joinReq } from './helpers';
import { OffsetsStore } from './offsets-store';

const req = (offset: bigint, partitionIndex = 0, producerId = 42n): TxnOffsetCommitRequest => ({
  transactionalId: `t${producerId}`,
  producerId,
  producerEpoch: 0,
  groupId: 'g',
  topics: [{ name: 't', partitions: [{ partitionIndex, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
});

describe('transactional offsets', () => {
  it('are pending until the commit marker, across a reopen; an abort drops them', async () => {
    const store = await OffsetsStore.create();
    const clock = new FakeClock();
    const open = () => store.openPrepared({ clock, config: { initialRebalanceDelayMs: 0 } });
    let c = await open();
    const fetch = (requireStable: boolean) => c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }], requireStable }).topics[0]!.partitions;
    const r = await c.txnCommitOffsets(req(5n));
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    await c.txnCommitOffsets(req(9n, 1, 43n));
    expect(fetch(false).map((p) => p.committedOffset)).toEqual([-1n, -1n]);
    expect(fetch(true).map((p) => p.errorCode)).toEqual([E.UNSTABLE_OFFSET_COMMIT, E.UNSTABLE_OFFSET_COMMIT]);
    await c.close();

    c = await open();
    expect(fetch(true).map((p) => p.errorCode)).toEqual([E.UNSTABLE_OFFSET_COMMIT, E.UNSTABLE_OFFSET_COMMIT]);
    const partition = c.partitionFor('g');
    expect(await c.completeTransaction(partition, 42n, true)).toBe(E.NONE);
    expect(await c.completeTransaction(partition, 43n, false)).toBe(E.NONE);
    expect(fetch(true).map((p) => [p.committedOffset, p.errorCode])).toEqual([
      [5n, E.NONE],
      [-1n, E.NONE],
    ]);
    await c.close();

    c = await open();
    expect(fetch(true).map((p) => p.committedOffset)).toEqual([5n, -1n]);
    await c.close();
  });

  it('a live classic group takes a commit without member info; a wrong member is refused, not a server error', async () => {
    const store = await OffsetsStore.create();
    const c = await store.openPrepared({ clock: new FakeClock(), config: { initialRebalanceDelayMs: 0 } });
    const first = await c.joinGroup(joinReq({ groupId: 'g' }), META);
    const joined = await c.joinGroup(joinReq({ groupId: 'g', memberId: first.memberId }), META);
    await c.syncGroup({ groupId: 'g', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect((await c.txnCommitOffsets(req(7n, 0, 44n))).topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    const stranger = await c.txnCommitOffsets({ ...req(8n, 0, 44n), generationId: joined.generationId, memberId: 'nobody' });
    expect(stranger.topics[0]!.partitions[0]!.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(await c.completeTransaction(c.partitionFor('g'), 44n, true)).toBe(E.NONE);
    expect(c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true }).topics[0]!.partitions[0]!.committedOffset).toBe(7n);
    await c.close();
  });
});
