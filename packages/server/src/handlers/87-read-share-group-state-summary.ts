// ReadShareGroupStateSummary (key 87), version 0 (flexible): the persister API's read for the
// offsets admin (KIP-932). The group's coordinator answers DescribeShareGroupOffsets by asking the
// share coordinator of each share-partition (the leader of the __share_group_state partition its
// key hashes to) for its start offset. Unlike ReadShareGroupState it claims nothing: LeaderEpoch is
// not a leader's and fences no one. A partition not led here answers NOT_COORDINATOR, one still
// loading COORDINATOR_LOAD_IN_PROGRESS (the asker retries). Without state: StartOffset -1.
import { ApiKey, ErrorCode, type ReadShareGroupStateSummaryRequest, type ReadShareGroupStateSummaryResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';
import { eachStatePartition } from './share-state-partitions';

export const readShareGroupStateSummaryHandler = defineHandler<ReadShareGroupStateSummaryRequest, ReadShareGroupStateSummaryResponse>({
  apiKey: ApiKey.ReadShareGroupStateSummary,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const results = await eachStatePartition(
      req.topics,
      async (topicId, p) => {
        const summary = await share.readStateSummary({ groupId: req.groupId, topicId, partition: p.partition });
        return { partition: p.partition, errorCode: ErrorCode.NONE, errorMessage: null, stateEpoch: summary?.stateEpoch ?? 0, startOffset: summary?.startOffset ?? -1n };
      },
      (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage, stateEpoch: 0, startOffset: -1n }),
    );
    return { results };
  },
  errorResponse(req, errorCode) {
    return {
      results: req.topics.map((t) => ({
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, errorMessage: null, stateEpoch: 0, startOffset: -1n })),
      })),
    };
  },
});
