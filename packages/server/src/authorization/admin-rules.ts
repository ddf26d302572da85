// Authorization of the admin APIs (Kafka's rules): CreateTopics CREATE on the cluster or each topic,
// DeleteTopics DELETE, CreatePartitions ALTER, configs DESCRIBE_CONFIGS / ALTER_CONFIGS on the
// resource (a broker's: the cluster), ACLs DESCRIBE / ALTER on the cluster, client quotas and SCRAM
// credentials DESCRIBE(_CONFIGS) / ALTER(_CONFIGS) on the cluster, leader elections and reassignments
// ALTER (listing them DESCRIBE) on the cluster.
import { AclOperation as Op, type AclOperationCode } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import type { Body } from '../handler';
import { topicsRule } from './data-rules';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';
import { wholeRequest } from './whole-request';

/** `op` on the cluster, else CLUSTER_AUTHORIZATION_FAILED everywhere. */
export function onCluster(op: AclOperationCode): AclRule {
  return wholeRequest((_req, authz) => (authz.cluster(op) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED));
}

const createTopics: AclRule = (call, authz, next) => (authz.cluster(Op.CREATE) ? next() : topicsRule(Op.CREATE, 'topics', 'topics')(call, authz, next));

const deleteTopics: AclRule = (call, authz, next) => {
  const byId = call.ctx.apiVersion >= 6;
  const field = byId ? 'topics' : 'topicNames';
  return splitByAuthorization(call, next, {
    entities: (call.request[field] as (string | { name: string | null; topicId: string })[] | undefined) ?? [],
    refusal: (t) => {
      const name = typeof t === 'string' ? t : (t.name ?? authz.topicNameOf(t.topicId));
      return name === undefined || authz.topic(Op.DELETE, name) ? 0 : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    },
    rebuild: (list) => ({ ...call.request, [field]: list }),
    merge: concatField('responses'),
  });
};

/** DescribeConfigs' / AlterConfigs' resource types (Kafka's ConfigResource.Type). */
const TOPIC_RESOURCE = 2;
const GROUP_RESOURCE = 32;

function configsRule(op: AclOperationCode, responseField: string): AclRule {
  const refusal = (r: { resourceType: number; resourceName: string }, authz: RequestAuthz): number => {
    if (r.resourceType === TOPIC_RESOURCE) return authz.topic(op, r.resourceName) ? 0 : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    if (r.resourceType === GROUP_RESOURCE) return authz.group(op, r.resourceName) ? 0 : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    // BROKER, BROKER_LOGGER and the rest belong to the cluster.
    return authz.cluster(op) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  };
  return (call, authz, next) =>
    splitByAuthorization(call, next, {
      entities: (call.request.resources as { resourceType: number; resourceName: string }[] | undefined) ?? [],
      refusal: (r) => refusal(r, authz),
      rebuild: (resources): Body => ({ ...call.request, resources }),
      merge: concatField(responseField),
    });
}

export const ADMIN_RULES: ReadonlyMap<number, AclRule> = new Map([
  [19, createTopics],
  [20, deleteTopics],
  [29, onCluster(Op.DESCRIBE)],
  [30, onCluster(Op.ALTER)],
  [31, onCluster(Op.ALTER)],
  [32, configsRule(Op.DESCRIBE_CONFIGS, 'results')],
  [33, configsRule(Op.ALTER_CONFIGS, 'responses')],
  [37, topicsRule(Op.ALTER, 'topics', 'results')],
  // ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments (Kafka: on the cluster).
  [43, onCluster(Op.ALTER)],
  [44, configsRule(Op.ALTER_CONFIGS, 'responses')],
  [45, onCluster(Op.ALTER)],
  [46, onCluster(Op.DESCRIBE)],
  // DescribeClientQuotas, AlterClientQuotas, DescribeUserScramCredentials, AlterUserScramCredentials.
  [48, onCluster(Op.DESCRIBE_CONFIGS)],
  [49, onCluster(Op.ALTER_CONFIGS)],
  [50, onCluster(Op.DESCRIBE)],
  [51, onCluster(Op.ALTER)],
]);
