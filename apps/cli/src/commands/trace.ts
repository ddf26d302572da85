// `mq trace <trace-id>`: a traced message's journey (produce, replicate, fetch, commit) from the
// broker's HTTP listener (`GET /v1/traces/<id>`), one row per step in order. The Kafka protocol has
// no trace query, so this command reads the HTTP API: --http-url, else env MQ_HTTP_URL.
import type { Command } from 'commander';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { withoutCredentials } from '../http-credentials';

const TRACE_ID = /^[0-9a-f]{32}$/;

interface Span {
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export function registerTrace(program: Command, ctx: () => CliContext): void {
  program
    .command('trace <trace-id>')
    .description("a traced message's steps (produce, replicate, fetch, commit) from the broker's HTTP listener")
    .option('--http-url <url>', "the broker's HTTP listener, e.g. http://127.0.0.1:8080 or http://user:password@host:port (env MQ_HTTP_URL); or --bearer-token")
    .action(async (traceId: string, opts: { httpUrl?: string }) => {
      const c = ctx();
      if (!TRACE_ID.test(traceId)) throw new UsageError(`not a trace id (32 lowercase hex digits): ${traceId}`);
      const base = opts.httpUrl ?? (c.io.env.MQ_HTTP_URL || undefined);
      if (base === undefined) throw new UsageError("trace reads the broker's HTTP listener: give --http-url (or set MQ_HTTP_URL)");
      // http://user:password@host:port authenticates with HTTP Basic; the password stays out of every message.
      const { url, headers } = withoutCredentials(httpUrl(base, `/v1/traces/${traceId}`), await c.bearerToken());
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: AbortSignal.timeout(c.global.requestTimeout) });
      } catch (err) {
        throw new CliExit(1, `error: cannot reach ${url.origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as { spans?: Span[]; message?: string };
      if (res.status !== 200 || body.spans === undefined) throw new CliExit(1, `error: ${body.message ?? `HTTP ${res.status} from ${url.href}`}`);
      c.print({
        rows: body.spans.map((s) => ({
          step: s.name,
          start: new Date(s.startTimeMs).toISOString(),
          ms: (s.endTimeMs - s.startTimeMs).toFixed(3),
          topic: s.attributes['messaging.destination.name'] ?? '-',
          partition: s.attributes['messaging.destination.partition.id'] ?? '-',
          offset: s.attributes['messaging.kafka.offset'] ?? '-',
          group: s.attributes['messaging.consumer.group.name'] ?? '-',
          client: s.attributes['messaging.client.id'] ?? '-',
          span: s.spanId,
          parent: s.parentSpanId ?? '-',
        })),
        data: body,
      });
    });
}

function httpUrl(base: string, path: string): URL {
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw new UsageError(`not an http(s) URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`not an http(s) URL: ${base}`);
  return url;
}
