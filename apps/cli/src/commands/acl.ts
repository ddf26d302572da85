// `mq acl create|list|delete`: ACLs with kafka-acls' flags (--allow-principal / --deny-principal,
// --allow-host / --deny-host, --operation, --topic / --group / --cluster / --transactional-id,
// --resource-pattern-type). create adds every principal × host × operation × resource combination,
// as kafka-acls --add does; delete needs a resource, so a bare `mq acl delete` cannot wipe them all.
import type { AclBinding, AclFilter } from '@mq/client';
import {
  AclPermissionType,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  type PatternTypeCode,
  ResourceType,
  type ResourceTypeCode,
  operationName,
  parseOperation,
  parsePatternType,
  patternTypeName,
  permissionTypeName,
  resourceTypeName,
  type AclOperationCode,
} from '@mq/protocol';
import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import type { CliContext } from '../context';

interface AclOptions {
  allowPrincipal: string[];
  denyPrincipal: string[];
  allowHost: string[];
  denyHost: string[];
  principal?: string;
  operation: string[];
  topic: string[];
  group: string[];
  cluster?: boolean;
  transactionalId: string[];
  resourcePatternType?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function withAclFlags(cmd: Command, forCreate: boolean): Command {
  return cmd
    .option('--allow-principal <principal>', 'principal to allow, e.g. User:alice (repeatable)', collect, [])
    .option('--deny-principal <principal>', 'principal to deny (repeatable)', collect, [])
    .option('--allow-host <host>', `host the allow applies to (repeatable; default *)`, collect, [])
    .option('--deny-host <host>', 'host the deny applies to (repeatable; default *)', collect, [])
    .option('--operation <op>', `Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All (repeatable${forCreate ? '; default All' : ''})`, collect, [])
    .option('--topic <name>', 'a topic (repeatable)', collect, [])
    .option('--group <id>', 'a consumer group (repeatable)', collect, [])
    .option('--cluster', 'the cluster')
    .option('--transactional-id <id>', 'a transactional id (repeatable)', collect, [])
    .option('--resource-pattern-type <type>', forCreate ? 'literal or prefixed (default literal)' : 'any, match, literal or prefixed (default literal with a resource, else any)');
}

function resourcesOf(o: AclOptions): { resourceType: ResourceTypeCode; resourceName: string }[] {
  return [
    ...o.topic.map((resourceName) => ({ resourceType: ResourceType.TOPIC, resourceName })),
    ...o.group.map((resourceName) => ({ resourceType: ResourceType.GROUP, resourceName })),
    ...(o.cluster === true ? [{ resourceType: ResourceType.CLUSTER, resourceName: CLUSTER_RESOURCE_NAME }] : []),
    ...o.transactionalId.map((resourceName) => ({ resourceType: ResourceType.TRANSACTIONAL_ID, resourceName })),
  ];
}

function operationsOf(o: AclOptions, fallback: AclOperationCode[]): AclOperationCode[] {
  if (o.operation.length === 0) return fallback;
  return o.operation.map((name) => {
    const op = parseOperation(name);
    if (op === undefined || op === 0 || op === 1) throw new UsageError(`unknown operation: ${name}`);
    return op;
  });
}

function patternOf(o: AclOptions, fallback: PatternTypeCode, allowed: readonly PatternTypeCode[]): PatternTypeCode {
  if (o.resourcePatternType === undefined) return fallback;
  const p = parsePatternType(o.resourcePatternType);
  if (p === undefined || !allowed.includes(p)) {
    throw new UsageError(`--resource-pattern-type must be one of ${allowed.map((x) => patternTypeName(x).toLowerCase()).join(', ')}, not ${o.resourcePatternType}`);
  }
  return p;
}

function checkPrincipal(p: string): string {
  const colon = p.indexOf(':');
  if (colon <= 0 || colon === p.length - 1) throw new UsageError(`a principal is Type:name (User:alice), not ${p}`);
  return p;
}

function rowOf(b: AclBinding) {
  return {
    resourceType: resourceTypeName(b.resourceType),
    patternType: patternTypeName(b.patternType),
    resourceName: b.resourceName,
    principal: b.principal,
    host: b.host,
    operation: operationName(b.operation),
    permission: permissionTypeName(b.permissionType),
  };
}

const COLUMNS = ['resourceType', 'patternType', 'resourceName', 'principal', 'host', 'operation', 'permission'];

/** Filters for list / delete: each resource (or any) × each principal given (or any) × each operation (or any). */
function filtersOf(o: AclOptions): AclFilter[] {
  const resources = resourcesOf(o);
  const patternType = patternOf(o, resources.length === 0 ? PatternType.ANY : PatternType.LITERAL, [PatternType.ANY, PatternType.MATCH, PatternType.LITERAL, PatternType.PREFIXED]);
  const principals: { principal?: string; permissionType?: (typeof AclPermissionType)[keyof typeof AclPermissionType] }[] = [
    ...o.allowPrincipal.map((p) => ({ principal: checkPrincipal(p), permissionType: AclPermissionType.ALLOW })),
    ...o.denyPrincipal.map((p) => ({ principal: checkPrincipal(p), permissionType: AclPermissionType.DENY })),
    ...(o.principal === undefined ? [] : [{ principal: checkPrincipal(o.principal) }]),
  ];
  const ops = operationsOf(o, []);
  const out: AclFilter[] = [];
  for (const r of resources.length === 0 ? [{}] : resources) {
    for (const p of principals.length === 0 ? [{}] : principals) {
      for (const operation of ops.length === 0 ? [undefined] : ops) {
        out.push({ ...r, patternType, ...p, ...(operation === undefined ? {} : { operation }) });
      }
    }
  }
  return out;
}

export function registerAcl(program: Command, ctx: () => CliContext): void {
  const acl = program.command('acl').description('create, list and delete ACLs (kafka-acls style flags)');

  withAclFlags(acl.command('create').description('add ACLs: every principal × host × operation × resource given'), true).action(async (o: AclOptions) => {
    const resources = resourcesOf(o);
    if (resources.length === 0) throw new UsageError('name a resource: --topic, --group, --cluster or --transactional-id');
    if (o.allowPrincipal.length + o.denyPrincipal.length === 0) throw new UsageError('name a principal: --allow-principal or --deny-principal');
    const patternType = patternOf(o, PatternType.LITERAL, [PatternType.LITERAL, PatternType.PREFIXED]);
    const ops = operationsOf(o, [parseOperation('ALL')!]);
    const entries = [
      ...o.allowPrincipal.flatMap((p) => (o.allowHost.length === 0 ? ['*'] : o.allowHost).map((host) => ({ principal: checkPrincipal(p), host, permissionType: AclPermissionType.ALLOW }))),
      ...o.denyPrincipal.flatMap((p) => (o.denyHost.length === 0 ? ['*'] : o.denyHost).map((host) => ({ principal: checkPrincipal(p), host, permissionType: AclPermissionType.DENY }))),
    ];
    const bindings: AclBinding[] = resources.flatMap((r) => entries.flatMap((e) => ops.map((operation) => ({ ...r, patternType, ...e, operation }))));
    const c = ctx();
    await c.withClient((client) => client.admin().createAcls(bindings));
    c.print({ rows: bindings.map(rowOf), columns: COLUMNS });
  });

  withAclFlags(acl.command('list').description('list ACLs (all, or those matching the flags)'), false)
    .option('--principal <principal>', 'only this principal, allowed or denied')
    .action(async (o: AclOptions) => {
      const c = ctx();
      const found = await c.withClient(async (client) => {
        const admin = client.admin();
        const lists = await Promise.all(filtersOf(o).map((f) => admin.describeAcls(f)));
        return lists.flat();
      });
      c.print({ rows: found.map(rowOf), columns: COLUMNS });
    });

  withAclFlags(acl.command('delete').description('delete the ACLs matching the flags (a resource is required)'), false)
    .option('--principal <principal>', 'only this principal, allowed or denied')
    .action(async (o: AclOptions) => {
      if (resourcesOf(o).length === 0) throw new UsageError('name a resource: --topic, --group, --cluster or --transactional-id');
      const c = ctx();
      const deleted = await c.withClient((client) => client.admin().deleteAcls(filtersOf(o)));
      c.print({ rows: deleted.flat().map(rowOf), columns: COLUMNS });
    });
}
