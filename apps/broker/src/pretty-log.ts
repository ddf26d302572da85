// A small pino destination for people: one line per entry, `HH:MM:SS.mmm LEVEL msg key=value ...`,
// colours on a terminal. The JSON a pino logger writes is parsed back here; anything that is not
// a JSON object passes through unchanged (so nothing is ever lost).
import { Writable } from 'node:stream';

const LEVELS: Readonly<Record<number, [string, string]>> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Shown in the prefix or not at all. */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function time(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** Formats one pino JSON line; returns it unchanged when it is not one. */
export function prettyLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const [name, c] = LEVELS[entry.level as number] ?? [String(entry.level), ''];
  const fields: string[] = [];
  let stack: string | undefined;
  for (const [k, v] of Object.entries(entry)) {
    if (SKIP.has(k)) continue;
    if (k === 'err' && v !== null && typeof v === 'object') {
      const e = v as { message?: string; stack?: string; type?: string };
      fields.push(`err=${value(e.message ?? e.type ?? v)}`);
      stack = e.stack;
      continue;
    }
    fields.push(`${k}=${value(v)}`);
  }
  const ts = typeof entry.time === 'number' ? time(entry.time) : '';
  const head = colour ? `${DIM}${ts}${RESET} ${c}${name}${RESET}` : `${ts} ${name}`;
  const rest = fields.length === 0 ? '' : colour ? ` ${DIM}${fields.join(' ')}${RESET}` : ` ${fields.join(' ')}`;
  return `${head} ${String(entry.msg ?? '')}${rest}${stack === undefined || (entry.level as number) < 50 ? '' : `\n${stack}`}`;
}

/** A Writable for pino(opts, stream): formats each line and writes it to `out`. */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }, colour = out.isTTY === true): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      const text = lines.map((l) => `${prettyLine(l, colour)}\n`).join('');
      if (text === '' || out.write(text)) done();
      else out.once('drain', () => done());
    },
    final(done) {
      if (pending !== '') out.write(`${prettyLine(pending, colour)}\n`);
      done();
    },
  });
}
