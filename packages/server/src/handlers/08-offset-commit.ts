// OffsetCommit (key 8), versions 0-9 (flexible 8+). v0 and generation -1 are "simple" commits
// (allowed only while the group has no members); otherwise generation and member are checked
// (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS). Per
// partition: UNKNOWN_TOPIC_OR_PARTITION, OFFSET_METADATA_TOO_LARGE. v2-4 retentionTimeMs sets
// an expiry per offset. Not implemented: v10 (topics by id); v1's commitTimestamp is replaced by now.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type OffsetCommitRequest = RequestBodyFor<typeof ApiKey.OffsetCommit>;

type OffsetCommitResponse = ResponseInputFor<typeof ApiKey.OffsetCommit>;

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await groups.commitOffsets(req, req.retentionTimeMs);
    return { throttleTimeMs: 0, topics: res.topics };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    };
  },
});
