// SharePartition on a ManualClock: acquisition and delivery counts, accept / release / reject /
// gap / renew, lock expiry, the delivery limit, many members on one partition, the record-lock
// caps, bad acknowledgements, and rebuilding from persisted state.
import { ErrorCode } from '@mq/protocol';
import { ManualClock } from '@mq/timerwheel';
import { describe, expect, it } from 'vitest';
import { AcknowledgeType as A, RecordState as S } from '../src/record-state';
import { DEFAULT_SHARE_GROUP_CONFIG } from '../src/share-config';
import { type ArchivedRecord, SharePartition } from '../src/share-partition';

const range = (firstOffset: bigint, lastOffset: bigint) => ({ firstOffset, lastOffset });

function make(overrides: Partial<typeof DEFAULT_SHARE_GROUP_CONFIG> = {}) {
  const clock = new ManualClock();
  const archived: ArchivedRecord[] = [];
  let background = 0;
  const sp = new SharePartition('g', 'topic-id', 0, { ...DEFAULT_SHARE_GROUP_CONFIG, ...overrides }, clock, 0n, {
    onArchived: (_sp, records) => archived.push(...records),
    onBackgroundChange: () => background++,
  });
  return { sp, clock, archived, background: () => background };
}

describe('SharePartition', () => {
  it('acquires available records once, with a delivery count of 1', () => {
    const { sp } = make();
    expect(sp.acquire('a', [range(0n, 9n)], 5)).toEqual([{ firstOffset: 0n, lastOffset: 4n, deliveryCount: 1 }]);
    expect(sp.nextFetchOffset()).toBe(5n);
    // A second member gets the rest, never the first member's records.
    expect(sp.acquire('b', [range(0n, 9n)], 100)).toEqual([{ firstOffset: 5n, lastOffset: 9n, deliveryCount: 1 }]);
    expect(sp.acquire('c', [range(0n, 9n)], 100)).toEqual([]);
    expect(sp.acquiredRecordCount).toBe(10);
    expect(sp.recordState(3n)).toEqual({ state: S.ACQUIRED, deliveryCount: 1, memberId: 'a' });
  });

  it('accept moves the start; release makes a record available with its count; reject archives it', () => {
    const { sp, archived } = make();
    sp.acquire('a', [range(0n, 2n)], 10);
    expect(sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 2n, acknowledgeTypes: [A.ACCEPT, A.RELEASE, A.REJECT] }])).toBe(ErrorCode.NONE);
    expect(sp.startOffset).toBe(1n);
    expect(sp.recordState(1n)).toEqual({ state: S.AVAILABLE, deliveryCount: 1, memberId: null });
    expect(sp.recordState(2n)?.state).toBe(S.ARCHIVED);
    expect(archived).toEqual([{ offset: 2n, deliveryCount: 1, reason: 'rejected', memberId: 'a' }]);
    expect(sp.nextFetchOffset()).toBe(1n);
    expect(sp.acquire('b', [range(1n, 2n)], 10)).toEqual([{ firstOffset: 1n, lastOffset: 1n, deliveryCount: 2 }]);
    expect(sp.acknowledge('b', [{ firstOffset: 1n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    expect(sp.startOffset).toBe(3n);
  });

  it('a lock that runs out makes the records available again; the next delivery counts 2', () => {
    const { sp, clock, background } = make({ recordLockDurationMs: 1000 });
    sp.acquire('a', [range(0n, 4n)], 10);
    clock.advance(999);
    expect(sp.recordState(0n)?.state).toBe(S.ACQUIRED);
    clock.advance(1);
    expect(sp.recordState(0n)).toEqual({ state: S.AVAILABLE, deliveryCount: 1, memberId: null });
    expect(background()).toBe(1);
    // The member that lost the lock cannot acknowledge any more.
    expect(sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.INVALID_RECORD_STATE);
    expect(sp.acquire('b', [range(0n, 4n)], 10)).toEqual([{ firstOffset: 0n, lastOffset: 4n, deliveryCount: 2 }]);
  });

  it('an acknowledged lock is cancelled: nothing changes when its time comes', () => {
    const { sp, clock, background } = make({ recordLockDurationMs: 1000 });
    sp.acquire('a', [range(0n, 1n)], 10);
    sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }]);
    clock.advance(5000);
    expect(background()).toBe(0);
    expect(sp.startOffset).toBe(2n);
  });

  it('renew (v2) extends the lock', () => {
    const { sp, clock } = make({ recordLockDurationMs: 1000 });
    sp.acquire('a', [range(0n, 0n)], 10);
    clock.advance(800);
    expect(sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.RENEW] }], false)).toBe(ErrorCode.INVALID_REQUEST);
    expect(sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.RENEW] }], true)).toBe(ErrorCode.NONE);
    clock.advance(800);
    expect(sp.recordState(0n)?.state).toBe(S.ACQUIRED);
    clock.advance(200);
    expect(sp.recordState(0n)?.state).toBe(S.AVAILABLE);
  });

  it('a record released delivery.count.limit times is archived as a dead letter', () => {
    const { sp, archived } = make({ deliveryCountLimit: 3 });
    for (let i = 1; i <= 3; i++) {
      expect(sp.acquire('a', [range(0n, 0n)], 1)).toEqual([{ firstOffset: 0n, lastOffset: 0n, deliveryCount: i }]);
      sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.RELEASE] }]);
    }
    expect(sp.startOffset).toBe(1n);
    expect(archived).toEqual([{ offset: 0n, deliveryCount: 3, reason: 'delivery-limit', memberId: null }]);
    expect(sp.acquire('a', [range(0n, 0n)], 1)).toEqual([]);
  });

  it('offsets between the log batches are archived gaps; a gap acknowledgement archives', () => {
    const { sp } = make();
    expect(sp.acquire('a', [range(0n, 1n), range(5n, 6n)], 10)).toEqual([
      { firstOffset: 0n, lastOffset: 1n, deliveryCount: 1 },
      { firstOffset: 5n, lastOffset: 6n, deliveryCount: 1 },
    ]);
    expect(sp.recordState(3n)?.state).toBe(S.ARCHIVED);
    sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.GAP] }, { firstOffset: 5n, lastOffset: 6n, acknowledgeTypes: [A.ACCEPT] }]);
    expect(sp.startOffset).toBe(7n);
  });

  it('bad acknowledgements: nothing applies, the Kafka code is returned', () => {
    const { sp } = make();
    sp.acquire('a', [range(0n, 3n)], 2);
    const ack = (memberId: string, firstOffset: bigint, lastOffset: bigint, acknowledgeTypes: number[]) => sp.acknowledge(memberId, [{ firstOffset, lastOffset, acknowledgeTypes }]);
    expect(ack('b', 0n, 0n, [A.ACCEPT])).toBe(ErrorCode.INVALID_RECORD_STATE); // another member's
    expect(ack('a', 2n, 2n, [A.ACCEPT])).toBe(ErrorCode.INVALID_RECORD_STATE); // not acquired
    expect(ack('a', 0n, 1n, [A.ACCEPT, A.ACCEPT, A.ACCEPT])).toBe(ErrorCode.INVALID_REQUEST); // type count
    expect(ack('a', 0n, 0n, [7])).toBe(ErrorCode.INVALID_REQUEST);
    expect(ack('a', 1n, 0n, [A.ACCEPT])).toBe(ErrorCode.INVALID_REQUEST);
    expect(ack('a', 0n, 2n ** 62n, [A.ACCEPT])).toBe(ErrorCode.INVALID_RECORD_STATE);
    // All or nothing: offset 0 stays acquired when offset 2 in the same request is wrong.
    expect(sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.ACCEPT] }, { firstOffset: 2n, lastOffset: 2n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.INVALID_RECORD_STATE);
    expect(sp.recordState(0n)?.state).toBe(S.ACQUIRED);
  });

  it('caps acquired records per share-partition and per member', () => {
    const { sp } = make({ partitionMaxRecordLocks: 5, memberMaxRecordLocks: 3 });
    expect(sp.acquire('a', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 0n, lastOffset: 2n, deliveryCount: 1 }]);
    expect(sp.acquire('a', [range(0n, 99n)], 100)).toEqual([]);
    expect(sp.acquire('b', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 3n, lastOffset: 4n, deliveryCount: 1 }]);
    sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 2n, acknowledgeTypes: [A.ACCEPT] }]);
    expect(sp.acquire('c', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 5n, lastOffset: 7n, deliveryCount: 1 }]);
  });

  it("shares the partition's locks among the members that hold some or are fetching; alone, a member may take all", () => {
    const { sp } = make({ partitionMaxRecordLocks: 10 });
    expect(sp.acquire('a', [range(0n, 99n)], 100)).toHaveLength(1);
    expect(sp.acquiredBy('a')).toBe(10);
    // b and c fetch (parked: nothing free). a accepts everything and fetches again: a third of the
    // locks each, rounded up, and what a leaves stays free for b and c.
    sp.beginFetch('b');
    sp.beginFetch('c');
    sp.beginFetch('a');
    expect(sp.fairShare('a')).toBe(4);
    sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 9n, acknowledgeTypes: [A.ACCEPT] }]);
    expect(sp.acquire('a', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 10n, lastOffset: 13n, deliveryCount: 1 }]);
    expect(sp.acquire('b', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 14n, lastOffset: 17n, deliveryCount: 1 }]);
    expect(sp.acquire('c', [range(0n, 99n)], 100)).toEqual([{ firstOffset: 18n, lastOffset: 19n, deliveryCount: 1 }]);
    // Their requests end; holding locks still counts. Once b and c hold nothing, a is alone again.
    for (const m of ['a', 'b', 'c']) sp.endFetch(m);
    expect(sp.fairShare('a')).toBe(4);
    expect(sp.releaseMember('b')).toBe(4);
    expect(sp.releaseMember('c')).toBe(2);
    expect(sp.fairShare('a')).toBe(10);
    expect(sp.acquirable('a')).toBe(6);
  });

  it('releaseMember gives back what a departed member held', () => {
    const { sp } = make();
    sp.acquire('a', [range(0n, 3n)], 10);
    expect(sp.releaseMember('a')).toBe(4);
    expect(sp.acquiredRecordCount).toBe(0);
    expect(sp.acquire('b', [range(0n, 3n)], 10)).toEqual([{ firstOffset: 0n, lastOffset: 3n, deliveryCount: 2 }]);
  });

  it('changes drain as update batches; a snapshot rebuilds the same window with acquired records available', () => {
    const { sp, clock } = make({ deliveryCountLimit: 2 });
    sp.acquire('a', [range(0n, 5n)], 10);
    sp.acknowledge('a', [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }, { firstOffset: 3n, lastOffset: 3n, acknowledgeTypes: [A.ACCEPT] }]);
    expect(sp.drainChanges()).toEqual({
      startOffset: 2n,
      stateBatches: [
        { firstOffset: 2n, lastOffset: 2n, deliveryState: S.AVAILABLE, deliveryCount: 1 },
        { firstOffset: 3n, lastOffset: 3n, deliveryState: S.ACKNOWLEDGED, deliveryCount: 1 },
        { firstOffset: 4n, lastOffset: 5n, deliveryState: S.AVAILABLE, deliveryCount: 1 },
      ],
    });
    expect(sp.drainChanges()).toBeUndefined();
    const again = SharePartition.fromState('g', 'topic-id', 0, { ...DEFAULT_SHARE_GROUP_CONFIG, deliveryCountLimit: 2 }, clock, sp.snapshot());
    expect(again.startOffset).toBe(2n);
    expect(again.endOffset).toBe(6n);
    expect(again.nextFetchOffset()).toBe(2n);
    expect(again.acquire('b', [range(2n, 5n)], 10)).toEqual([
      { firstOffset: 2n, lastOffset: 2n, deliveryCount: 2 },
      { firstOffset: 4n, lastOffset: 5n, deliveryCount: 2 },
    ]);
    // Acquired for the last allowed time when the state was saved: archived on load.
    const last = SharePartition.fromState('g', 'topic-id', 0, { ...DEFAULT_SHARE_GROUP_CONFIG, deliveryCountLimit: 2 }, clock, again.snapshot());
    expect(last.startOffset).toBe(6n);
  });
});
