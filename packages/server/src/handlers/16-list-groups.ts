// ListGroups (key 16), versions 0-5 (flexible 3+). v4 filters by state (case-insensitive), v5 by
// group type ("classic", "consumer" for KIP-848 groups, "share" for KIP-932 share groups). In a
// cluster a share group is listed by its coordinator only (the broker leading its __consumer_offsets
// partition), as classic and consumer groups are.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';
import { shareCoordinatorOf, shareGroupCoordination } from './share-coordinator-of';

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
    const states = new Set((req.statesFilter ?? []).map((s) => s.toLowerCase()));
    const types = new Set((req.typesFilter ?? []).map((s) => s.toLowerCase()));
    const share = shareCoordinatorOf(ctx);
    const shares = share === undefined || (types.size > 0 && !types.has('share')) ? [] : share.listGroups();
    const listed = shares
      // In a cluster each broker lists the share groups it coordinates: asking every broker lists each once.
      .filter((g) => shareGroupCoordination(ctx, share!, g.groupId) === ErrorCode.NONE)
      .filter((g) => states.size === 0 || states.has(g.groupState.toLowerCase()))
      .map((g) => ({ groupId: g.groupId, protocolType: 'share', groupState: g.groupState, groupType: 'share' }));
    return { throttleTimeMs: 0, errorCode: res.errorCode, groups: [...res.groups, ...listed] };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, groups: [] };
  },
});
