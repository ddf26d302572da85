// The delay store on the broker's HTTP listener (what `mq delayed list | cancel` and the console's
// Delayed page call):
//   GET    /v1/delayed?topic=&partition=&limit=  → 200 { pending, messages: [DelayedMessageJson] }
//   GET    /v1/delayed/:id                       → 200 DelayedMessageJson | 404
//   DELETE /v1/delayed/:id                       → 200 { cancelled: DelayedMessageJson } | 404 | 409 (being delivered)
// Keys, values and header values are base64 (null stays null); dueAt and timestamp are epoch ms.
// A broker without a delay store answers 503. In a cluster (`delayedPeers`) each broker holds the
// delay partitions it leads: a list gathers every leader's (asked with `local=1`: its own only), a
// get or cancel goes to the leader of the id's partition over HTTP — so any broker answers for all
// of them, in the same shapes.
import { DelayError, type DelayStore, type DelayedMessageInfo } from '@mq/delay';
import { HttpError, type HttpRequest, type Route, type RouteResult } from '@mq/http';
import type { AdminServices, DelayedPeers, PeerResponse } from '../admin-services';

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

function forwardedHeaders(req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = { accept: 'application/json' };
  if (typeof req.headers.authorization === 'string') out.authorization = req.headers.authorization;
  return out;
}

async function ask(peers: DelayedPeers, to: number, req: HttpRequest, pathAndQuery: string): Promise<PeerResponse> {
  try {
    return await peers.forward(to, { method: req.method as 'GET' | 'DELETE', pathAndQuery, headers: forwardedHeaders(req), body: Buffer.alloc(0), principal: req.principal });
  } catch (err) {
    throw new HttpError(503, `broker ${to}, which holds these delayed messages, did not answer: ${(err as Error).message}`);
  }
}

function passThrough(res: PeerResponse): RouteResult {
  return { status: res.status, body: res.body, contentType: res.contentType ?? 'application/json' };
}

/** A get or cancel for an id whose delay partition another broker leads: its answer. Undefined: answer here. */
async function atLeader(store: DelayStore, peers: DelayedPeers | undefined, req: HttpRequest, id: string): Promise<RouteResult | undefined> {
  const p = /^(\d{1,9})-\d{1,16}$/.exec(id);
  if (peers === undefined || p === null || store.leads(Number(p[1]))) return undefined;
  const leader = peers.leaderOf(Number(p[1]));
  if (leader === undefined) throw new HttpError(503, `delay partition ${p[1]} has no leader now; try again`);
  return passThrough(await ask(peers, leader, req, `/v1/delayed/${encodeURIComponent(id)}`));
}

type ListedJson = { pending: number; messages: { id: string; dueAt: bigint | number }[] };

export function delayedRoutes(s: AdminServices): Route[] {
  const peers = s.delayedPeers;
  return [
    {
      method: 'GET',
      path: '/v1/delayed',
      async handler(req) {
        const store = storeOf(s);
        const topic = req.query.get('topic') ?? undefined;
        const partition = intParam(req.query, 'partition', 0, 2 ** 31 - 1);
        const limit = intParam(req.query, 'limit', 1, MAX_LIMIT) ?? 100;
        const messages = store.list({ ...(topic !== undefined ? { topic } : {}), ...(partition !== undefined ? { partition } : {}), limit });
        const here: ListedJson = { pending: store.size, messages: messages.map(toJsonMessage) };
        if (peers === undefined || req.query.has('local')) return { status: 200, body: here };
        const query = new URLSearchParams(req.query);
        query.set('local', '1');
        const answers = await Promise.all(
          peers.otherLeaders().map(async (to) => {
            const res = await ask(peers, to, req, `/v1/delayed?${query}`);
            if (res.status !== 200) return passThrough(res);
            return JSON.parse(res.body.toString('utf8')) as ListedJson;
          }),
        );
        const failed = answers.find((a): a is RouteResult => 'status' in a);
        if (failed !== undefined) return failed;
        const all = [here, ...(answers as ListedJson[])];
        const merged = all.flatMap((a) => a.messages).sort((a, b) => Number(a.dueAt) - Number(b.dueAt) || (a.id < b.id ? -1 : 1));
        return { status: 200, body: { pending: all.reduce((n, a) => n + a.pending, 0), messages: merged.slice(0, limit) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/delayed/:id',
      async handler(req, params) {
        const store = storeOf(s);
        const there = await atLeader(store, peers, req, params.id!);
        if (there !== undefined) return there;
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
      async handler(req, params) {
        const store = storeOf(s);
        const there = await atLeader(store, peers, req, params.id!);
        if (there !== undefined) return there;
        try {
          return { status: 200, body: { cancelled: toJsonMessage(await store.cancel(params.id!)) } };
        } catch (err) {
          throw httpErrorOf(err);
        }
      },
    },
  ];
}
