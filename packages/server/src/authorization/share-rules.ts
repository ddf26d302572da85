// Authorization of the share-group APIs (KIP-932, Kafka's rules): heartbeats READ on the group and
// DESCRIBE on subscribed topics, ShareFetch / ShareAcknowledge READ on the group and each topic,
// ShareGroupDescribe DESCRIBE per group, the offsets admin APIs DESCRIBE / READ / DELETE on the
// group and READ / DESCRIBE on the topics; the persister API (Read/WriteShareGroupState, ReadShareGroupStateSummary) CLUSTER_ACTION.
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

export const SHARE_RULES: ReadonlyMap<number, AclRule> = new Map([
  [76, onGroup(Op.READ, subscribedTopics)],
  [77, describeGroupsRule('groupIds')],
  [78, onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicId))],
  [79, onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicId))],
  [90, describeShareGroupOffsets],
  [91, onGroup(Op.READ, topicsRule(Op.READ, 'topics', 'responses', byTopicName))],
  [92, onGroup(Op.DELETE, topicsRule(Op.READ, 'topics', 'responses', byTopicName))],
  // The persister API is broker to broker (Kafka: CLUSTER_ACTION on the cluster).
  [84, wholeRequest((_req, authz) => (authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED))],
  [85, wholeRequest((_req, authz) => (authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED))],
  [87, wholeRequest((_req, authz) => (authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED))],
]);
