// Spans appended as JSON lines to rotating files `traces-<startMs>.jsonl` in one directory, with
// retention by total size and by age. The filesystem is injected (this package is layer 0 and
// touches no node:fs itself); the broker passes node:fs/promises.
import type { TraceSpan } from './trace-span';

/** The subset of node:fs/promises the sink uses. */
export interface TraceFileSystem {
  mkdir(path: string, opts: { recursive: true }): Promise<unknown>;
  appendFile(path: string, data: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; mtimeMs: number }>;
  unlink(path: string): Promise<void>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

export interface JsonlSinkOptions {
  readonly dir: string;
  readonly fs: TraceFileSystem;
  /** A file is closed and a new one started past this size; default 16 MiB. */
  readonly maxFileBytes?: number;
  /** Oldest files are deleted while all of them together exceed this; default 256 MiB. */
  readonly maxTotalBytes?: number;
  /** Files last written longer ago than this are deleted; default 7 days. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  readonly onError?: (err: unknown) => void;
}

const FILE_RE = /^traces-(\d+)\.jsonl$/;

export class JsonlSink {
  private readonly maxFileBytes: number;
  private readonly maxTotalBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private pending: string[] = [];
  private current: { name: string; size: number } | undefined;
  /** One write at a time, in order; flush() waits for it. */
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly opts: JsonlSinkOptions) {
    this.maxFileBytes = opts.maxFileBytes ?? 16 * 1024 * 1024;
    this.maxTotalBytes = opts.maxTotalBytes ?? 256 * 1024 * 1024;
    this.maxAgeMs = opts.maxAgeMs ?? 7 * 24 * 3600 * 1000;
    this.now = opts.now ?? Date.now;
  }

  /** Buffers the span; lines are written in batches on the next tick. */
  write(span: TraceSpan): void {
    this.pending.push(`${JSON.stringify(span)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.chain = this.chain.then(() => this.drain()).catch((err: unknown) => this.opts.onError?.(err));
    });
  }

  /** Resolves once everything written so far is in a file. */
  async flush(): Promise<void> {
    await Promise.resolve();
    await this.chain;
    if (this.pending.length > 0) {
      this.chain = this.chain.then(() => this.drain());
      await this.chain;
    }
  }

  /** Spans from the files, oldest file first (at most `limit`, the newest ones). */
  async readAll(limit = Number.POSITIVE_INFINITY): Promise<TraceSpan[]> {
    const out: TraceSpan[] = [];
    for (const name of (await this.files()).reverse()) {
      const text = await this.opts.fs.readFile(`${this.opts.dir}/${name}`, 'utf8');
      const lines = text.split('\n').filter((l) => l !== '');
      for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
        try {
          out.push(JSON.parse(lines[i]!) as TraceSpan);
        } catch {
          // a torn last line after a crash: skip it
        }
      }
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  private async drain(): Promise<void> {
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    const data = lines.join('');
    const bytes = Buffer.byteLength(data);
    if (this.current === undefined || this.current.size + bytes > this.maxFileBytes) await this.rotate();
    const cur = this.current!;
    await this.opts.fs.appendFile(`${this.opts.dir}/${cur.name}`, data);
    cur.size += bytes;
  }

  private async rotate(): Promise<void> {
    await this.opts.fs.mkdir(this.opts.dir, { recursive: true });
    let start = Math.floor(this.now());
    const existing = await this.files();
    // Names must sort in write order even when two rotations share a millisecond.
    const newest = existing.length > 0 ? Number(FILE_RE.exec(existing[existing.length - 1]!)![1]) : -1;
    if (start <= newest) start = newest + 1;
    this.current = { name: `traces-${String(start).padStart(15, '0')}.jsonl`, size: 0 };
    await this.enforceRetention(existing);
  }

  private async enforceRetention(files: string[]): Promise<void> {
    const stats = await Promise.all(files.map(async (name) => ({ name, ...(await this.opts.fs.stat(`${this.opts.dir}/${name}`)) })));
    let total = stats.reduce((sum, s) => sum + s.size, 0);
    const cutoff = this.now() - this.maxAgeMs;
    for (const s of stats) {
      if (total <= this.maxTotalBytes && s.mtimeMs >= cutoff) continue;
      await this.opts.fs.unlink(`${this.opts.dir}/${s.name}`);
      total -= s.size;
    }
  }

  /** Trace files, oldest first. */
  private async files(): Promise<string[]> {
    let names: string[];
    try {
      names = await this.opts.fs.readdir(this.opts.dir);
    } catch {
      return [];
    }
    return names.filter((n) => FILE_RE.test(n)).sort();
  }
}
