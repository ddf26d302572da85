// DeleteGroups (key 42), versions 0-2 (flexible 2+). Only Empty groups may be deleted
// (NON_EMPTY_GROUP otherwise; GROUP_ID_NOT_FOUND for unknown ones); their offsets and metadata get
// tombstones in __consumer_offsets. Share groups are deleted by @mq/share (their
// __share_group_state with them), under the same rules.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';
import { shareCoordinatorOf, shareGroupCoordination } from './share-coordinator-of';

type DeleteGroupsRequest = RequestBodyFor<typeof ApiKey.DeleteGroups>;

type DeleteGroupsResponse = ResponseInputFor<typeof ApiKey.DeleteGroups>;

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const share = shareCoordinatorOf(ctx);
    // In a cluster a share group is its coordinator's to delete; elsewhere the classic path answers NOT_COORDINATOR.
    const isShare = (groupId: string) => share?.hasGroup(groupId) === true && shareGroupCoordination(ctx, share, groupId) === ErrorCode.NONE;
    const classic = await groups.deleteGroups(req.groupsNames.filter((g) => !isShare(g)));
    const byId = new Map(classic.map((r) => [r.groupId, r]));
    const results = [];
    for (const groupId of req.groupsNames) {
      results.push(isShare(groupId) && share !== undefined ? { groupId, errorCode: await share.deleteGroup(groupId) } : (byId.get(groupId) ?? { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND }));
    }
    return { throttleTimeMs: 0, results };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, results: req.groupsNames.map((groupId) => ({ groupId, errorCode })) };
  },
});
