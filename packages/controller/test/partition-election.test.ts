// electPartition: the controller's rule for one partition, given the live brokers.
import { describe, expect, it } from 'vitest';
import type { PartitionState } from '@mq/metadata';
import { electPartition } from '../src/index';

const s: PartitionState = { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topic: 't', partition: 0, leader: 1, leaderEpoch: 4, partitionEpoch: 9, replicas: [1, 2, 3], isr: [1, 2, 3] };

describe('electPartition', () => {
  it('leaves a partition whose leader and ISR are live alone', () => {
    expect(electPartition(s, new Set([1, 2, 3]), false)).toBeUndefined();
  });
  it('drops a dead follower from the ISR (partitionEpoch only)', () => {
    expect(electPartition(s, new Set([1, 2]), false)).toMatchObject({ leader: 1, leaderEpoch: 4, partitionEpoch: 10, isr: [1, 2] });
  });
  it('elects the first live ISR member in replica order when the leader dies', () => {
    expect(electPartition({ ...s, isr: [1, 3, 2] }, new Set([2, 3]), false)).toMatchObject({ leader: 2, leaderEpoch: 5, partitionEpoch: 10, isr: [3, 2] });
  });
  it('goes offline keeping the last ISR, and re-elects it cleanly when it returns', () => {
    const off = electPartition({ ...s, isr: [1] }, new Set([2, 3]), false)!;
    expect(off).toMatchObject({ leader: -1, leaderEpoch: 5, isr: [1] });
    expect(electPartition(off, new Set([2, 3]), false)).toBeUndefined();
    expect(electPartition(off, new Set([1, 2, 3]), false)).toMatchObject({ leader: 1, leaderEpoch: 6, isr: [1] });
  });
  it('unclean: any live replica leads, the ISR restarts from it', () => {
    expect(electPartition({ ...s, isr: [1] }, new Set([3]), true)).toMatchObject({ leader: 3, leaderEpoch: 5, isr: [3] });
  });
});
