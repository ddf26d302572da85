// The HTTP queue API's operations in the OpenAPI document (merged into OPENAPI_PATHS).
import { ref, type Schema } from './schema-builders';

const pathParam = (name: string, description: string) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' }, description });
const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const body = (schema: string) => ({ required: true as const, content: { 'application/json': { schema: ref(schema) as Schema } } });

const group = pathParam('group_id', 'the share group (created on first use)');
const topic = pathParam('topic_name', 'the topic the queue reads');
const Q = '/v1/queues/{group_id}/topics/{topic_name}';

const settle = (how: string, what: string) => ({
  post: {
    operationId: `${how}Messages`,
    summary: what,
    parameters: [group, topic],
    requestBody: body('SettleRequest'),
    responses: {
      200: json('every receipt settled', 'SettleResponse'),
      400: json('malformed body or a bad receipt (error_code 40002: altered, from before a restart, or for another group or topic)', 'SettleError'),
      409: json('a receipt already settled (error_code 40901: a double ack)', 'SettleError'),
      410: json("a receipt's lock ended (error_code 41001: expired, released or redelivered)", 'SettleError'),
      503: json('share groups are not available', 'Error'),
    },
  },
});

export const QUEUE_PATHS = {
  [`${Q}/receive`]: {
    post: {
      operationId: 'receiveMessages',
      summary: 'Acquire up to max_messages records for the share group, locked to its member, each with a receipt (long poll with wait_ms)',
      parameters: [group, topic],
      requestBody: { required: false, content: { 'application/json': { schema: ref('ReceiveRequest') } } },
      responses: {
        200: json('the messages (possibly none)', 'ReceiveResponse'),
        400: json('malformed body', 'Error'),
        404: json('unknown topic (error_code 40401)', 'Error'),
        409: json('the group id is a classic or consumer group (error_code 40902)', 'Error'),
        503: json('share groups are not available', 'Error'),
      },
    },
  },
  [`${Q}/ack`]: settle('ack', 'Accept: the records are done'),
  [`${Q}/release`]: settle('release', 'Release: the records go back to the queue for another delivery'),
  [`${Q}/reject`]: settle('reject', 'Reject: the records are archived (dead-lettered where configured), never delivered again'),
  [`${Q}/subscribe`]: {
    get: {
      operationId: 'subscribeQueue',
      summary:
        'WebSocket: pushes messages within the credit granted by {"credit":N} frames (never more); {"ack"|"release"|"reject":[receipts],"id"?} frames settle ' +
        '(answered type settled); closing releases what the socket holds',
      parameters: [
        group,
        topic,
        { name: 'consumer_id', in: 'query' as const, required: false, schema: { type: 'string', minLength: 1 }, description: 'the member (default ws-<uuid>, which leaves the group on close)' },
        { name: 'encoding', in: 'query' as const, required: false, schema: { type: 'string', enum: ['binary', 'string', 'json'] }, description: 'as for receive' },
        { name: 'lock_ms', in: 'query' as const, required: false, schema: { type: 'integer', minimum: 1 }, description: 'as for receive' },
      ],
      responses: { 101: { description: 'switching to WebSocket' } },
      'x-websocket': { message: ref('QueueStreamMessage') },
    },
  },
  '/v1/queues/{group_id}/consumers/{consumer_id}': {
    delete: {
      operationId: 'leaveQueue',
      summary: 'The member leaves its share group now: the records it holds go back to the queue',
      parameters: [group, pathParam('consumer_id', 'the member')],
      responses: { 204: { description: 'left' }, 404: json('not a member (error_code 40403)', 'Error'), 503: json('share groups are not available', 'Error') },
    },
  },
};
