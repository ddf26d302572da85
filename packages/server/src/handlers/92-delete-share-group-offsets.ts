// DeleteShareGroupOffsets (key 92), version 0 (flexible): drops an empty share group's state for
// whole topics (tombstones in __share_group_state); NON_EMPTY_GROUP while it has members,
// GROUP_ID_NOT_FOUND for unknown groups, UNKNOWN_TOPIC_OR_PARTITION per unknown topic.
import { ApiKey, ErrorCode, type DeleteShareGroupOffsetsRequest, type DeleteShareGroupOffsetsResponse } from '@mq/protocol';
import { ShareOffsetsAdmin } from '@mq/share';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';

export const deleteShareGroupOffsetsHandler = defineHandler<DeleteShareGroupOffsetsRequest, DeleteShareGroupOffsetsResponse>({
  apiKey: ApiKey.DeleteShareGroupOffsets,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await new ShareOffsetsAdmin(share, ctx.broker.topics).delete(
      req.groupId,
      req.topics.map((t) => t.topicName),
    );
    return { throttleTimeMs: 0, errorCode: res.errorCode, errorMessage: res.errorMessage, responses: res.topics };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, responses: [] };
  },
});
