// A literal ALLOW binding for any host, the shape every HTTP-authorization test grants its users (and kafkajs's shape of it).
import { type AclOperation, AclPermissionType, PatternType, type ResourceType } from '@mq/protocol';
import { type AclEntry, type AclOperationTypes, AclPermissionTypes, type AclResourceTypes, ResourcePatternTypes } from 'kafkajs';

type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];
type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];

export function allowBinding(resourceType: ResourceTypeCode, resourceName: string, operation: AclOperationCode, principal: string) {
  return { resourceType, resourceName, patternType: PatternType.LITERAL, principal, host: '*', operation, permissionType: AclPermissionType.ALLOW };
}

/** The same ALLOW, as kafkajs's admin.createAcls takes it; LITERAL unless told. */
export function kafkajsAllow(resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes, principal: string, patternType: ResourcePatternTypes = ResourcePatternTypes.LITERAL): AclEntry {
  return { resourceType, resourceName, resourcePatternType: patternType, principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW };
}
