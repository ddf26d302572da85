// OffsetFetch (key 9), versions 0-9 (flexible 6+). topics null (v2+) fetches every committed
// partition of the group; v8+ batches groups. Partitions without a commit answer offset -1.
// requireStable (v7+) never waits: no transactional offset commits exist here. Not implemented:
// v10 (topics by id); v9's memberId/memberEpoch are ignored (classic groups only).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import type { OffsetFetchGroupResponse } from '@mq/groups';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type Topics = { name: string; partitionIndexes: number[] }[] | null;

type OffsetFetchRequest = RequestBodyFor<typeof ApiKey.OffsetFetch>;

type OffsetFetchResponse = ResponseInputFor<typeof ApiKey.OffsetFetch>;

/** Before v2 there is no top-level error: a group-level error goes into every partition. */
function pushDownError(g: OffsetFetchGroupResponse, topics: Topics): OffsetFetchGroupResponse['topics'] {
  return (topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: g.errorCode })),
  }));
}

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const requireStable = req.requireStable ?? false;
    if (ctx.apiVersion >= 8) {
      const results = (req.groups ?? []).map((g) => groups.fetchOffsets({ groupId: g.groupId, topics: g.topics, requireStable }));
      return { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups: results };
    }
    const topics = req.topics ?? null;
    const g = groups.fetchOffsets({ groupId: req.groupId ?? '', topics, requireStable });
    if (ctx.apiVersion < 2 && g.errorCode !== ErrorCode.NONE) {
      return { throttleTimeMs: 0, topics: pushDownError(g, topics), errorCode: ErrorCode.NONE, groups: [] };
    }
    return { throttleTimeMs: 0, topics: g.topics, errorCode: g.errorCode, groups: [] };
  },
  errorResponse(req, errorCode, ctx) {
    if (ctx.apiVersion >= 8) {
      return { throttleTimeMs: 0, topics: [], errorCode, groups: (req.groups ?? []).map((g) => ({ groupId: g.groupId, topics: [], errorCode })) };
    }
    const g = { groupId: req.groupId ?? '', topics: [], errorCode };
    return { throttleTimeMs: 0, topics: ctx.apiVersion < 2 ? pushDownError(g, req.topics ?? null) : [], errorCode, groups: [] };
  },
});
