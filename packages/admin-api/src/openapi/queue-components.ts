// Schemas of the HTTP queue API (/v1/queues): receive, settle, the WebSocket subscription's frames.
import { arr, input, int, long, nullable, obj, oneOfStrings, ref, type Schema, str } from './schema-builders';

const recordData = obj({ type: oneOfStrings('BINARY', 'STRING', 'JSON'), data: {} });
const result = obj({ receipt: {}, error_code: int, message: nullable(str) });

export const QUEUE_SCHEMAS: Record<string, Schema> = {
  ReceiveRequest: input({
    max_messages: { type: 'integer', minimum: 1, maximum: 1000, description: 'most messages to answer (default 10)' },
    wait_ms: { type: 'integer', minimum: 0, maximum: 30000, description: 'long poll: wait this long when nothing is available (default 0)' },
    lock_ms: { type: 'integer', minimum: 1, description: 'hold the records this long at most (≤ group.share.record.lock.duration.ms, the default), then they go back to the queue' },
    consumer_id: { type: 'string', minLength: 1, description: "the share-group member receiving (default mq-http-<group>, shared by this broker's HTTP clients)" },
    encoding: oneOfStrings('binary', 'string', 'json'),
  }),
  QueueMessage: obj({
    receipt: { type: 'string', description: 'opaque and signed: settles this delivery of this record, and nothing else' },
    topic_name: str,
    partition_id: int,
    offset: long,
    timestamp: long,
    delivery_count: int,
    key: nullable(recordData),
    value: nullable(recordData),
    headers: arr(obj({ name: str, value: nullable(str) })),
  }),
  ReceiveResponse: obj({ consumer_id: str, lock_expires_at: int, messages: arr(ref('QueueMessage')) }),
  SettleRequest: input({ receipts: { type: 'array', minItems: 1, maxItems: 10000, items: str } }, ['receipts']),
  SettleResponse: obj({ results: arr(result) }),
  SettleError: obj({ error_code: int, message: str, results: arr(result) }, ['results']),
  QueueStreamMessage: {
    oneOf: [
      obj({ type: oneOfStrings('subscribed'), group_id: str, topic_name: str, consumer_id: str }),
      obj({ type: oneOfStrings('messages'), messages: arr(ref('QueueMessage')) }),
      obj({ type: oneOfStrings('settled'), how: oneOfStrings('ack', 'release', 'reject'), id: {}, results: arr(result) }, ['id']),
      obj({ type: oneOfStrings('error'), error_code: int, message: str }),
    ],
  },
};
