// kcat (librdkafka 2.0.2, Debian) driven as a child process: metadata listing, producing a file of
// keyed lines, consuming to end with a format string, and a long-running consumer for liveness checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { killQuietly, run, waitForExit, type RunResult } from './child-process';

export const KCAT = process.env.KCAT ?? 'kcat';

/** Runs kcat and fails with its stderr when it times out or exits non-zero. */
export async function kcat(args: readonly string[], timeoutMs = 120_000, input?: Buffer | string): Promise<RunResult> {
  const res = await run(KCAT, args, { timeoutMs, ...(input !== undefined ? { input } : {}) });
  if (res.timedOut) throw new Error(`kcat ${args.join(' ')} timed out after ${timeoutMs} ms; stderr:\n${res.stderr.slice(-4000)}`);
  if (res.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${res.code}; stderr:\n${res.stderr.slice(-4000)}`);
  return res;
}

export interface KcatMetadata {
  readonly brokers: { id: number; name: string }[];
  readonly topics: { topic: string; partitions: { partition: number; leader: number; err?: string }[] }[];
}

/** `kcat -L -J`: the broker list and topics as librdkafka sees them. */
export async function kcatMetadata(bootstrap: string, topic?: string): Promise<KcatMetadata> {
  const args = ['-L', '-J', '-b', bootstrap, '-m', '30'];
  if (topic !== undefined) args.push('-t', topic);
  const res = await kcat(args, 60_000);
  return JSON.parse(res.stdout.toString('utf8')) as KcatMetadata;
}

export interface ProduceFileOptions {
  readonly codec?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  readonly keyDelimiter?: string;
  readonly extra?: readonly string[];
  readonly timeoutMs?: number;
}

/** `kcat -P -l FILE`: one message per line, key before the delimiter; acks=-1 (librdkafka default). */
export async function kcatProduceFile(bootstrap: string, topic: string, file: string, opts: ProduceFileOptions = {}): Promise<RunResult> {
  const args = ['-P', '-b', bootstrap, '-t', topic, '-l'];
  if (opts.keyDelimiter !== undefined) args.push('-K', opts.keyDelimiter);
  if (opts.codec !== undefined) args.push('-z', opts.codec);
  args.push('-X', 'request.required.acks=-1', ...(opts.extra ?? []), file);
  const res = await kcat(args, opts.timeoutMs ?? 180_000);
  if (/delivery failed|failed to produce/i.test(res.stderr)) throw new Error(`kcat reported failed deliveries:\n${res.stderr.slice(-4000)}`);
  return res;
}

/** `kcat -C -e -o beginning -f FMT`: every message of the topic (all partitions), then exit. */
export async function kcatConsumeAll(bootstrap: string, topic: string, format: string, timeoutMs = 180_000, extra: readonly string[] = []): Promise<Buffer> {
  const res = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format, ...extra], timeoutMs);
  return res.stdout;
}

/** A `kcat -C` that keeps running (no -e); its stdout is collected so a test can wait for lines. */
export class KcatTail {
  private readonly chunks: Buffer[] = [];
  private stderrText = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (b: Buffer) => this.chunks.push(b));
    child.stderr!.on('data', (b: Buffer) => (this.stderrText += b.toString('utf8')));
  }

  static start(bootstrap: string, topic: string, format = '%s\n'): KcatTail {
    // -u: kcat fully buffers stdout into a pipe otherwise, so nothing would arrive until it exits.
    const child = spawn(KCAT, ['-C', '-u', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-q', '-f', format], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new KcatTail(child);
  }

  get output(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  get stderr(): string {
    return this.stderrText;
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls the collected output until predicate holds (true) or the deadline passes (false). */
  async waitFor(predicate: (output: string) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.output)) return true;
      if (!this.isRunning()) return predicate(this.output);
      await new Promise((r) => setTimeout(r, 100));
    }
    return predicate(this.output);
  }

  async stop(): Promise<void> {
    killQuietly(this.child, 'SIGTERM');
    if (!(await waitForExit(this.child, 5_000))) {
      killQuietly(this.child, 'SIGKILL');
      await waitForExit(this.child, 5_000);
    }
  }
}

/** One record as `kcat -C -J` prints it, with its headers also as a map (`h`). */
export interface KcatRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly ts: number;
  readonly key: string | null;
  readonly payload: string | null;
  readonly headers?: string[];
  readonly h: Record<string, string>;
}

/** The first `count` records of `topic` from the beginning (every partition), read with kcat -J. */
export async function kcatRecords(bootstrap: string, topic: string, count: number): Promise<KcatRecord[]> {
  const res = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-c', String(count), '-e', '-q', '-J'], 60_000);
  return res.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = JSON.parse(l) as Omit<KcatRecord, 'h'>;
      const h: Record<string, string> = {};
      for (let i = 0; i + 1 < (m.headers ?? []).length; i += 2) h[m.headers![i]!] = m.headers![i + 1]!;
      return { ...m, h };
    });
}
