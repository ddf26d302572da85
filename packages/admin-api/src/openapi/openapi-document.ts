// The OpenAPI 3.1 document of the admin API, served at /openapi.json. A test holds it to the router
// (every route documented, nothing documented that is not routed) and validates real answers against it.
import { SCHEMAS } from './components';
import { DELAYED_PATHS, DELAYED_SCHEMAS } from './delayed-openapi';
import { QUEUE_SCHEMAS } from './queue-components';
import { QUEUE_PATHS } from './queue-paths';
import { ref, type Schema } from './schema-builders';
import { SHARE_GROUP_PATHS, SHARE_GROUP_SCHEMAS } from './share-group-openapi';
import { TENANT_PATHS, TENANT_SCHEMAS } from './tenant-openapi';
import { TRACE_PATHS, TRACE_SCHEMAS } from './trace-openapi';

type Param = { name: string; in: 'path' | 'query'; required: boolean; schema: Schema; description?: string };
interface Operation {
  summary: string;
  operationId: string;
  parameters?: Param[];
  requestBody?: { required: true; content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: Schema } } }>;
  'x-websocket'?: { message: Schema };
}

const pathParam = (name: string, schema: Schema = { type: 'string' }): Param => ({ name, in: 'path', required: true, schema });
const queryParam = (name: string, schema: Schema, description: string): Param => ({ name, in: 'query', required: false, schema, description });
const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const error = (description: string) => json(description, 'Error');
const body = (schema: string) => ({ required: true as const, content: { 'application/json': { schema: ref(schema) } } });

const cluster = pathParam('cluster_id');
const topic = pathParam('topic_name');
const partition = pathParam('partition_id', { type: 'integer', minimum: 0 });
const group = pathParam('consumer_group_id');
const bad = error('malformed input (JSON, a parameter, an encoding)');
const missing = error('unknown cluster, topic, partition or group');
const elsewhere = error('another broker leads the partition');

function op(operationId: string, summary: string, parameters: Param[], responses: Operation['responses'], extra: Partial<Operation> = {}): Operation {
  return { operationId, summary, parameters, responses, ...extra };
}

const C = '/v3/clusters/{cluster_id}';
const T = `${C}/topics/{topic_name}`;
const P = `${T}/partitions/{partition_id}`;
const G = `${C}/consumer-groups/{consumer_group_id}`;

export const OPENAPI_PATHS: Record<string, Record<string, Operation>> = {
  '/v3/clusters': { get: op('listClusters', 'The cluster (one)', [], { 200: json('clusters', 'ClusterList') }) },
  [C]: { get: op('getCluster', 'The cluster', [cluster], { 200: json('cluster', 'Cluster'), 404: missing }) },
  [`${C}/brokers`]: { get: op('listBrokers', 'Live brokers', [cluster], { 200: json('brokers', 'BrokerList'), 404: missing }) },
  [`${C}/brokers/{broker_id}`]: {
    get: op('getBroker', 'One broker', [cluster, pathParam('broker_id', { type: 'integer', minimum: 0 })], { 200: json('broker', 'Broker'), 400: bad, 404: missing }),
  },
  [`${C}/topics`]: {
    get: op('listTopics', 'Every topic', [cluster], { 200: json('topics', 'TopicList'), 404: missing }),
    post: op('createTopic', 'Create a topic', [cluster], { 201: json('created', 'Topic'), 200: json('validated only', 'TopicValidated'), 400: bad, 404: missing, 409: error('the topic exists') }, { requestBody: body('CreateTopicRequest') }),
  },
  [T]: {
    get: op('getTopic', 'One topic', [cluster, topic], { 200: json('topic', 'Topic'), 404: missing }),
    delete: op('deleteTopic', 'Delete a topic and its data', [cluster, topic], { 204: { description: 'deleted' }, 403: error('an internal topic'), 404: missing }),
  },
  [`${T}/configs`]: { get: op('listTopicConfigs', "A topic's configs", [cluster, topic], { 200: json('configs', 'TopicConfigList'), 404: missing }) },
  [`${T}/configs/{name}`]: { get: op('getTopicConfig', 'One config', [cluster, topic, pathParam('name')], { 200: json('config', 'TopicConfig'), 404: missing }) },
  [`${T}/configs:alter`]: {
    post: op('alterTopicConfigs', 'Set or delete configs, all or none', [cluster, topic], { 204: { description: 'altered' }, 400: bad, 404: missing }, { requestBody: body('AlterConfigsRequest') }),
  },
  [`${T}/partitions`]: { get: op('listPartitions', 'Partitions with replicas, offsets and sizes', [cluster, topic], { 200: json('partitions', 'PartitionList'), 404: missing }) },
  [P]: { get: op('getPartition', 'One partition', [cluster, topic, partition], { 200: json('partition', 'Partition'), 400: bad, 404: missing }) },
  [`${T}/records`]: {
    post: op(
      'produceRecord',
      'Produce one record (partition_id, else the key hash, else round robin)',
      [cluster, topic],
      { 200: json('appended', 'ProduceResponse'), 400: bad, 404: missing, 413: error('the record is too large'), 421: elsewhere },
      { requestBody: body('ProduceRequest') },
    ),
  },
  [`${P}/records`]: {
    get: op(
      'readRecords',
      "A page of a partition's records by offset or timestamp",
      [
        cluster,
        topic,
        partition,
        queryParam('offset', { type: 'string', pattern: '^\\d+$' }, 'first offset (default: the log start)'),
        queryParam('timestamp', { type: 'string', pattern: '^\\d+$' }, 'first record at or after this time (epoch ms)'),
        queryParam('max_count', { type: 'integer', minimum: 0, maximum: 1000 }, 'records per page (default 100)'),
        queryParam('encoding', { type: 'string', enum: ['binary', 'string', 'json'] }, 'how keys and values are shown (default binary = base64)'),
      ],
      { 200: json('records', 'RecordList'), 400: bad, 404: missing, 416: error('the offset is outside the log'), 421: elsewhere },
    ),
  },
  [`${C}/consumer-groups`]: { get: op('listGroups', 'Consumer groups', [cluster], { 200: json('groups', 'ConsumerGroupList'), 404: missing, 503: error('the coordinator is loading') }) },
  [G]: {
    get: op('getGroup', 'A group with its members and their assignments', [cluster, group], { 200: json('group', 'ConsumerGroupDetail'), 404: missing }),
    delete: op('deleteGroup', 'Delete an empty group', [cluster, group], { 204: { description: 'deleted' }, 404: missing, 409: error('the group has members') }),
  },
  [`${G}/lags`]: { get: op('listGroupLags', 'Lag per partition', [cluster, group], { 200: json('lags', 'ConsumerLagList'), 404: missing }) },
  [`${G}/lag-summary`]: { get: op('getGroupLagSummary', 'Total and largest lag', [cluster, group], { 200: json('summary', 'ConsumerGroupLagSummary'), 404: missing }) },
  [`${G}/offsets:reset`]: {
    post: op(
      'resetGroupOffsets',
      "Reset an empty group's committed offsets of one topic",
      [cluster, group],
      { 200: json('new offsets', 'ResetOffsetsResponse'), 400: bad, 404: missing, 409: error('the group has members'), 416: error('the offset is outside the log'), 421: elsewhere },
      { requestBody: body('ResetOffsetsRequest') },
    ),
  },
  [`${C}/streams/stats`]: {
    get: op('streamStats', 'WebSocket: a stats snapshot on connect and every second', [cluster], { 101: { description: 'switching to WebSocket' } }, { 'x-websocket': { message: ref('StatsMessage') } }),
  },
  [`${T}/streams/records`]: {
    get: op(
      'streamRecords',
      "WebSocket: a topic's new records",
      [cluster, topic, queryParam('from', { type: 'string', pattern: '^(latest|earliest|\\d+)$' }, 'latest (default), earliest or an offset'), queryParam('encoding', { type: 'string', enum: ['binary', 'string', 'json'] }, 'as for reads')],
      { 101: { description: 'switching to WebSocket' } },
      { 'x-websocket': { message: ref('RecordStreamMessage') } },
    ),
  },
  '/openapi.json': { get: op('getOpenApi', 'This document', [], { 200: { description: 'the OpenAPI 3.1 document' } }) },
  ...(SHARE_GROUP_PATHS as Record<string, Record<string, Operation>>),
  ...(QUEUE_PATHS as Record<string, Record<string, Operation>>),
  ...(DELAYED_PATHS as Record<string, Record<string, Operation>>),
  ...(TRACE_PATHS as Record<string, Record<string, Operation>>),
  ...(TENANT_PATHS as Record<string, Record<string, Operation>>),
};

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'mq admin API',
      version,
      description:
        'Cluster, brokers, topics, partitions, consumer groups, share groups and records as JSON (Kafka REST Proxy v3 shapes where they exist), queues over share groups (/v1/queues: receive, ack, release, reject) the delay store (/v1/delayed: list, get, cancel; dueAt and timestamp epoch ms) the traces the broker keeps (/v1/traces: recent, by time, by id, by record) and the tenants (/v1/tenants: list, get, set, delete). Errors are {error_code, message}. ' +
        'When the broker sets http.authentication.methods, every call needs HTTP Basic (a SCRAM or PLAIN user), a bearer token (checked as SASL OAUTHBEARER checks tokens) or a client certificate (401 otherwise), and with an authorizer the ACLs of the Kafka API doing the same (403 otherwise).',
    },
    paths: OPENAPI_PATHS,
    // Optional ({} in the list): a broker without http.authentication.methods asks for nothing.
    security: [{}, { basic: [] }, { bearer: [] }, { clientCertificate: [] }],
    components: {
      schemas: { ...SCHEMAS, ...SHARE_GROUP_SCHEMAS, ...QUEUE_SCHEMAS, ...DELAYED_SCHEMAS, ...TRACE_SCHEMAS, ...TENANT_SCHEMAS },
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'A SCRAM or PLAIN user of the broker (http.authentication.methods=basic).' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token the OAUTHBEARER validator accepts (sasl.oauthbearer.*); its sub claim names the principal (http.authentication.methods=bearer).' },
        clientCertificate: { type: 'mutualTLS', description: 'A client certificate the broker trusts; its subject DN is the principal (http.authentication.methods=mtls).' },
      },
    },
  };
}
