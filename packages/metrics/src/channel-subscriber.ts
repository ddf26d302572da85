// Feeds BrokerMetrics from the server's mq:append and mq:fetch tracing channels, subscribed by
// name (this package depends on no @mq package). The channels are process-wide, so only events
// of sessions this broker's middleware has seen are counted (two brokers in one process stay apart).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { BrokerMetrics } from './broker-metrics';

/** The fields of @mq/server's AppendTrace that metrics read. */
interface AppendEvent {
  readonly topic: string;
  readonly bytes: number;
  readonly session: object;
  readonly result?: { readonly baseOffset: bigint; readonly lastOffset: bigint; readonly duplicate: boolean };
  readonly error?: unknown;
}

/** The fields of @mq/server's FetchTrace that metrics read. */
interface FetchEvent {
  readonly session: object;
  readonly result?: unknown;
  readonly error?: unknown;
}

type FetchResult = { responses?: readonly { topic?: string; topicId?: string; partitions: readonly { records?: Buffer | null }[] }[] };

/** The asyncEnd sub-channels of the server's tracing channels (Node's `tracing:<name>:asyncEnd`). */
const APPEND_END = 'tracing:mq:append:asyncEnd';
const FETCH_END = 'tracing:mq:fetch:asyncEnd';

export function subscribeChannels(metrics: BrokerMetrics, owns: (session: object) => boolean): () => void {
  const onAppend = (message: unknown): void => {
    const e = message as AppendEvent;
    const r = e.result;
    if (e.error !== undefined || r === undefined || r.duplicate || !owns(e.session)) return;
    metrics.appended(e.topic, e.bytes, Number(r.lastOffset - r.baseOffset) + 1);
  };
  const onFetch = (message: unknown): void => {
    const e = message as FetchEvent;
    if (e.error !== undefined || !owns(e.session)) return;
    const responses = (e.result as FetchResult | undefined)?.responses;
    if (responses !== undefined) metrics.fetched(responses);
  };
  subscribe(APPEND_END, onAppend);
  subscribe(FETCH_END, onFetch);
  return () => {
    unsubscribe(APPEND_END, onAppend);
    unsubscribe(FETCH_END, onFetch);
  };
}
