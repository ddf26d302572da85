// Heartbeat (key 12), versions 0-4 (flexible 4+). Resets the member's session timer (an operation on
// the group's shard loop, behind any JoinGroup / SyncGroup being written); answers
// REBALANCE_IN_PROGRESS while the group prepares a rebalance, so the member rejoins.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type HeartbeatRequest = RequestBodyFor<typeof ApiKey.Heartbeat>;

type HeartbeatResponse = ResponseInputFor<typeof ApiKey.Heartbeat>;

export const heartbeatHandler = defineHandler<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    return { throttleTimeMs: 0, errorCode: await groups.heartbeat(req) };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode };
  },
});
