// One HTTP request's view of the broker's authorizer (the Kafka listeners' StandardAuthorizer, the
// same ACLs): who asks (the authenticated principal, the client address) and checks named after
// Kafka's resources. A refusal is a 403 led by the Kafka error the Kafka API would answer.
import { type AclOperationCode, type AclStore, CLUSTER_RESOURCE_NAME, ResourceType, type ResourceTypeCode, aclHost, operationName } from '@mq/acl';
import { HttpError, type HttpRequest } from '@mq/http';
import { ErrorCode, errorName } from '@mq/protocol';

const REFUSAL: Readonly<Record<number, number>> = {
  [ResourceType.TOPIC]: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  [ResourceType.GROUP]: ErrorCode.GROUP_AUTHORIZATION_FAILED,
  [ResourceType.CLUSTER]: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  [ResourceType.TRANSACTIONAL_ID]: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
};

const NOUN: Readonly<Record<number, string>> = {
  [ResourceType.TOPIC]: 'topic',
  [ResourceType.GROUP]: 'group',
  [ResourceType.CLUSTER]: 'the cluster',
  [ResourceType.TRANSACTIONAL_ID]: 'transactional id',
};

export class HttpAuthz {
  readonly principal: string;
  readonly host: string;

  constructor(
    private readonly acls: AclStore,
    req: HttpRequest,
  ) {
    this.principal = req.principal;
    this.host = aclHost(req.remoteAddress);
  }

  can(operation: AclOperationCode, resourceType: ResourceTypeCode, name: string): boolean {
    return this.acls.authorizer.authorize(this, operation, resourceType, name);
  }

  /** Throws 403 unless the principal may do `operation` on the resource. */
  require(operation: AclOperationCode, resourceType: ResourceTypeCode, name: string): void {
    if (this.can(operation, resourceType, name)) return;
    const what = resourceType === ResourceType.CLUSTER ? NOUN[resourceType] : `${NOUN[resourceType]} ${name}`;
    throw HttpError.forbidden(`${errorName(REFUSAL[resourceType] ?? ErrorCode.CLUSTER_AUTHORIZATION_FAILED)}: ${this.principal} may not ${operationName(operation)} ${what}`);
  }

  cluster(operation: AclOperationCode): void {
    this.require(operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }

  topic(operation: AclOperationCode, name: string): void {
    this.require(operation, ResourceType.TOPIC, name);
  }

  group(operation: AclOperationCode, name: string): void {
    this.require(operation, ResourceType.GROUP, name);
  }
}
