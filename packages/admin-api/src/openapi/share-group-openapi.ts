// The share-group routes in the OpenAPI document: operations (merged into OPENAPI_PATHS) and their
// schemas (merged into the components).
import { arr, int, list, long, nullable, obj, ref, str, type Schema } from './schema-builders';

const param = (name: string) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' } });
const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const cluster = param('cluster_id');
const group = param('share_group_id');
const missing = json('unknown cluster or share group', 'Error');
const unavailable = json('share groups are not running on this broker', 'Error');
const C = '/v3/clusters/{cluster_id}';

export const SHARE_GROUP_PATHS = {
  [`${C}/share-groups`]: {
    get: { operationId: 'listShareGroups', summary: 'Share groups (queues) with their state and member count', parameters: [cluster], responses: { 200: json('share groups', 'ShareGroupList'), 404: missing, 503: unavailable } },
  },
  [`${C}/share-groups/{share_group_id}`]: {
    get: {
      operationId: 'getShareGroup',
      summary: "A share group's members and assignments, each share partition's start and end offsets, in-flight records and backlog, and its topics' dead-letter topics with their depth",
      parameters: [cluster, group],
      responses: { 200: json('share group', 'ShareGroupDetail'), 404: missing, 503: unavailable },
    },
    delete: {
      operationId: 'deleteShareGroup',
      summary: 'Delete an empty share group and its state',
      parameters: [cluster, group],
      responses: { 204: { description: 'deleted' }, 404: missing, 409: json('the group has members', 'Error'), 503: unavailable },
    },
  },
};

export const SHARE_GROUP_SCHEMAS: Record<string, Schema> = {
  ShareGroup: obj({ kind: str, cluster_id: str, share_group_id: str, state: str, member_count: int }),
  ShareGroupList: list('ShareGroup'),
  ShareGroupDetail: obj({
    kind: str,
    cluster_id: str,
    share_group_id: str,
    state: str,
    group_epoch: int,
    assignment_epoch: int,
    assignor: str,
    members: arr(
      obj({
        member_id: str,
        member_epoch: int,
        client_id: str,
        host: str,
        rack_id: nullable(str),
        subscribed_topics: arr(str),
        assignments: arr(obj({ topic_name: str, partition_id: int })),
      }),
    ),
    partitions: arr(
      obj({
        topic_name: str,
        partition_id: int,
        start_offset: long,
        end_offset: nullable(long),
        in_flight: nullable(int),
        high_watermark: nullable(long),
        backlog: nullable(long),
      }),
    ),
    total_backlog: long,
    total_in_flight: int,
    dead_letter_topics: arr(obj({ topic_name: str, dead_letter_topic: str, records: nullable(long) })),
  }),
};
