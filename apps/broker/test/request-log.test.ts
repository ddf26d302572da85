// errorCounts: what the debug request log reports of an answer — every non-zero errorCode at the
// top level and in nested topic / partition arrays, by name; record bytes are not walked.
import { ErrorCode } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import { errorCounts } from '../src/request-log';

describe('errorCounts', () => {
  it('counts top-level and nested errors by name and skips zero codes and byte fields', () => {
    const produce = {
      responses: [
        { name: 'a', partitionResponses: [{ index: 0, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }, { index: 1, errorCode: ErrorCode.NONE }] },
        { name: 'b', partitionResponses: [{ index: 0, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }, { index: 1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      ],
    };
    expect(Object.fromEntries(errorCounts(produce))).toEqual({ NOT_LEADER_OR_FOLLOWER: 2, UNKNOWN_TOPIC_OR_PARTITION: 1 });
    expect(Object.fromEntries(errorCounts({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] }))).toEqual({ COORDINATOR_NOT_AVAILABLE: 1 });
    expect(errorCounts({ errorCode: ErrorCode.NONE, topics: [{ errorCode: ErrorCode.NONE, records: Buffer.from([0, 1, 2]) }] }).size).toBe(0);
  });
});
