// A server under test run as a child process: started on 127.0.0.1 on a free port, timed from spawn
// to the first accepted TCP connection, sampled through /proc, and stopped by its PID only.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { sampleProcess, type ProcSample } from './process-stats';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface ServerSpec {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly port: number;
  readonly cwd?: string;
}

export class ServerProcess {
  private output = '';

  private constructor(
    readonly spec: ServerSpec,
    readonly child: ChildProcess,
    /** Spawn to first accepted TCP connection, in ms. */
    readonly startupMs: number,
  ) {
    child.stdout?.on('data', (b: Buffer) => this.keep(b));
    child.stderr?.on('data', (b: Buffer) => this.keep(b));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.spec.name} has no pid`);
    return this.child.pid;
  }

  get log(): string {
    return this.output;
  }

  static async start(spec: ServerSpec, timeoutMs = 30_000): Promise<ServerProcess> {
    const t0 = performance.now();
    const child = spawn(spec.cmd, spec.args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: spec.cwd });
    let early = '';
    const collect = (b: Buffer): void => {
      if (early.length < 20_000) early += b.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let exited = false;
    child.once('exit', () => (exited = true));
    while (!(await tryConnect(spec.port))) {
      if (exited) throw new Error(`${spec.name} exited during start:\n${early.slice(-3000)}`);
      if (performance.now() - t0 > timeoutMs) {
        process.kill(child.pid!, 'SIGKILL');
        throw new Error(`${spec.name} did not accept connections within ${timeoutMs} ms:\n${early.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const startupMs = performance.now() - t0;
    child.stdout?.off('data', collect);
    child.stderr?.off('data', collect);
    return new ServerProcess(spec, child, startupMs);
  }

  sample(): ProcSample {
    return sampleProcess(this.pid);
  }

  /**
   * SIGTERM, then SIGKILL after graceMs; resolves when the process is gone with how long that took
   * and whether it had to be killed (a killed broker reopens through crash recovery).
   */
  async stop(graceMs = 15_000): Promise<{ ms: number; killed: boolean }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return { ms: 0, killed: false };
    const t0 = performance.now();
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    process.kill(this.pid, 'SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    await gone;
    clearTimeout(timer);
    return { ms: performance.now() - t0, killed };
  }

  private keep(b: Buffer): void {
    this.output += b.toString('utf8');
    if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
  }
}
