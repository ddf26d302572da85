// LeaveGroup (key 13), versions 0-5 (flexible 4+). v0-2 name one member (its error is the
// top-level error); v3+ leave in batches with per-member errors, and static members may be
// removed by group.instance.id alone (KIP-345). The reason (v5) is only logged.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type LeaveGroupRequest = RequestBodyFor<typeof ApiKey.LeaveGroup>;

type LeaveGroupResponse = ResponseInputFor<typeof ApiKey.LeaveGroup>;

export const leaveGroupHandler = defineHandler<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const batched = ctx.apiVersion >= 3;
    const members = batched ? req.members : [{ memberId: req.memberId, groupInstanceId: null }];
    const res = await groups.leaveGroup({ groupId: req.groupId, members });
    if (batched) return { throttleTimeMs: 0, ...res };
    return { throttleTimeMs: 0, errorCode: res.errorCode !== ErrorCode.NONE ? res.errorCode : (res.members[0]?.errorCode ?? ErrorCode.NONE), members: [] };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, members: [] };
  },
});
