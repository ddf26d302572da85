// Test harness: a real etcd (Debian's etcd-server 3.4) on free 127.0.0.1 ports in a temp data dir,
// started and stopped by the test — never a shared or system etcd. The binary is MQ_ETCD_BIN, else
// /usr/bin/etcd, else `etcd` on PATH. Tuned for a 2-core CI box: a 50 ms heartbeat and 500 ms
// election timeout make etcd's minimum lease TTL 1 s (its default timings round a 1 s TTL up to 2 s).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdServer {
  /** http://127.0.0.1:<port>, what `--etcd` takes. */
  readonly endpoint: string;
  readonly clientPort: number;
  readonly dataDir: string;
  readonly pid: number;
  /** SIGKILLs etcd (the data dir stays: restart() brings the same cluster back). */
  kill(): Promise<void>;
  /** Starts etcd again on the same ports and data dir (after kill()). */
  restart(): Promise<void>;
  /** Stops etcd and removes its data dir. */
  stop(): Promise<void>;
}

/** MQ_ETCD_BIN, else /usr/bin/etcd, else `etcd` on PATH; throws naming all three when none exists. */
export function findEtcd(): string {
  const fromEnv = process.env.MQ_ETCD_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`MQ_ETCD_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/etcd')) return '/usr/bin/etcd';
  const which = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') return found;
  throw new Error('etcd not found: set MQ_ETCD_BIN, or install Debian’s etcd-server (/usr/bin/etcd), or put etcd on PATH');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startEtcd(opts: { bin?: string } = {}): Promise<EtcdServer> {
  const bin = opts.bin ?? findEtcd();
  const dataDir = await mkdtemp(join(tmpdir(), 'mq-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async (): Promise<void> => {
    output = '';
    const c = spawn(
      bin,
      [
        '--name', 'mq-test',
        '--data-dir', join(dataDir, 'etcd'),
        '--listen-client-urls', endpoint,
        '--advertise-client-urls', endpoint,
        '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-cluster', `mq-test=http://127.0.0.1:${peerPort}`,
        '--heartbeat-interval', '50',
        '--election-timeout', '500',
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    c.stdout!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
    c.stderr!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => c.once('exit', (code) => reject(new Error(`etcd exited with ${code} before it served: ${output}`))));
    await Promise.race([waitHealthy(endpoint, 30_000), exited]);
  };

  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await gone;
  };

  await launch().catch(async (err: unknown) => {
    await kill();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    endpoint,
    clientPort,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    restart: launch,
    async stop() {
      await kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls /health (etcd's HTTP endpoint on the client port) until it says true. */
async function waitHealthy(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/health`);
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`etcd at ${endpoint} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
