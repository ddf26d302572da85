// Shared by the share-group API handlers: the broker's ShareCoordinator (from the services slot)
// and the request facts a member's description carries.
import { ErrorCode } from '@mq/protocol';
import type { RequestMeta, ShareCoordinator } from '@mq/share';
import type { RequestContext } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

/** The share coordinator, or undefined while the broker runs without one (answered COORDINATOR_NOT_AVAILABLE). */
export function shareCoordinatorOf(ctx: RequestContext): ShareCoordinator | undefined {
  return ctx.broker.share as ShareCoordinator | undefined;
}

/**
 * NONE when this broker coordinates the share group: always on one node; in a cluster when it leads
 * the group's __consumer_offsets partition (FindCoordinator's answer), else NOT_COORDINATOR /
 * COORDINATOR_LOAD_IN_PROGRESS. Membership lives only there, so only there is the group listed.
 */
export function shareGroupCoordination(ctx: RequestContext, share: ShareCoordinator, groupId: string): number {
  if (!share.clustered) return ErrorCode.NONE;
  return coordinatorOf(ctx)?.coordinatorStatus(groupId) ?? ErrorCode.COORDINATOR_NOT_AVAILABLE;
}

export function shareRequestMeta(ctx: RequestContext): RequestMeta {
  return { clientId: ctx.clientId ?? '', clientHost: `/${ctx.connection.remoteAddress}` };
}

/** The partition's leader as ShareFetch / ShareAcknowledge report it: the replication's view in a cluster, else this broker. */
export function currentLeader(ctx: RequestContext, topicId: string, partitionIndex: number): { leaderId: number; leaderEpoch: number } {
  const replication = ctx.broker.replication;
  const topic = ctx.broker.topics.getById(topicId)?.name;
  if (replication !== undefined && topic !== undefined) return replication.currentLeader(topic, partitionIndex);
  return { leaderId: ctx.broker.nodeId, leaderEpoch: ctx.broker.topics.getById(topicId)?.partition(partitionIndex)?.leaderEpoch ?? -1 };
}
