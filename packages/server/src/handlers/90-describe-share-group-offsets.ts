// DescribeShareGroupOffsets (key 90), version 0 (flexible): each share-partition's start offset
// (SPSO; -1 without state) for share groups; topics null = every topic the group has state for.
// In a cluster each start offset is read at its share-partition's share coordinator (ReadShareGroupStateSummary,
// 87). Not implemented: leader epochs (always -1).
import { ApiKey, ErrorCode, type DescribeShareGroupOffsetsRequest, type DescribeShareGroupOffsetsResponse } from '@mq/protocol';
import { ShareOffsetsAdmin } from '@mq/share';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';

export const describeShareGroupOffsetsHandler = defineHandler<DescribeShareGroupOffsetsRequest, DescribeShareGroupOffsetsResponse>({
  apiKey: ApiKey.DescribeShareGroupOffsets,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const admin = new ShareOffsetsAdmin(share, ctx.broker.topics);
    const groups = [];
    for (const g of req.groups) {
      const res = await admin.describe(g.groupId, g.topics);
      groups.push({
        groupId: g.groupId,
        errorCode: res.errorCode,
        errorMessage: res.errorMessage,
        topics: res.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, leaderEpoch: -1 })) })),
      });
    }
    return { throttleTimeMs: 0, groups };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => ({ groupId: g.groupId, errorCode, errorMessage: null, topics: [] })) };
  },
});
