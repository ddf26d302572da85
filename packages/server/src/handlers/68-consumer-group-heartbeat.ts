// ConsumerGroupHeartbeat (key 68), versions 0-1 (flexible 0+): the KIP-848 consumer protocol with
// server-side assignment ("uniform" = sticky, or "range"). v1 members bring their own UUID.
// The group's state is stored in __consumer_offsets before the answer (restored on restart).
// subscribedTopicRegex (v1) is an RE2 pattern matched against whole topic names; '' means none.
// Not implemented: rack-aware assignment.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf, requestMeta } from './group-coordinator-of';

type ConsumerGroupHeartbeatRequest = RequestBodyFor<typeof ApiKey.ConsumerGroupHeartbeat>;

type ConsumerGroupHeartbeatResponse = ResponseInputFor<typeof ApiKey.ConsumerGroupHeartbeat>;

export const consumerGroupHeartbeatHandler = defineHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>({
  apiKey: ApiKey.ConsumerGroupHeartbeat,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await groups.consumerGroupHeartbeat(req, requestMeta(ctx));
    return { throttleTimeMs: 0, ...res };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  },
});
