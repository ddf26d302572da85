// AlterShareGroupOffsets (key 91), version 0 (flexible): moves share-partition start offsets of
// an empty share group (NON_EMPTY_GROUP while it has members); offsets outside 0..high watermark
// are INVALID_REQUEST per partition. The group is created (Empty) when it did not exist.
import { ApiKey, ErrorCode, type AlterShareGroupOffsetsRequest, type AlterShareGroupOffsetsResponse } from '@mq/protocol';
import { ShareOffsetsAdmin } from '@mq/share';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';

export const alterShareGroupOffsetsHandler = defineHandler<AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse>({
  apiKey: ApiKey.AlterShareGroupOffsets,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await new ShareOffsetsAdmin(share, ctx.broker.topics).alter(req.groupId, req.topics);
    return { throttleTimeMs: 0, errorCode: res.errorCode, errorMessage: res.errorMessage, responses: res.topics };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, responses: [] };
  },
});
