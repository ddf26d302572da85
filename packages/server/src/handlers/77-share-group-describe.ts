// ShareGroupDescribe (key 77), version 1 (flexible): state, epochs, assignor and members (with
// their assignments, topic names included) of share groups; GROUP_ID_NOT_FOUND for unknown ids
// and for ids of classic or consumer groups; in a cluster NOT_COORDINATOR for a group another broker
// coordinates (its membership lives there).
// Not implemented: authorized operations (always -2147483648: not requested / no ACLs).
import { ApiKey, ErrorCode, type ShareGroupDescribeRequest, type ShareGroupDescribeResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf, shareGroupCoordination } from './share-coordinator-of';

const AUTHORIZED_OPS_NOT_REQUESTED = -2147483648;

export const shareGroupDescribeHandler = defineHandler<ShareGroupDescribeRequest, ShareGroupDescribeResponse>({
  apiKey: ApiKey.ShareGroupDescribe,
  minVersion: 1,
  maxVersion: 1,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const groups = share.describeGroups(req.groupIds).map((g) => {
      const coordination = shareGroupCoordination(ctx, share, g.groupId);
      return coordination === ErrorCode.NONE ? { ...g, authorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED } : failedGroup(g.groupId, coordination);
    });
    return { throttleTimeMs: 0, groups };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      groups: req.groupIds.map((groupId) => failedGroup(groupId, errorCode)),
    };
  },
});

function failedGroup(groupId: string, errorCode: number) {
  return { errorCode, errorMessage: null, groupId, groupState: '', groupEpoch: -1, assignmentEpoch: -1, assignorName: '', members: [], authorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED };
}
