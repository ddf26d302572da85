// Shared by the group API handlers: the broker's GroupCoordinator (from the services slot) and the
// request facts the coordinator records about a member (client id, host, API version).
import type { GroupCoordinator, RequestMeta } from '@mq/groups';
import type { RequestContext } from '../handler';

/** The coordinator, or undefined while the broker runs without one (answered COORDINATOR_NOT_AVAILABLE). */
export function coordinatorOf(ctx: RequestContext): GroupCoordinator | undefined {
  return ctx.broker.groups as GroupCoordinator | undefined;
}

export function requestMeta(ctx: RequestContext): RequestMeta {
  return { apiVersion: ctx.apiVersion, clientId: ctx.clientId ?? '', clientHost: `/${ctx.connection.remoteAddress}` };
}
