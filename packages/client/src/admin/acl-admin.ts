// ACL administration (CreateAcls / DescribeAcls / DeleteAcls): bindings and filters in Kafka's
// wire codes (@mq/protocol's ResourceType, PatternType, AclOperation, AclPermissionType).
import {
  AclOperation,
  type AclOperationCode,
  AclPermissionType,
  type AclPermissionTypeCode,
  ApiKey,
  ErrorCode,
  KafkaError,
  PatternType,
  type PatternTypeCode,
  ResourceType,
  type ResourceTypeCode,
} from '@mq/protocol';
import type { Cluster } from '../cluster';
import { InvalidArgumentError } from '../errors';

export interface AclBinding {
  readonly resourceType: ResourceTypeCode;
  readonly resourceName: string;
  /** LITERAL or PREFIXED. */
  readonly patternType: PatternTypeCode;
  /** `User:alice`, `User:*`. */
  readonly principal: string;
  /** A client address or `*`. */
  readonly host: string;
  readonly operation: AclOperationCode;
  readonly permissionType: AclPermissionTypeCode;
}

/** Unset fields match anything (ANY / null); patternType MATCH selects what applies to a resource name. */
export interface AclFilter {
  readonly resourceType?: ResourceTypeCode;
  readonly resourceName?: string | null;
  readonly patternType?: PatternTypeCode;
  readonly principal?: string | null;
  readonly host?: string | null;
  readonly operation?: AclOperationCode;
  readonly permissionType?: AclPermissionTypeCode;
}

function wireFilter(f: AclFilter) {
  return {
    resourceTypeFilter: f.resourceType ?? ResourceType.ANY,
    resourceNameFilter: f.resourceName ?? null,
    patternTypeFilter: f.patternType ?? PatternType.ANY,
    principalFilter: f.principal ?? null,
    hostFilter: f.host ?? null,
    operation: f.operation ?? AclOperation.ANY,
    permissionType: f.permissionType ?? AclPermissionType.ANY,
  };
}

function fail(errorCode: number, message: string | null | undefined, what: string): never {
  throw new KafkaError(errorCode, `${what}: ${message ?? new KafkaError(errorCode).message}`);
}

/** Creates every binding in one request; throws the first refusal (the others are still created). */
export async function createAcls(cluster: Cluster, bindings: readonly AclBinding[]): Promise<void> {
  if (bindings.length === 0) throw new InvalidArgumentError('no ACL bindings given');
  const res = await cluster.requestAny(ApiKey.CreateAcls, {
    creations: bindings.map((b) => ({
      resourceType: b.resourceType,
      resourceName: b.resourceName,
      resourcePatternType: b.patternType,
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permissionType,
    })),
  });
  res.results.forEach((r, i) => {
    if (r.errorCode !== ErrorCode.NONE) fail(r.errorCode, r.errorMessage, `create ACL #${i + 1}`);
  });
}

export async function describeAcls(cluster: Cluster, filter: AclFilter = {}): Promise<AclBinding[]> {
  const res = await cluster.requestAny(ApiKey.DescribeAcls, wireFilter(filter));
  if (res.errorCode !== ErrorCode.NONE) fail(res.errorCode, res.errorMessage, 'describe ACLs');
  return res.resources.flatMap((r) =>
    r.acls.map((a) => ({
      resourceType: r.resourceType as ResourceTypeCode,
      resourceName: r.resourceName,
      patternType: r.patternType as PatternTypeCode,
      principal: a.principal,
      host: a.host,
      operation: a.operation as AclOperationCode,
      permissionType: a.permissionType as AclPermissionTypeCode,
    })),
  );
}

/** Deletes what each filter matches; returns the deleted bindings, per filter. */
export async function deleteAcls(cluster: Cluster, filters: readonly AclFilter[]): Promise<AclBinding[][]> {
  if (filters.length === 0) throw new InvalidArgumentError('no ACL filters given');
  const res = await cluster.requestAny(ApiKey.DeleteAcls, { filters: filters.map(wireFilter) });
  return res.filterResults.map((r, i) => {
    if (r.errorCode !== ErrorCode.NONE) fail(r.errorCode, r.errorMessage, `delete ACLs (filter #${i + 1})`);
    return r.matchingAcls.map((a) => ({
      resourceType: a.resourceType as ResourceTypeCode,
      resourceName: a.resourceName,
      patternType: a.patternType as PatternTypeCode,
      principal: a.principal,
      host: a.host,
      operation: a.operation as AclOperationCode,
      permissionType: a.permissionType as AclPermissionTypeCode,
    }));
  });
}
