// JoinGroup (key 11), versions 0-9 (flexible 6+). From v4 a member without id first gets
// MEMBER_ID_REQUIRED with its id (KIP-394); v5 adds static membership (group.instance.id); v9
// sets skipAssignment for a static leader that rejoins without a rebalance (KIP-814).
// The response waits for the join phase of the rebalance. Not implemented: the reason (v8) is
// only logged.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf, requestMeta } from './group-coordinator-of';

type JoinGroupRequest = RequestBodyFor<typeof ApiKey.JoinGroup>;

type JoinGroupResponse = ResponseInputFor<typeof ApiKey.JoinGroup>;

export const joinGroupHandler = defineHandler<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    if (req.reason) ctx.logger.debug({ groupId: req.groupId, reason: req.reason }, 'join group');
    const res = await groups.joinGroup(req, requestMeta(ctx));
    // protocolName is nullable only from v7: older versions carry "" for "none yet".
    return { throttleTimeMs: 0, ...res, protocolName: res.protocolName ?? (ctx.apiVersion < 7 ? '' : null) };
  },
  errorResponse(req, errorCode, ctx) {
    return {
      throttleTimeMs: 0,
      errorCode,
      generationId: -1,
      protocolType: null,
      protocolName: ctx.apiVersion < 7 ? '' : null,
      leader: '',
      skipAssignment: false,
      memberId: req.memberId,
      members: [],
    };
  },
});
