// A literal ALLOW binding for any host, the shape every HTTP-authorization test grants its users.
import { type AclOperation, AclPermissionType, PatternType, type ResourceType } from '@mq/protocol';

type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];
type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];

export function allowBinding(resourceType: ResourceTypeCode, resourceName: string, operation: AclOperationCode, principal: string) {
  return { resourceType, resourceName, patternType: PatternType.LITERAL, principal, host: '*', operation, permissionType: AclPermissionType.ALLOW };
}
