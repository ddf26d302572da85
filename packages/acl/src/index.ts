// @mq/acl public API: Kafka's ACL model (bindings, filters, implied operations), the authorizer
// with its index, the broker keys that configure it, and the store on the metadata entries seam.
export {
  AclOperation,
  AclPermissionType,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  ResourceType,
  SUPPORTED_OPERATIONS,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  operationName,
  parseOperation,
  parsePatternType,
  parsePermissionType,
  parseResourceType,
  patternTypeName,
  permissionTypeName,
  resourceTypeName,
  type AclOperationCode,
  type AclPermissionTypeCode,
  type PatternTypeCode,
  type ResourceTypeCode,
} from './acl-codes';
export { type AclBinding, bindingKey, decodeBinding, describeBinding, encodeBinding, isValidPrincipal, validateBinding } from './acl-binding';
export { ANY_BINDING, type AclBindingFilter, filterMatches, validateFilter } from './acl-binding-filter';
export { allowGrants, denyCovers } from './implied-operations';
export { AclIndex } from './acl-index';
export { type AclEntryChange, type AuthorizableRequest, type AuthorizerOptions, StandardAuthorizer, aclHost } from './standard-authorizer';
export { AUTHORIZER_CLASS_NAMES, authorizerEnabled, parseSuperUsers } from './authorizer-config';
export { ACL_NAMESPACE, type AclCreateResult, type AclDeleteResult, AclStore } from './acl-store';
