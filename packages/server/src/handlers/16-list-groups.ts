// ListGroups (key 16), versions 0-5 (flexible 3+). v4 filters by state (case-insensitive), v5 by
// group type ("classic", or "consumer" for KIP-848 groups).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type ListGroupsRequest = RequestBodyFor<typeof ApiKey.ListGroups>;

type ListGroupsResponse = ResponseInputFor<typeof ApiKey.ListGroups>;

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = groups.listGroups(req.statesFilter ?? [], req.typesFilter ?? []);
    return { throttleTimeMs: 0, errorCode: res.errorCode, groups: res.groups };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, groups: [] };
  },
});
