// TxnOffsetCommit on the real __consumer_offsets log: offsets of an open transaction are invisible
// (require_stable answers UNSTABLE_OFFSET_COMMIT), survive a reopen while pending, become the
// group's committed offsets on the commit marker and vanish on an abort.
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import type { OffsetCommitRequest } from '../src/types';
import { FakeClock } from './fake-clock';
import { OffsetsStore } from './offsets-store';

const req = (offset: bigint, partitionIndex = 0): OffsetCommitRequest => ({
  groupId: 'g',
  generationIdOrMemberEpoch: -1,
  memberId: '',
  groupInstanceId: null,
  topics: [{ name: 't', partitions: [{ partitionIndex, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
});

describe('transactional offsets', () => {
  it('are pending until the commit marker, across a reopen; an abort drops them', async () => {
    const store = await OffsetsStore.create();
    const clock = new FakeClock();
    const open = async () => {
      const c = await store.open({ clock, config: { initialRebalanceDelayMs: 0 } });
      await c.prepare();
      return c;
    };
    let c = await open();
    const fetch = (requireStable: boolean) => c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }], requireStable }).topics[0]!.partitions;
    const r = await c.txnCommitOffsets(req(5n), 42n);
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    await c.txnCommitOffsets(req(9n, 1), 43n);
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
});
