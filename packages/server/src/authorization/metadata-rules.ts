// Authorization of Metadata and DescribeCluster (Kafka's rules): Metadata answers only topics the
// principal may DESCRIBE — all-topics requests leave the others out, named ones get
// TOPIC_AUTHORIZATION_FAILED — and auto-creates only with CREATE on the cluster or the topic.
// authorized_operations, when asked, is what this principal may do (not every supported operation).
import { AclOperation as Op, CLUSTER_RESOURCE_NAME, ResourceType } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import type { Body } from '../handler';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';

interface MetadataRequest {
  topics: { name: string | null; topicId?: string }[] | null;
  allowAutoTopicCreation?: boolean;
  includeClusterAuthorizedOperations?: boolean;
  includeTopicAuthorizedOperations?: boolean;
}

interface TopicEntry {
  errorCode: number;
  name: string | null;
  topicAuthorizedOperations?: number;
}

function withOperations(res: Body, req: MetadataRequest, authz: RequestAuthz): Body {
  const topics = res.topics as TopicEntry[];
  const out: Body = { ...res };
  if (req.includeTopicAuthorizedOperations === true) {
    out.topics = topics.map((t) =>
      t.errorCode === ErrorCode.NONE && t.name !== null ? { ...t, topicAuthorizedOperations: authz.operations(ResourceType.TOPIC, t.name) } : t,
    );
  }
  if (req.includeClusterAuthorizedOperations === true && res.clusterAuthorizedOperations !== undefined) {
    out.clusterAuthorizedOperations = authz.operations(ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }
  return out;
}

const metadata: AclRule = (call, authz, next) => {
  const req = call.request as unknown as MetadataRequest;
  const ctx = call.ctx;
  const all = req.topics === null || (ctx.apiVersion === 0 && req.topics.length === 0);
  const rewrite = (served: Promise<unknown>) =>
    served.then((res) => {
      if (typeof res !== 'object' || res === null) return res as never;
      let body = res as Body;
      if (all) body = { ...body, topics: (body.topics as TopicEntry[]).filter((t) => t.name !== null && authz.topic(Op.DESCRIBE, t.name)) };
      return withOperations(body, req, authz);
    });
  if (all) return next().map(rewrite);
  const autoCreate = ctx.broker.config.autoCreateTopicsEnable && (ctx.apiVersion < 4 || req.allowAutoTopicCreation !== false);
  let clusterCreate: boolean | undefined;
  return splitByAuthorization(call, next, {
    entities: req.topics ?? [],
    refusal: (t) => {
      const name = t.name ?? (t.topicId === undefined ? undefined : authz.topicNameOf(t.topicId));
      if (name === undefined) return 0;
      if (!authz.topic(Op.DESCRIBE, name)) return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      if (!autoCreate || ctx.broker.topics.get(name) !== undefined) return 0;
      clusterCreate ??= authz.cluster(Op.CREATE);
      return clusterCreate || authz.topic(Op.CREATE, name) ? 0 : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    },
    rebuild: (topics) => ({ ...call.request, topics }),
    merge: concatField('topics'),
    runWhenNoneAllowed: true,
  }).map(rewrite);
};

interface DescribeClusterResponse {
  clusterAuthorizedOperations: number;
}

const describeCluster: AclRule = (call, authz, next) =>
  next().map(async (response) => {
    const res = await response;
    if (call.request.includeClusterAuthorizedOperations !== true || typeof res !== 'object' || res === null) return res;
    const ops = authz.cluster(Op.DESCRIBE) ? authz.operations(ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME) : 0;
    return { ...(res as DescribeClusterResponse), clusterAuthorizedOperations: ops };
  });

export const METADATA_RULES: ReadonlyMap<number, AclRule> = new Map([
  [3, metadata],
  [60, describeCluster],
]);
