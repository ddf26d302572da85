// Authorization of the consumer-group APIs (Kafka's rules): the classic protocol and
// ConsumerGroupHeartbeat need READ on the group (and DESCRIBE on subscribed topics), commits READ
// on the group and each topic, OffsetFetch / DescribeGroups / FindCoordinator DESCRIBE, DeleteGroups
// and OffsetDelete DELETE; ListGroups lists only describable groups unless DESCRIBE on the cluster.
import { AclOperation as Op, ResourceType } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import { Completion } from '../completion';
import type { Body } from '../handler';
import { topicsRule } from './data-rules';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';
import { thenRewrite, wholeRequest } from './whole-request';

const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED;
const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED;

/** `op` on the group named by the request's `groupId`, else GROUP_AUTHORIZATION_FAILED everywhere. */
function onGroup(op: Parameters<RequestAuthz['group']>[0], then?: AclRule): AclRule {
  return wholeRequest((req, authz) => (authz.group(op, String(req.groupId ?? '')) ? 0 : GROUP_DENIED), then);
}

/** Subscribed topic names must all be describable (KIP-848 heartbeats), else TOPIC_AUTHORIZATION_FAILED. */
const subscribedTopics = wholeRequest((req, authz) => {
  const names = (req.subscribedTopicNames as string[] | null | undefined) ?? [];
  return names.every((n) => authz.topic(Op.DESCRIBE, n)) ? 0 : TOPIC_DENIED;
});

interface CommittedTopic {
  name?: string;
  topicId?: string;
}

/** Topic name of an OffsetCommit / OffsetFetch topic entry (by id from v10). */
function committedTopicName(t: CommittedTopic, authz: RequestAuthz): string | undefined {
  return t.name !== undefined && t.name !== '' ? t.name : t.topicId === undefined ? undefined : authz.topicNameOf(t.topicId);
}

const offsetCommit = onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'topics', (t, authz) => committedTopicName(t as CommittedTopic, authz)));

interface FetchedTopic extends CommittedTopic {
  partitions: { errorCode: number; committedOffset: bigint }[];
}

/** OffsetFetch's topics the principal may not DESCRIBE: left out when all were asked, else refused per partition. */
function hideTopics(topics: FetchedTopic[], askedAll: boolean, authz: RequestAuthz): FetchedTopic[] {
  const out: FetchedTopic[] = [];
  for (const t of topics) {
    const name = committedTopicName(t, authz);
    if (name === undefined || authz.topic(Op.DESCRIBE, name)) out.push(t);
    else if (!askedAll) out.push({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: TOPIC_DENIED, committedOffset: -1n })) });
  }
  return out;
}

interface OffsetFetchGroup {
  groupId: string;
  topics: FetchedTopic[] | null;
}

const offsetFetch: AclRule = (call, authz, next) => {
  const v = call.ctx.apiVersion;
  if (v < 8) {
    if (!authz.group(Op.DESCRIBE, String(call.request.groupId ?? ''))) return Completion.now(call.errorResponse(GROUP_DENIED));
    const askedAll = call.request.topics === null;
    return thenRewrite((res) => ({ ...res, topics: hideTopics(res.topics as FetchedTopic[], askedAll, authz) }))(call, authz, next);
  }
  const asked = new Map(((call.request.groups as OffsetFetchGroup[] | undefined) ?? []).map((g) => [g.groupId, g.topics === null]));
  return splitByAuthorization(call, next, {
    entities: (call.request.groups as OffsetFetchGroup[] | undefined) ?? [],
    refusal: (g) => (authz.group(Op.DESCRIBE, g.groupId) ? 0 : GROUP_DENIED),
    rebuild: (groups) => ({ ...call.request, groups }),
    merge: concatField('groups'),
  }).map(async (response) => {
    const res = (await response) as Body;
    const groups = (res.groups as OffsetFetchGroup[]).map((g) =>
      g.topics === null ? g : { ...g, topics: hideTopics(g.topics, asked.get(g.groupId) ?? false, authz) },
    );
    return { ...res, groups };
  });
};

/** FindCoordinator's key types: group, transaction, share (a share-partition key: brokers only). */
function coordinatorRefusal(keyType: number, key: string, authz: RequestAuthz): number {
  if (keyType === 1) return authz.transactionalId(Op.DESCRIBE, key) ? 0 : ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
  if (keyType === 2) return authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  return authz.group(Op.DESCRIBE, key) ? 0 : GROUP_DENIED;
}

const findCoordinator: AclRule = (call, authz, next) => {
  const keyType = Number(call.request.keyType ?? 0);
  if (call.ctx.apiVersion < 4) {
    const code = coordinatorRefusal(keyType, String(call.request.key ?? ''), authz);
    return code === ErrorCode.NONE ? next() : Completion.now(call.errorResponse(code));
  }
  return splitByAuthorization(call, next, {
    entities: (call.request.coordinatorKeys as string[] | undefined) ?? [],
    refusal: (key) => coordinatorRefusal(keyType, key, authz),
    rebuild: (coordinatorKeys) => ({ ...call.request, coordinatorKeys }),
    merge: concatField('coordinators'),
  });
};

interface DescribedGroup {
  errorCode: number;
  groupId: string;
  authorizedOperations?: number;
}

/** DescribeGroups / ShareGroupDescribe: DESCRIBE per group, and the principal's own authorized operations. */
export function describeGroupsRule(field: string): AclRule {
  return (call, authz, next) =>
    splitByAuthorization(call, next, {
      entities: (call.request[field] as string[] | undefined) ?? [],
      refusal: (g) => (authz.group(Op.DESCRIBE, g) ? 0 : GROUP_DENIED),
      rebuild: (list) => ({ ...call.request, [field]: list }),
      merge: concatField('groups'),
    }).map(async (response) => {
      const res = (await response) as Body;
      if (call.request.includeAuthorizedOperations !== true) return res;
      const groups = (res.groups as DescribedGroup[]).map((g) =>
        g.errorCode === ErrorCode.NONE ? { ...g, authorizedOperations: authz.operations(ResourceType.GROUP, g.groupId) } : g,
      );
      return { ...res, groups };
    });
}

const listGroups: AclRule = (call, authz, next) =>
  authz.cluster(Op.DESCRIBE)
    ? next()
    : thenRewrite((res) => ({ ...res, groups: (res.groups as { groupId: string }[]).filter((g) => authz.group(Op.DESCRIBE, g.groupId)) }))(call, authz, next);

const deleteGroups: AclRule = (call, authz, next) =>
  splitByAuthorization(call, next, {
    entities: (call.request.groupsNames as string[] | undefined) ?? [],
    refusal: (g) => (authz.group(Op.DELETE, g) ? 0 : GROUP_DENIED),
    rebuild: (groupsNames) => ({ ...call.request, groupsNames }),
    merge: concatField('results'),
  });

export const GROUP_RULES: ReadonlyMap<number, AclRule> = new Map([
  [8, offsetCommit],
  [9, offsetFetch],
  [10, findCoordinator],
  [11, onGroup(Op.READ)],
  [12, onGroup(Op.READ)],
  [13, onGroup(Op.READ)],
  [14, onGroup(Op.READ)],
  [15, describeGroupsRule('groups')],
  [16, listGroups],
  [42, deleteGroups],
  [47, onGroup(Op.DELETE, topicsRule(Op.READ, 'topics', 'topics'))],
  [68, onGroup(Op.READ, subscribedTopics)],
]);
