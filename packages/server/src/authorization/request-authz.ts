// One request's view of the authorizer: who asks (the session's principal and client address) and
// the checks the rules make, named after Kafka's resources. A rule (AclRule) is the authorization
// of one API key: it answers refusals itself or passes on what it allows.
import { type AclOperationCode, CLUSTER_RESOURCE_NAME, ResourceType, type ResourceTypeCode, type StandardAuthorizer, aclHost } from '@mq/acl';
import type { Completion } from '../completion';
import type { Body, RequestContext } from '../handler';
import type { RequestCall } from '../request-middleware';

export class RequestAuthz {
  readonly principal: string;
  readonly host: string;

  constructor(
    readonly authorizer: StandardAuthorizer,
    readonly ctx: RequestContext,
  ) {
    this.principal = ctx.session.principal;
    this.host = aclHost(ctx.session.remoteAddress);
  }

  can(operation: AclOperationCode, resourceType: ResourceTypeCode, name: string): boolean {
    return this.authorizer.authorize(this, operation, resourceType, name);
  }

  cluster(operation: AclOperationCode): boolean {
    return this.authorizer.authorize(this, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }

  topic(operation: AclOperationCode, name: string): boolean {
    return this.authorizer.authorize(this, operation, ResourceType.TOPIC, name);
  }

  group(operation: AclOperationCode, groupId: string): boolean {
    return this.authorizer.authorize(this, operation, ResourceType.GROUP, groupId);
  }

  transactionalId(operation: AclOperationCode, id: string): boolean {
    return this.authorizer.authorize(this, operation, ResourceType.TRANSACTIONAL_ID, id);
  }

  /** WRITE on at least one topic, etc. (Kafka's authorizeByResourceType). */
  anyOfType(operation: AclOperationCode, resourceType: ResourceTypeCode): boolean {
    return this.authorizer.authorizeByResourceType(this, operation, resourceType);
  }

  operations(resourceType: ResourceTypeCode, name: string): number {
    return this.authorizer.authorizedOperations(this, resourceType, name);
  }

  /** The name of a topic a request names by id (undefined: unknown id, left to the handler). */
  topicNameOf(topicId: string): string | undefined {
    return this.ctx.broker.topics.getById(topicId)?.name;
  }
}

/** The authorization of one API: refuse, pass on (`next()`), or pass on part (`next(request)`) and merge. */
export type AclRule = (call: RequestCall, authz: RequestAuthz, next: (request?: Body) => Completion<object>) => Completion<object>;
