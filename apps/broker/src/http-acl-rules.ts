// What each HTTP route needs from the authorizer, as the Kafka API doing the same thing needs it
// (Produce → WRITE topic, Fetch → READ topic, OffsetCommit / ShareFetch → READ group + READ topic,
// CreateTopics → CREATE, DescribeConfigs → DESCRIBE_CONFIGS, ...). Keyed by `METHOD path` exactly as
// the route registers it; a route without a rule needs ALTER on the cluster (closed by default).
import { AclOperation as Op, ResourceType } from '@mq/acl';
import type { HttpRequest, PathParams } from '@mq/http';
import type { HttpAuthz } from './http-authz';

export interface HttpAclRule {
  /** Throws 403 (HttpAuthz.require) when the principal may not; absent: any authenticated principal may. */
  check?(authz: HttpAuthz, params: PathParams, req: HttpRequest): void;
  /** Drops the entries of a listing (`data[]`) the principal may not see. */
  filter?(authz: HttpAuthz, item: Readonly<Record<string, unknown>>): boolean;
}

const C = '/v3/clusters/:cluster_id';
const T = `${C}/topics/:topic_name`;
const P = `${T}/partitions/:partition_id`;
const G = `${C}/consumer-groups/:consumer_group_id`;
const S = `${C}/share-groups/:share_group_id`;
const Q = '/v1/queues/:group_id/topics/:topic_name';

const describeCluster: HttpAclRule = { check: (a) => a.cluster(Op.DESCRIBE) };
const describeTopic: HttpAclRule = { check: (a, p) => a.topic(Op.DESCRIBE, p.topic_name!) };
const describeGroup: HttpAclRule = { check: (a, p) => a.group(Op.DESCRIBE, p.consumer_group_id!) };
/** A share-group delivery or settlement (ShareFetch / ShareAcknowledge): READ on the group and the topic. */
const queueRead: HttpAclRule = {
  check: (a, p) => {
    a.group(Op.READ, p.group_id!);
    a.topic(Op.READ, p.topic_name!);
  },
};
const topicVisible = (a: HttpAuthz, item: Readonly<Record<string, unknown>>) => a.can(Op.DESCRIBE, ResourceType.TOPIC, String(item.topic_name));

/** A string field of a JSON body, if the body is an object that has it (a malformed body is the route's 400). */
function bodyField(req: HttpRequest, field: string): string | undefined {
  try {
    const body = req.json() as Record<string, unknown> | null;
    const v = typeof body === 'object' && body !== null ? body[field] : undefined;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export const HTTP_ACL_RULES: ReadonlyMap<string, HttpAclRule> = new Map<string, HttpAclRule>([
  // The cluster id and controller: what Metadata tells any client.
  ['GET /v3/clusters', {}],
  [`GET ${C}`, {}],
  ['GET /openapi.json', {}],
  [`GET ${C}/brokers`, describeCluster],
  [`GET ${C}/brokers/:broker_id`, describeCluster],
  // Topics: Metadata hides what the principal may not DESCRIBE; CreateTopics takes CREATE on the cluster or the topic.
  [`GET ${C}/topics`, { filter: topicVisible }],
  [
    `POST ${C}/topics`,
    {
      check: (a, _p, req) => {
        const name = bodyField(req, 'topic_name');
        if (name === undefined || !a.can(Op.CREATE, ResourceType.TOPIC, name)) a.cluster(Op.CREATE);
      },
    },
  ],
  [`GET ${T}`, describeTopic],
  [`DELETE ${T}`, { check: (a, p) => a.topic(Op.DELETE, p.topic_name!) }],
  [`GET ${T}/configs`, { check: (a, p) => a.topic(Op.DESCRIBE_CONFIGS, p.topic_name!) }],
  [`GET ${T}/configs/:name`, { check: (a, p) => a.topic(Op.DESCRIBE_CONFIGS, p.topic_name!) }],
  [`POST ${T}/configs:alter`, { check: (a, p) => a.topic(Op.ALTER_CONFIGS, p.topic_name!) }],
  [`GET ${T}/partitions`, describeTopic],
  [`GET ${P}`, describeTopic],
  [`POST ${T}/records`, { check: (a, p) => a.topic(Op.WRITE, p.topic_name!) }],
  [`GET ${P}/records`, { check: (a, p) => a.topic(Op.READ, p.topic_name!) }],
  // Groups: ListGroups shows what the principal may DESCRIBE; OffsetFetch / OffsetCommit / DeleteGroups.
  [`GET ${C}/consumer-groups`, { filter: (a, item) => a.can(Op.DESCRIBE, ResourceType.GROUP, String(item.consumer_group_id)) }],
  [`GET ${G}`, describeGroup],
  [`DELETE ${G}`, { check: (a, p) => a.group(Op.DELETE, p.consumer_group_id!) }],
  [`GET ${G}/lags`, { ...describeGroup, filter: topicVisible }],
  [`GET ${G}/lag-summary`, describeGroup],
  [
    `POST ${G}/offsets:reset`,
    {
      check: (a, p, req) => {
        a.group(Op.READ, p.consumer_group_id!);
        const topic = bodyField(req, 'topic_name');
        if (topic !== undefined) a.topic(Op.READ, topic);
      },
    },
  ],
  // Share groups: ListGroups / ShareGroupDescribe / DescribeShareGroupOffsets need DESCRIBE on the group, DeleteGroups DELETE.
  [`GET ${C}/share-groups`, { filter: (a, item) => a.can(Op.DESCRIBE, ResourceType.GROUP, String(item.share_group_id)) }],
  [`GET ${S}`, { check: (a, p) => a.group(Op.DESCRIBE, p.share_group_id!) }],
  [`DELETE ${S}`, { check: (a, p) => a.group(Op.DELETE, p.share_group_id!) }],
  // Queues over share groups.
  [`POST ${Q}/receive`, queueRead],
  [`POST ${Q}/ack`, queueRead],
  [`POST ${Q}/release`, queueRead],
  [`POST ${Q}/reject`, queueRead],
  ['DELETE /v1/queues/:group_id/consumers/:consumer_id', { check: (a, p) => a.group(Op.READ, p.group_id!) }],
  // The broker's own: metrics, traces (they name topics and offsets) and the delay store are cluster-wide views.
  ['GET /metrics', describeCluster],
  ['GET /v1/traces', describeCluster],
  ['GET /v1/traces/:traceId', describeCluster],
  ['GET /v1/traces/by-offset/:topic/:partition/:offset', describeCluster],
  ['GET /v1/delayed', describeCluster],
  ['GET /v1/delayed/:id', describeCluster],
  ['DELETE /v1/delayed/:id', { check: (a) => a.cluster(Op.ALTER) }],
  // Tenants carry quotas: as DescribeClientQuotas / AlterClientQuotas, DESCRIBE_CONFIGS / ALTER_CONFIGS on the cluster.
  ['GET /v1/tenants', { check: (a) => a.cluster(Op.DESCRIBE_CONFIGS) }],
  ['GET /v1/tenants/:name', { check: (a) => a.cluster(Op.DESCRIBE_CONFIGS) }],
  ['PUT /v1/tenants/:name', { check: (a) => a.cluster(Op.ALTER_CONFIGS) }],
  ['DELETE /v1/tenants/:name', { check: (a) => a.cluster(Op.ALTER_CONFIGS) }],
]);

/** WebSocket streams by path: the same as the route that reads the same data. */
export const HTTP_ACL_STREAM_RULES: ReadonlyMap<string, HttpAclRule> = new Map<string, HttpAclRule>([
  [`${C}/streams/stats`, describeCluster],
  [`${T}/streams/records`, { check: (a, p) => a.topic(Op.READ, p.topic_name!) }],
  [`${Q}/subscribe`, queueRead],
]);

/**
 * The schema registry's routes (Confluent's API at the listener's root). No SUBJECT resource exists
 * here, so they are cluster-level, as Redpanda's before its registry ACLs: reads (lookups and
 * compatibility checks included) need DESCRIBE, global or subject config / mode changes
 * ALTER_CONFIGS, registering and deleting schemas ALTER.
 */
export function registryRule(method: string, routePath: string): HttpAclRule {
  // `/contexts/{context}/…` is the same route in a context (Confluent's context prefix): the same rule.
  const path = routePath.replace(/^\/contexts\/:[A-Za-z]+(?=\/)/, '');
  const read = method === 'GET' || path.startsWith('/compatibility/') || (method === 'POST' && /^\/subjects\/:subject$/.test(path));
  if (read) return describeCluster;
  if (path.startsWith('/config') || path.startsWith('/mode')) return { check: (a) => a.cluster(Op.ALTER_CONFIGS) };
  return { check: (a) => a.cluster(Op.ALTER) };
}
