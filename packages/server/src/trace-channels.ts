// node:diagnostics_channel tracing channels for requests, appends, fetches and group requests
// (tracers and metrics subscribe; nothing here knows them). Every use is guarded by
// `hasSubscribers`, so with nobody listening no context object is built (platformatic/kafka's
// diagnostic.ts does the same on the client side).
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import type { DelayedMessage } from '@mq/delay';
import type { AppendResult } from '@mq/partition';
import { ApiKey } from '@mq/protocol';
import { Completion } from './completion';
import type { Body } from './handler';
import type { RequestMiddleware } from './request-middleware';
import type { Session } from './session';

/** Every request, from dispatch (start/end: the dispatch phase) to its response (asyncEnd). */
export interface RequestTrace {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly session: Session;
  readonly request: Body;
  /** Set by diagnostics_channel: the response body, or NO_RESPONSE. */
  result?: unknown;
  error?: unknown;
}

/** One batch appended to one partition by Produce. */
export interface AppendTrace {
  readonly topic: string;
  readonly partition: number;
  /** Bytes of the RecordBatch as produced. */
  readonly bytes: number;
  /** The RecordBatch as produced (the request's own buffer, not a copy): tracers read its headers. */
  readonly records: Buffer;
  readonly session: Session;
  result?: AppendResult;
  error?: unknown;
}

/** One produced batch held in the delay store instead of appended (mq-delay-ms / mq-deliver-at / mq.delay.ms). */
export interface DelayTrace {
  readonly topic: string;
  readonly partition: number;
  /** The RecordBatch as produced (tracers read its traceparent headers). */
  readonly records: Buffer;
  /** Its records as held, in batch order (headers included). */
  readonly messages: readonly DelayedMessage[];
  readonly session: Session;
  /** Set by diagnostics_channel: the delay-store ids, in the messages' order. */
  result?: readonly string[];
  error?: unknown;
}

/** One Fetch request, from dispatch to its response (a long poll's wait included). */
export interface FetchTrace {
  readonly session: Session;
  /** The decoded FetchRequest. */
  readonly request: object;
  result?: unknown;
  error?: unknown;
}

/** A request of a group API (join, sync, heartbeat, leave, commit, KIP-848 heartbeat). */
export interface GroupTrace {
  readonly apiKey: number;
  readonly groupId: string;
  /** The member id the request names (empty on a first JoinGroup); undefined for APIs without one. */
  readonly memberId: string | undefined;
  readonly session: Session;
  readonly request: Body;
  result?: unknown;
  error?: unknown;
}

export const REQUEST_CHANNEL = 'mq:request';
export const APPEND_CHANNEL = 'mq:append';
export const FETCH_CHANNEL = 'mq:fetch';
export const GROUP_CHANNEL = 'mq:group';
export const DELAY_CHANNEL = 'mq:delay';

export const requestChannel: TracingChannel<unknown, RequestTrace> = tracingChannel(REQUEST_CHANNEL);
export const appendChannel: TracingChannel<unknown, AppendTrace> = tracingChannel(APPEND_CHANNEL);
export const fetchChannel: TracingChannel<unknown, FetchTrace> = tracingChannel(FETCH_CHANNEL);
export const groupChannel: TracingChannel<unknown, GroupTrace> = tracingChannel(GROUP_CHANNEL);
export const delayChannel: TracingChannel<unknown, DelayTrace> = tracingChannel(DELAY_CHANNEL);

const GROUP_APIS: ReadonlySet<number> = new Set([
  ApiKey.OffsetCommit,
  ApiKey.JoinGroup,
  ApiKey.Heartbeat,
  ApiKey.LeaveGroup,
  ApiKey.SyncGroup,
  ApiKey.ConsumerGroupHeartbeat,
]);

/** The outermost middleware: traces every request on mq:request. */
export const traceRequests: RequestMiddleware = (call, next) => {
  if (!requestChannel.hasSubscribers) return next();
  const { ctx, request } = call;
  const trace: RequestTrace = { apiKey: ctx.apiKey, apiVersion: ctx.apiVersion, correlationId: ctx.correlationId, session: ctx.session, request };
  return Completion.later(requestChannel.tracePromise(() => next().response, trace));
};

/** Traces the group APIs on mq:group (group handlers stay untouched). */
export const traceGroups: RequestMiddleware = (call, next) => {
  if (!groupChannel.hasSubscribers || !GROUP_APIS.has(call.ctx.apiKey)) return next();
  const { ctx, request } = call;
  const memberId = typeof request.memberId === 'string' ? request.memberId : undefined;
  const trace: GroupTrace = { apiKey: ctx.apiKey, groupId: String(request.groupId ?? ''), memberId, session: ctx.session, request };
  return Completion.later(groupChannel.tracePromise(() => next().response, trace));
};
