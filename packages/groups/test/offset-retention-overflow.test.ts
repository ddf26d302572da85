// OffsetCommit v2-4 retention_time_ms is any int64: a value near Long.MAX_VALUE must commit (the
// expiry saturates) instead of overflowing the offset record's int64 field and failing the commit.
// Found by the every-API fuzz (tests/compat/test/fuzz-every-api.test.ts, MQ_FUZZ_SEED=7).
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import { newCoordinator } from './helpers';

describe('OffsetCommit retention_time_ms', () => {
  it('Long.MAX_VALUE commits, and the offset is fetched back', async () => {
    const { coordinator: c } = await newCoordinator();
    const res = await c.commitOffsets(
      {
        groupId: 'g',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: null }] }],
      },
      9223372036854775807n,
    );
    expect(res.topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    const fetched = c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: false });
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(7n);
  });
});
