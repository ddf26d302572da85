// How a Fetch uses its KIP-227 session, decided in the dispatch phase (so pipelined fetches of one
// session apply in order): session_id 0 / epoch -1 is sessionless; epoch 0 is a full fetch that
// opens a session (closing the one named); epoch -1 with an id closes that session; epoch > 0 is an
// incremental fetch of a known session at its expected epoch, which adds the partitions it names
// and drops the forgotten ones.
import { ErrorCode } from '@mq/protocol';
import type { RequestContext } from '../handler';
import { FINAL_SESSION_EPOCH, type FetchSession, INITIAL_SESSION_EPOCH, type SessionPartitionRequest } from '../fetch-session';

export interface SessionFetchRequest {
  sessionId?: number;
  sessionEpoch?: number;
  topics: { topic?: string; topicId?: string; partitions: SessionPartitionRequest[] }[];
  forgottenTopicsData?: { topic?: string; topicId?: string; partitions: number[] }[];
}

export type SessionPlan =
  /** The request is answered with this top-level error and no partitions. */
  | { readonly kind: 'error'; readonly errorCode: number }
  /** Every requested partition is read and answered; `session` (if one was opened) records them. */
  | { readonly kind: 'full'; readonly session: FetchSession | undefined }
  /** The session's partitions are read; only those with news are answered. */
  | { readonly kind: 'incremental'; readonly session: FetchSession };

export function planSession(req: SessionFetchRequest, ctx: RequestContext): SessionPlan {
  if (ctx.apiVersion < 7) return { kind: 'full', session: undefined };
  const cache = ctx.broker.fetchSessions;
  const id = req.sessionId ?? 0;
  const epoch = req.sessionEpoch ?? FINAL_SESSION_EPOCH;
  const byId = ctx.apiVersion >= 13;
  if (epoch === FINAL_SESSION_EPOCH || epoch === INITIAL_SESSION_EPOCH) {
    if (id !== 0) cache.remove(id);
    if (epoch === FINAL_SESSION_EPOCH) return { kind: 'full', session: undefined };
    const count = req.topics.reduce((n, t) => n + t.partitions.length, 0);
    const session = cache.create(byId, count);
    if (session !== undefined) addRequested(session, req, ctx);
    return { kind: 'full', session };
  }
  if (id === 0 || epoch < 0) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
  const session = cache.get(id);
  if (session === undefined) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
  if (session.epoch !== epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
  if (session.usesTopicIds !== byId) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
  session.advanceEpoch();
  for (const f of req.forgottenTopicsData ?? []) {
    const topicKey = (byId ? f.topicId : f.topic) ?? '';
    for (const partition of f.partitions) session.forget(topicKey, partition);
  }
  addRequested(session, req, ctx);
  return { kind: 'incremental', session };
}

function addRequested(session: FetchSession, req: SessionFetchRequest, ctx: RequestContext): void {
  const { topics } = ctx.broker;
  for (const rt of req.topics) {
    // By id (v13+) the name is what the id resolves to now ('' for an unknown id: answered UNKNOWN_TOPIC_ID).
    const name = session.usesTopicIds ? (topics.getById(rt.topicId ?? '')?.name ?? '') : (rt.topic ?? '');
    for (const rp of rt.partitions) session.upsert(name, rt.topicId ?? '', rp);
  }
}
