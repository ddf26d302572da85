// Authorization of the share-group APIs (KIP-932, Kafka's rules): heartbeats READ on the group and
// DESCRIBE on subscribed topics, ShareFetch / ShareAcknowledge READ on the group and each topic,
// ShareGroupDescribe DESCRIBE per group, the offsets admin APIs DESCRIBE / READ / DELETE on the
// group and READ / DESCRIBE on the topics (and CLUSTER_ACTION when forwarded by the group's
// coordinator: mq's forwardedByCoordinator skips the membership check); the persister API
// (Read/Write/DeleteShareGroupState, ReadShareGroupStateSummary) CLUSTER_ACTION.
import { AclOperation as Op } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import { topicsRule } from './data-rules';
import { describeGroupsRule } from './group-rules';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';
import { wholeRequest } from './whole-request';

const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED;

function onGroup(op: Parameters<RequestAuthz['group']>[0], then?: AclRule): AclRule {
  return wholeRequest((req, authz) => (authz.group(op, String(req.groupId ?? '')) ? 0 : GROUP_DENIED), then);
}

const subscribedTopics = wholeRequest((req, authz) =>
  ((req.subscribedTopicNames as string[] | null | undefined) ?? []).every((n) => authz.topic(Op.DESCRIBE, n)) ? 0 : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
);

const byTopicId = (t: unknown, authz: RequestAuthz): string | undefined => authz.topicNameOf(String((t as { topicId: string }).topicId));
const byTopicName = (t: unknown): string | undefined => (t as { topicName: string }).topicName;

const describeShareGroupOffsets: AclRule = (call, authz, next) =>
  splitByAuthorization(call, next, {
    entities: (call.request.groups as { groupId: string }[] | undefined) ?? [],
    refusal: (g) => (authz.group(Op.DESCRIBE, g.groupId) ? 0 : GROUP_DENIED),
    rebuild: (groups) => ({ ...call.request, groups }),
    merge: concatField('groups'),
  });

const clusterActionCode = (_req: unknown, authz: RequestAuthz): number => (authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
const clusterAction = wholeRequest(clusterActionCode);

/** A forwarded offsets change is broker to broker: CLUSTER_ACTION first, then the client's own rule. */
function orForwarded(rule: AclRule): AclRule {
  const forwarded = wholeRequest(clusterActionCode, rule);
  return (call, authz, next) => (((call.request.forwardedByCoordinator as number | undefined) ?? -1) >= 0 ? forwarded : rule)(call, authz, next);
}

export const SHARE_RULES: ReadonlyMap<number, AclRule> = new Map([
  [76, onGroup(Op.READ, subscribedTopics)],
  [77, describeGroupsRule('groupIds')],
  [78, onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicId))],
  [79, onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicId))],
  [90, describeShareGroupOffsets],
  [91, orForwarded(onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicName)))],
  [92, orForwarded(onGroup(Op.DELETE, topicsRule(Op.READ, 'topics', 'responses', byTopicName)))],
  // The persister API is broker to broker (Kafka: CLUSTER_ACTION on the cluster).
  [84, clusterAction],
  [85, clusterAction],
  [86, clusterAction],
  [87, clusterAction],
]);
