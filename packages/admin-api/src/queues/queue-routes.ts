// The HTTP queue API's routes (SQS-like, over share groups):
//   POST   /v1/queues/:group_id/topics/:topic_name/receive  { max_messages?, wait_ms?, lock_ms?, consumer_id?, encoding? }
//   POST   /v1/queues/:group_id/topics/:topic_name/ack | release | reject  { receipts: [...] }
//   DELETE /v1/queues/:group_id/consumers/:consumer_id  (leave now: held records go back to the queue)
// A settlement answers 200 with every receipt's result when all settled, else the first failure's
// status with { error_code, message, results } — per-receipt results either way.
import { HttpError, type Route } from '@mq/http';
import { toHttpError } from '../kafka-http-error';
import { parseEncoding } from '../record-data';
import { bodyInt, objectBody, optionalString } from '../request-input';
import { QueueErrorCode, statusOfQueueError } from './queue-errors';
import { MAX_RECEIVE_MESSAGES, MAX_WAIT_MS, type QueueService, type Settlement } from './queue-service';

export const QUEUE_PATH = '/v1/queues/:group_id';
export const QUEUE_TOPIC_PATH = `${QUEUE_PATH}/topics/:topic_name`;
export const MAX_SETTLE_RECEIPTS = 10_000;

const DEFAULT_RECEIVE_MESSAGES = 10;

/** The client's address as a member's ClientHost (ShareGroupDescribe shows it). */
export function clientHostOf(headers: Readonly<Record<string, unknown>>, fallback = ''): string {
  const forwarded = headers['x-forwarded-for'];
  return typeof forwarded === 'string' && forwarded !== '' ? `/${forwarded.split(',')[0]!.trim()}` : fallback;
}

/** Kafka errors from below (a log read, a state write) as HTTP answers, as the admin routes do. */
function guarded(r: Route): Route {
  return {
    ...r,
    async handler(req, params) {
      try {
        return await r.handler(req, params);
      } catch (err) {
        throw toHttpError(err);
      }
    },
  };
}

export function queueRoutes(queues: QueueService): Route[] {
  const settle = (how: Settlement): Route => ({
    method: 'POST',
    path: `${QUEUE_TOPIC_PATH}/${how}`,
    async handler(req, params) {
      const body = objectBody(req);
      if (!Array.isArray(body.receipts) || body.receipts.length === 0) throw HttpError.badRequest('receipts must be a non-empty array of receipt strings', QueueErrorCode.BAD_REQUEST);
      if (body.receipts.length > MAX_SETTLE_RECEIPTS) throw HttpError.badRequest(`at most ${MAX_SETTLE_RECEIPTS} receipts per request`, QueueErrorCode.BAD_REQUEST);
      const results = await queues.settle(how, params.group_id!, params.topic_name!, body.receipts, clientHostOf(req.headers));
      const failed = results.find((r) => r.error_code !== 0);
      if (failed === undefined) return { status: 200, body: { results } };
      const count = results.filter((r) => r.error_code !== 0).length;
      return {
        status: statusOfQueueError(failed.error_code),
        body: { error_code: failed.error_code, message: `${count} of ${results.length} receipts not settled; first: ${failed.message}`, results },
      };
    },
  });
  const routes: Route[] = [
    {
      method: 'POST',
      path: `${QUEUE_TOPIC_PATH}/receive`,
      async handler(req, params) {
        const body = req.body.length === 0 ? {} : objectBody(req);
        const maxMessages = body.max_messages === undefined ? DEFAULT_RECEIVE_MESSAGES : bodyInt(body.max_messages, 'max_messages', MAX_RECEIVE_MESSAGES);
        if (maxMessages === 0) throw HttpError.badRequest('max_messages must be at least 1', QueueErrorCode.BAD_REQUEST);
        const waitMs = body.wait_ms === undefined ? 0 : bodyInt(body.wait_ms, 'wait_ms', MAX_WAIT_MS);
        const lockMs = body.lock_ms === undefined ? undefined : bodyInt(body.lock_ms, 'lock_ms');
        const consumerId = optionalString(body.consumer_id, 'consumer_id');
        if (consumerId === '') throw HttpError.badRequest('consumer_id must not be empty', QueueErrorCode.BAD_REQUEST);
        const encoding = parseEncoding(optionalString(body.encoding, 'encoding') ?? req.query.get('encoding'));
        const received = await queues.receive(params.group_id!, params.topic_name!, {
          maxMessages,
          waitMs,
          ...(lockMs !== undefined ? { lockMs } : {}),
          ...(consumerId !== undefined ? { consumerId } : {}),
          encoding,
          clientHost: clientHostOf(req.headers),
        });
        return { status: 200, body: received };
      },
    },
    settle('ack'),
    settle('release'),
    settle('reject'),
    {
      method: 'DELETE',
      path: `${QUEUE_PATH}/consumers/:consumer_id`,
      handler(_req, params) {
        queues.leave(params.group_id!, params.consumer_id!);
        return { status: 204 };
      },
    },
  ];
  return routes.map(guarded);
}
