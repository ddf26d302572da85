// DeleteShareGroupOffsets (key 92), version 0 (flexible): drops an empty share group's state for
// whole topics (tombstones in __share_group_state); NON_EMPTY_GROUP while it has members,
// GROUP_ID_NOT_FOUND for unknown groups, UNKNOWN_TOPIC_OR_PARTITION per unknown topic. In a
// cluster the group's coordinator answers (NOT_COORDINATOR elsewhere) and every leader of the
// topic's partitions drops its share-partitions (forwarded with mq's forwardedByCoordinator tag:
// the partitions led there, without the membership check, which is the coordinator's).
import { ApiKey, ErrorCode, type DeleteShareGroupOffsetsRequest, type DeleteShareGroupOffsetsResponse } from '@mq/protocol';
import { ShareOffsetsAdmin } from '@mq/share';
import { defineHandler } from '../handler';
import { shareCoordinatorOf, shareGroupCoordination } from './share-coordinator-of';

export const deleteShareGroupOffsetsHandler = defineHandler<DeleteShareGroupOffsetsRequest, DeleteShareGroupOffsetsResponse>({
  apiKey: ApiKey.DeleteShareGroupOffsets,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const admin = new ShareOffsetsAdmin(share, ctx.broker.topics);
    const forwarded = req.forwardedByCoordinator >= 0;
    const coordination = forwarded ? ErrorCode.NONE : shareGroupCoordination(ctx, share, req.groupId);
    if (coordination !== ErrorCode.NONE) return this.errorResponse(req, coordination, ctx);
    const topicNames = req.topics.map((t) => t.topicName);
    const res = forwarded ? await admin.deleteLed(req.groupId, topicNames) : await admin.delete(req.groupId, topicNames);
    return { throttleTimeMs: 0, errorCode: res.errorCode, errorMessage: res.errorMessage, responses: res.topics };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, responses: [] };
  },
});
