// DescribeGroups (key 15), versions 0-6 (flexible 5+). Unknown groups are described as state
// "Dead" with no error before v6, and answer GROUP_ID_NOT_FOUND from v6 (KIP-1043). Member
// metadata and assignment appear once Stable. Share groups (KIP-932) are described with protocol
// type "share", their state and members (no classic metadata or assignment).
// Not implemented: authorized operations (always -2147483648: not requested / no ACLs).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';
import { shareCoordinatorOf } from './share-coordinator-of';

const AUTHORIZED_OPS_NOT_REQUESTED = -2147483648;

type DescribeGroupsRequest = RequestBodyFor<typeof ApiKey.DescribeGroups>;

type DescribeGroupsResponse = ResponseInputFor<typeof ApiKey.DescribeGroups>;

export const describeGroupsHandler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 6,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const share = shareCoordinatorOf(ctx);
    return {
      throttleTimeMs: 0,
      groups: groups.describeGroups(req.groups).map((described) => {
        // A group this broker does not coordinate keeps its NOT_COORDINATOR (the client asks the coordinator).
        const shared =
          described.errorCode === ErrorCode.NONE && described.groupState === 'Dead' && share?.hasGroup(described.groupId) === true ? share.describeGroups([described.groupId])[0] : undefined;
        const g =
          shared === undefined
            ? described
            : {
                ...described,
                groupState: shared.groupState,
                protocolType: 'share',
                members: shared.members.map((m) => ({
                  memberId: m.memberId,
                  groupInstanceId: null,
                  clientId: m.clientId,
                  clientHost: m.clientHost,
                  memberMetadata: Buffer.alloc(0),
                  memberAssignment: Buffer.alloc(0),
                })),
              };
        const out = { ...g, errorMessage: null as string | null, authorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED };
        if (ctx.apiVersion >= 6 && g.errorCode === ErrorCode.NONE && g.groupState === 'Dead') {
          out.errorCode = ErrorCode.GROUP_ID_NOT_FOUND;
          out.errorMessage = `Group ${g.groupId} not found.`;
        }
        return out;
      }),
    };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((groupId) => ({
        errorCode,
        errorMessage: null,
        groupId,
        groupState: '',
        protocolType: '',
        protocolData: '',
        members: [],
        authorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
      })),
    };
  },
});
