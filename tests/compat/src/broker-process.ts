// A broker running as a child process from apps/broker/dist/main.js: started on 127.0.0.1 port 0,
// its port parsed from the "broker listening" pino line, stopped by PID (SIGTERM or SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { killQuietly, waitForExit } from './child-process';
import { BROKER_MAIN } from './paths';

export interface BrokerProcessOptions {
  readonly dataDir: string;
  /** The port to listen on (a restart on the port clients already know); default 0, any free one. */
  readonly port?: number;
  /** Written as a JSON config file (Kafka property names) when given. */
  readonly configFile?: string;
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Run under `prlimit --nofile=N:N` (a real open-file limit; prlimit execs, so the PID is the broker's). */
  readonly nofile?: number;
}

export class BrokerProcess {
  readonly host = '127.0.0.1';
  /** Every stdout line the broker wrote, for diagnostics when a test fails. */
  readonly logLines: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get bootstrap(): string {
    return `${this.host}:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('broker child has no pid');
    return this.child.pid;
  }

  static async start(opts: BrokerProcessOptions): Promise<BrokerProcess> {
    const args = [BROKER_MAIN, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--data-dir', opts.dataDir];
    if (opts.configFile !== undefined) args.push('--config', opts.configFile);
    args.push(...(opts.extraArgs ?? []));
    const child =
      opts.nofile === undefined
        ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('prlimit', [`--nofile=${opts.nofile}:${opts.nofile}`, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const stderr: string[] = [];
    child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
    const rl = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        killQuietly(child, 'SIGKILL');
        reject(new Error(`broker did not log "broker listening" in time; stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('')}`));
      }, opts.startTimeoutMs ?? 30_000);
      rl.on('line', (line) => {
        lines.push(line);
        const port = listeningPort(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolve(port);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`broker exited during start (code ${code}, signal ${signal}); stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('')}`));
      });
    });
    const broker = new BrokerProcess(child, port);
    broker.logLines.push(...lines);
    rl.on('line', (line) => broker.logLines.push(line));
    return broker;
  }

  isAlive(): boolean {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return false;
    try {
      process.kill(this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Resident set size from /proc (Linux), in bytes. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m === null) throw new Error('no VmRSS in /proc status');
    return Number(m[1]) * 1024;
  }

  /** Graceful stop: SIGTERM, then wait for exit; returns the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.isAlive()) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    killQuietly(this.child, 'SIGTERM');
    if (!(await waitForExit(this.child, timeoutMs))) {
      killQuietly(this.child, 'SIGKILL');
      await waitForExit(this.child, 10_000);
      throw new Error(`broker pid ${this.pid} ignored SIGTERM for ${timeoutMs} ms`);
    }
    return exited;
  }

  /** Crash: SIGKILL, no chance to flush or close anything. */
  async kill(): Promise<void> {
    killQuietly(this.child, 'SIGKILL');
    await waitForExit(this.child, 10_000);
  }
}

function listeningPort(line: string): number | undefined {
  if (!line.includes('broker listening')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; port?: unknown };
    if (parsed.msg === 'broker listening' && typeof parsed.port === 'number') return parsed.port;
  } catch {
    // not JSON: ignore
  }
  return undefined;
}
