// The delay store's routes (/v1/delayed) in the OpenAPI document: operations (merged into
// OPENAPI_PATHS) and their schemas (merged into the components). Field names are camelCase as
// `mq delayed` has always read them; keys, values and header values are base64.
import { arr, bool, int, long, nullable, obj, ref, type Schema, str } from './schema-builders';

const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const id = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string' }, description: 'the id the produce answer or the listing gave (<store partition>-<offset>)' };
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query' as const, required: false, schema, description });
const bad = json('a malformed id or parameter', 'Error');
const missing = json('no such pending message (delivered, cancelled or never scheduled)', 'Error');
const unavailable = json('this broker has no delay store', 'Error');

export const DELAYED_PATHS = {
  '/v1/delayed': {
    get: {
      operationId: 'listDelayedMessages',
      summary: 'Delayed messages pending in the delay store, earliest due first, and how many are pending in all',
      parameters: [
        query('topic', { type: 'string' }, 'only those for this topic'),
        query('partition', { type: 'integer', minimum: 0 }, 'only those for this partition'),
        query('limit', { type: 'integer', minimum: 1, maximum: 10_000 }, 'at most this many (default 100)'),
        query('local', { type: 'string' }, 'cluster mode: present, only the delay partitions this broker leads (else every leader is asked)'),
      ],
      responses: { 200: json('pending messages', 'DelayedMessageList'), 400: bad, 503: unavailable },
    },
  },
  '/v1/delayed/{id}': {
    get: { operationId: 'getDelayedMessage', summary: 'One pending delayed message', parameters: [id], responses: { 200: json('the message', 'DelayedMessage'), 400: bad, 404: missing, 503: unavailable } },
    delete: {
      operationId: 'cancelDelayedMessage',
      summary: 'Cancel a pending delayed message: it is never delivered',
      parameters: [id],
      responses: { 200: json('cancelled', 'DelayedMessageCancelled'), 400: bad, 404: missing, 409: json('the message is due and being delivered', 'Error'), 503: unavailable },
    },
  },
};

export const DELAYED_SCHEMAS: Record<string, Schema> = {
  DelayedMessage: obj({
    id: str,
    topic: str,
    partition: int,
    dueAt: long,
    timestamp: long,
    delivering: bool,
    key: nullable(str),
    value: nullable(str),
    headers: arr(obj({ key: str, value: nullable(str) })),
  }),
  DelayedMessageList: obj({ pending: int, messages: arr(ref('DelayedMessage')) }),
  DelayedMessageCancelled: obj({ cancelled: ref('DelayedMessage') }),
};
