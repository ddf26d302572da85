// AlterShareGroupOffsets (key 91), version 0 (flexible): moves share-partition start offsets of
// an empty share group (NON_EMPTY_GROUP while it has members); offsets outside 0..high watermark
// are INVALID_REQUEST per partition. The group is created (Empty) when it did not exist.
// In a cluster the group's coordinator answers (NOT_COORDINATOR elsewhere): it checks the group is
// empty and each share-partition's leader applies the change — this broker, or the leader it
// forwards to with mq's forwardedByCoordinator tag (then only the partitions led here are applied,
// the others NOT_LEADER_OR_FOLLOWER, and the membership check is the coordinator's).
import { ApiKey, ErrorCode, type AlterShareGroupOffsetsRequest, type AlterShareGroupOffsetsResponse } from '@mq/protocol';
import { ShareOffsetsAdmin } from '@mq/share';
import { defineHandler } from '../handler';
import { shareCoordinatorOf, shareGroupCoordination } from './share-coordinator-of';

export const alterShareGroupOffsetsHandler = defineHandler<AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse>({
  apiKey: ApiKey.AlterShareGroupOffsets,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const admin = new ShareOffsetsAdmin(share, ctx.broker.topics);
    const forwarded = req.forwardedByCoordinator >= 0;
    const coordination = forwarded ? ErrorCode.NONE : shareGroupCoordination(ctx, share, req.groupId);
    if (coordination !== ErrorCode.NONE) return this.errorResponse(req, coordination, ctx);
    const res = forwarded ? await admin.alterLed(req.groupId, req.topics) : await admin.alter(req.groupId, req.topics);
    return { throttleTimeMs: 0, errorCode: res.errorCode, errorMessage: res.errorMessage, responses: res.topics };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, responses: [] };
  },
});
