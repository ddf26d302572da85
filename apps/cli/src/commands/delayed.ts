// `mq delayed list | cancel`: the broker's delay store (messages produced with mq-delay-ms /
// mq-deliver-at that are not due yet), through its HTTP listener (GET / DELETE /v1/delayed):
// --http <url>, env MQ_HTTP_URL. Keys and values are shown as UTF-8 (base64 in the answer).
import type { Command } from 'commander';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { withoutCredentials } from '../http-credentials';
import { parseIntOption } from '../parse';

interface DelayedJson {
  id: string;
  topic: string;
  partition: number;
  dueAt: number;
  timestamp: number;
  delivering: boolean;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}

interface HttpOptions {
  http?: string;
}

const text = (b64: string | null): string | null => (b64 === null ? null : Buffer.from(b64, 'base64').toString('utf8'));

/** The listener's origin and, from http://user:password@host:port, the Basic header, or the bearer token's (neither ever in a message). */
async function baseUrl(c: CliContext, opts: HttpOptions): Promise<{ base: string; headers: Readonly<Record<string, string>> }> {
  const raw = opts.http ?? (c.io.env.MQ_HTTP_URL || undefined);
  if (raw === undefined) throw new UsageError('the delay store is reached through the broker’s HTTP listener: give --http http://host:port (or MQ_HTTP_URL)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--http ${raw} is not a URL (http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--http ${url.origin}: only http:// and https:// URLs`);
  const target = withoutCredentials(url, await c.bearerToken());
  return { base: target.url.origin, headers: target.headers };
}

/** Calls the route; a non-2xx answer becomes `error: <message> (HTTP <status>)`, exit 1. */
async function call<T>(c: CliContext, url: string, method: 'GET' | 'DELETE', headers: Readonly<Record<string, string>>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers, signal: AbortSignal.timeout(c.global.requestTimeout) });
  } catch (err) {
    throw new CliExit(1, `error: cannot reach ${new URL(url).origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!res.ok) throw new CliExit(1, `error: ${body?.message ?? res.statusText} (HTTP ${res.status})`);
  return body as T;
}

function row(m: DelayedJson): Record<string, unknown> {
  return {
    id: m.id,
    topic: m.topic,
    partition: m.partition,
    dueAt: new Date(m.dueAt).toISOString(),
    key: text(m.key),
    value: text(m.value),
    state: m.delivering ? 'delivering' : 'pending',
  };
}

function plain(m: DelayedJson): Record<string, unknown> {
  return { ...row(m), dueAt: m.dueAt, timestamp: m.timestamp, headers: m.headers.map((h) => ({ key: h.key, value: text(h.value) })) };
}

export function registerDelayed(program: Command, ctx: () => CliContext): void {
  const delayed = program.command('delayed').description('messages held in the broker’s delay store until due (mq-delay-ms / mq-deliver-at)');
  delayed
    .command('list')
    .description('pending delayed messages, earliest due first')
    .option('--http <url>', 'the broker’s HTTP listener (env MQ_HTTP_URL)')
    .option('-t, --topic <topic>', 'only those for this topic')
    .option('-p, --partition <n>', 'only those for this partition', parseIntOption(0))
    .option('--limit <n>', 'at most this many', parseIntOption(1, 10_000), 100)
    .action(async (opts: HttpOptions & { topic?: string; partition?: number; limit: number }) => {
      const c = ctx();
      const q = new URLSearchParams({ limit: String(opts.limit) });
      if (opts.topic !== undefined) q.set('topic', opts.topic);
      if (opts.partition !== undefined) q.set('partition', String(opts.partition));
      const { base, headers } = await baseUrl(c, opts);
      const res = await call<{ pending: number; messages: DelayedJson[] }>(c, `${base}/v1/delayed?${q}`, 'GET', headers);
      c.print({ rows: res.messages.map(row), columns: ['id', 'topic', 'partition', 'dueAt', 'key', 'value', 'state'], data: { pending: res.pending, messages: res.messages.map(plain) } });
      if (c.global.output === 'table') c.note(`mq: ${res.messages.length} shown, ${res.pending} pending in all`);
    });
  delayed
    .command('cancel <id...>')
    .description('cancel delayed messages by id (as `mq delayed list` shows them): they are never delivered')
    .option('--http <url>', 'the broker’s HTTP listener (env MQ_HTTP_URL)')
    .action(async (ids: string[], opts: HttpOptions) => {
      const c = ctx();
      const { base, headers } = await baseUrl(c, opts);
      const cancelled: DelayedJson[] = [];
      for (const id of ids) cancelled.push((await call<{ cancelled: DelayedJson }>(c, `${base}/v1/delayed/${encodeURIComponent(id)}`, 'DELETE', headers)).cancelled);
      c.print({ rows: cancelled.map(row), columns: ['id', 'topic', 'partition', 'dueAt', 'key', 'value'], data: cancelled.map(plain) });
    });
}
