// SyncGroup (key 14), versions 0-5 (flexible 4+). The leader's assignments are stored in
// __consumer_offsets and handed to every member; followers' requests wait for the leader's.
// v5 checks protocolType/protocolName against the group (INCONSISTENT_GROUP_PROTOCOL).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type SyncGroupRequest = RequestBodyFor<typeof ApiKey.SyncGroup>;

type SyncGroupResponse = ResponseInputFor<typeof ApiKey.SyncGroup>;

export const syncGroupHandler = defineHandler<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await groups.syncGroup(req);
    return { throttleTimeMs: 0, ...res };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
  },
});
