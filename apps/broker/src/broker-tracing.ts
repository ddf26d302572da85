// Wires @mq/trace into a broker: the sampler, the in-memory ring, the JSONL files and the OTLP
// exporter from the trace.* keys, the channel feeds (trace-feed.ts; queue-trace-feed.ts for share
// groups and delayed messages), a middleware that marks this broker's sessions, and the store the
// admin API's /v1/traces routes read. With sampling off nothing subscribes: zero cost.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Logger } from 'pino';
import type { TopicManager } from '@mq/partition';
import type { RequestMiddleware, Session } from '@mq/server';
import { JsonlSink, MessageTracer, OtlpExporter, Sampler, type SamplingPolicy, TraceStore, parseSamplingPolicy } from '@mq/trace';
import { ConfigError } from './config-error';
import { type BrokerTraceOptions, TRACE_CONFIG_DEFS } from './trace-config-defs';
import { QueueTraceFeed } from './queue-trace-feed';
import { subscribeTraceFeed } from './trace-feed';

export interface BrokerTracing {
  readonly tracer: MessageTracer;
  /** Marks the sessions that are this broker's (absent when sampling is off: nothing to mark). */
  readonly middleware: RequestMiddleware | undefined;
  /** Share-group steps and delayed deliveries as spans (absent when sampling is off). */
  readonly queues: QueueTraceFeed | undefined;
  /** What the admin API's /v1/traces routes read. */
  readonly store: TraceStore;
  readonly sink: JsonlSink | undefined;
  /** Unsubscribes, writes what the JSONL sink holds and sends what the exporter batched. */
  stop(): Promise<void>;
}

const num = (v: number | undefined, dflt: string | undefined): number => v ?? Number(dflt);

/** The sampling policy of startBroker({ trace }), checked before anything starts: a bad one is a ConfigError, as from a file. */
export function tracePolicy(opts: BrokerTraceOptions | undefined): SamplingPolicy {
  try {
    return parseSamplingPolicy(opts?.sampling ?? TRACE_CONFIG_DEFS.sampling.default);
  } catch (err) {
    throw new ConfigError(`trace.sampling: ${(err as Error).message}`, { cause: err });
  }
}

export async function wireTracing(policy: SamplingPolicy, opts: BrokerTraceOptions, topics: TopicManager, replicated: boolean, logger: Logger): Promise<BrokerTracing> {
  const ring = num(opts.ringSize, TRACE_CONFIG_DEFS.ringSize.default);
  const store = new TraceStore({ maxSpans: ring, maxMessages: ring });
  const tracer = new MessageTracer({ sampler: new Sampler(policy), store, randomBytes, replicated });
  const onError = (err: unknown): void => logger.warn({ err }, 'tracing failed');
  const sink =
    opts.dir === undefined
      ? undefined
      : new JsonlSink({
          dir: opts.dir,
          fs: fsp,
          maxFileBytes: num(opts.fileBytes, TRACE_CONFIG_DEFS.fileBytes.default),
          maxTotalBytes: num(opts.retentionBytes, TRACE_CONFIG_DEFS.retentionBytes.default),
          maxAgeMs: num(opts.retentionMs, TRACE_CONFIG_DEFS.retentionMs.default),
          onError,
        });
  const exporter = opts.otlpEndpoint === undefined ? undefined : await OtlpExporter.create({ url: opts.otlpEndpoint });
  if (sink !== undefined) tracer.onSpan((span) => sink.write(span));
  if (exporter !== undefined) tracer.onSpan((span) => exporter.export(span));
  const sessions = new WeakSet<Session>();
  const enabled = policy.kind !== 'off';
  const owns = (s: Session): boolean => sessions.has(s);
  const unsubscribe = enabled ? subscribeTraceFeed({ tracer, topics, owns, replicated, onError }) : undefined;
  const queues = enabled ? new QueueTraceFeed(tracer, topics) : undefined;
  const unsubscribeDelays = queues?.subscribeDelays(owns);
  const middleware: RequestMiddleware | undefined = enabled
    ? (call, next) => {
        sessions.add(call.ctx.session);
        return next();
      }
    : undefined;
  return {
    tracer,
    middleware,
    queues,
    store,
    sink,
    stop: async () => {
      unsubscribe?.();
      unsubscribeDelays?.();
      await sink?.flush().catch(onError);
      await exporter?.shutdown().catch(onError);
    },
  };
}
