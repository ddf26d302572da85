// The delay store on the broker's HTTP listener (what `mq delayed list | cancel` and the console's
// Delayed page call):
//   GET    /v1/delayed?topic=&partition=&limit=  → 200 { pending, messages: [DelayedMessageJson] }
//   GET    /v1/delayed/:id                       → 200 DelayedMessageJson | 404
//   DELETE /v1/delayed/:id                       → 200 { cancelled: DelayedMessageJson } | 404 | 409 (being delivered)
// Keys, values and header values are base64 (null stays null); dueAt and timestamp are epoch ms.
// A broker without a delay store answers 503.
import { DelayError, type DelayStore, type DelayedMessageInfo } from '@mq/delay';
import { HttpError, type Route } from '@mq/http';
import type { AdminServices } from '../admin-services';

/** Most messages one list answer carries. */
const MAX_LIMIT = 10_000;

export interface DelayedMessageJson {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly dueAt: bigint;
  readonly timestamp: bigint;
  readonly delivering: boolean;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly { key: string; value: string | null }[];
}

const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));

function toJsonMessage(m: DelayedMessageInfo): DelayedMessageJson {
  return {
    id: m.id,
    topic: m.topic,
    partition: m.partition,
    dueAt: m.dueAt,
    timestamp: m.timestamp,
    delivering: m.delivering,
    key: b64(m.key),
    value: b64(m.value),
    headers: m.headers.map((h) => ({ key: h.key, value: b64(h.value) })),
  };
}

function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw HttpError.badRequest(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return n;
}

function httpErrorOf(err: unknown): unknown {
  if (!(err instanceof DelayError)) return err;
  switch (err.code) {
    case 'NOT_FOUND':
      return HttpError.notFound(err.message);
    case 'DELIVERING':
      return new HttpError(409, err.message);
    case 'INVALID_ID':
      return HttpError.badRequest(err.message);
    default:
      return new HttpError(503, err.message);
  }
}

function storeOf(s: AdminServices): DelayStore {
  if (s.delayed === undefined) throw new HttpError(503, 'this broker has no delay store');
  return s.delayed;
}

export function delayedRoutes(s: AdminServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/delayed',
      handler(req) {
        const store = storeOf(s);
        const topic = req.query.get('topic') ?? undefined;
        const partition = intParam(req.query, 'partition', 0, 2 ** 31 - 1);
        const limit = intParam(req.query, 'limit', 1, MAX_LIMIT) ?? 100;
        const messages = store.list({ ...(topic !== undefined ? { topic } : {}), ...(partition !== undefined ? { partition } : {}), limit });
        return { status: 200, body: { pending: store.size, messages: messages.map(toJsonMessage) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/delayed/:id',
      handler(_req, params) {
        const store = storeOf(s);
        let m: DelayedMessageInfo | undefined;
        try {
          m = store.get(params.id!);
        } catch (err) {
          throw httpErrorOf(err);
        }
        if (m === undefined) throw HttpError.notFound(`no delayed message ${params.id} (delivered, cancelled or never scheduled)`);
        return { status: 200, body: toJsonMessage(m) };
      },
    },
    {
      method: 'DELETE',
      path: '/v1/delayed/:id',
      async handler(_req, params) {
        const store = storeOf(s);
        try {
          return { status: 200, body: { cancelled: toJsonMessage(await store.cancel(params.id!)) } };
        } catch (err) {
          throw httpErrorOf(err);
        }
      },
    },
  ];
}
