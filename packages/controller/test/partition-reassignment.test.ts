// reassignPartition's rules on plain partition states (no etcd): a reorder of the same replicas is
// committed at once (the preferred leader changes, leadership stays), the same order is a no-op,
// and a shrink to replicas already in the ISR completes in the same state change.
import type { PartitionState } from '@mq/metadata';
import { ErrorCode } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import { reassignPartition } from '../src/partition-reassignment';

const s: PartitionState = { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', topic: 't', partition: 0, leader: 1, leaderEpoch: 4, partitionEpoch: 7, replicas: [1, 2, 3], isr: [1, 2, 3] };
const brokers = new Set([1, 2, 3]);

describe('reassignPartition', () => {
  it('reordering the replicas commits the new order (new preferred leader) without moving leadership', () => {
    const o = reassignPartition(s, [2, 1, 3], brokers, brokers);
    expect(o.errorCode).toBe(ErrorCode.NONE);
    expect(o.state).toMatchObject({ replicas: [2, 1, 3], leader: 1, leaderEpoch: 4, partitionEpoch: 8 });
    expect(o.state!.addingReplicas ?? []).toEqual([]);
  });

  it('the same replicas in the same order change nothing', () => {
    expect(reassignPartition(s, [1, 2, 3], brokers, brokers)).toEqual({ errorCode: ErrorCode.NONE, errorMessage: null });
  });

  it('dropping an in-sync replica completes at once and fences it with a new leader epoch', () => {
    const o = reassignPartition(s, [1, 2], brokers, brokers);
    expect(o.state).toMatchObject({ replicas: [1, 2], isr: [1, 2], leader: 1, leaderEpoch: 5 });
    expect(o.state!.removingReplicas).toBeUndefined();
  });
});
