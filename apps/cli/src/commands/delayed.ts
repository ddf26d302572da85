// `mq delayed list | cancel`: the broker's delay store (messages produced with mq-delay-ms /
// mq-deliver-at that are not due yet), through its HTTP listener (GET / DELETE /v1/delayed):
// --http <url>, env MQ_HTTP_URL. Keys and values are shown as UTF-8 (base64 in the answer).
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { callHttpApi, httpApi } from '../http-api';
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
      const api = await httpApi(c, opts.http, 'the delay store');
      const res = await callHttpApi<{ pending: number; messages: DelayedJson[] }>(c, api, 'GET', `/v1/delayed?${q}`);
      c.print({ rows: res.messages.map(row), columns: ['id', 'topic', 'partition', 'dueAt', 'key', 'value', 'state'], data: { pending: res.pending, messages: res.messages.map(plain) } });
      if (c.global.output === 'table') c.note(`mq: ${res.messages.length} shown, ${res.pending} pending in all`);
    });
  delayed
    .command('cancel <id...>')
    .description('cancel delayed messages by id (as `mq delayed list` shows them): they are never delivered')
    .option('--http <url>', 'the broker’s HTTP listener (env MQ_HTTP_URL)')
    .action(async (ids: string[], opts: HttpOptions) => {
      const c = ctx();
      const api = await httpApi(c, opts.http, 'the delay store');
      const cancelled: DelayedJson[] = [];
      for (const id of ids) cancelled.push((await callHttpApi<{ cancelled: DelayedJson }>(c, api, 'DELETE', `/v1/delayed/${encodeURIComponent(id)}`)).cancelled);
      c.print({ rows: cancelled.map(row), columns: ['id', 'topic', 'partition', 'dueAt', 'key', 'value'], data: cancelled.map(plain) });
    });
}
