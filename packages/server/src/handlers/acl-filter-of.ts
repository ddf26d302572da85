// DescribeAcls and DeleteAcls filters as @mq/acl's AclBindingFilter, and bindings back in the
// responses' field names; shared by the three ACL handlers.
import type { AclBinding, AclBindingFilter } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';

export interface WireAclFilter {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

export function aclFilterOf(f: WireAclFilter): AclBindingFilter {
  return {
    resourceType: f.resourceTypeFilter,
    resourceName: f.resourceNameFilter,
    patternType: f.patternTypeFilter,
    principal: f.principalFilter,
    host: f.hostFilter,
    operation: f.operation,
    permissionType: f.permissionType,
  };
}

/** Kafka's message when no authorizer is configured (SECURITY_DISABLED). */
export const NO_AUTHORIZER = { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured on the broker' } as const;

/** The entry half of a binding, as DescribeAcls' acls and DeleteAcls' matching_acls name it. */
export function aclEntryOf(b: AclBinding): { principal: string; host: string; operation: number; permissionType: number } {
  return { principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType };
}
