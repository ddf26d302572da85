// ShareGroupHeartbeat (key 76), version 1 (flexible): KIP-932 share-group membership — join (epoch
// 0, client-chosen member id), heartbeat, leave (-1); the answer carries the broker's assignment
// ("simple": partitions spread over the subscribed members, shared when members outnumber them)
// whenever the member's epoch moves. Membership is in memory: after a restart members rejoin.
// Not implemented: rack-aware assignment, regex subscriptions (no share-group version has them).
import { ApiKey, ErrorCode, type ShareGroupHeartbeatRequest, type ShareGroupHeartbeatResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf, shareGroupCoordination, shareRequestMeta } from './share-coordinator-of';

export const shareGroupHeartbeatHandler = defineHandler<ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse>({
  apiKey: ApiKey.ShareGroupHeartbeat,
  minVersion: 1,
  maxVersion: 1,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    // In a cluster membership lives at the group's coordinator only (NOT_COORDINATOR sends the member there).
    const coordination = shareGroupCoordination(ctx, share, req.groupId);
    if (coordination !== ErrorCode.NONE) return this.errorResponse(req, coordination, ctx);
    const res = share.heartbeat(
      { groupId: req.groupId, memberId: req.memberId, memberEpoch: req.memberEpoch, rackId: req.rackId, subscribedTopicNames: req.subscribedTopicNames },
      shareRequestMeta(ctx),
    );
    return { throttleTimeMs: 0, ...res };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  },
});
