// Shared by the share-group API handlers: the broker's ShareCoordinator (from the services slot)
// and the request facts a member's description carries.
import type { RequestMeta, ShareCoordinator } from '@mq/share';
import type { RequestContext } from '../handler';

/** The share coordinator, or undefined while the broker runs without one (answered COORDINATOR_NOT_AVAILABLE). */
export function shareCoordinatorOf(ctx: RequestContext): ShareCoordinator | undefined {
  return ctx.broker.share as ShareCoordinator | undefined;
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
