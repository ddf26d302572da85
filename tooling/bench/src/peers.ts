// The peer brokers a user would pick instead, as child processes on 127.0.0.1 with temp data dirs:
// NATS JetStream (file storage) and Redis (AOF, appendfsync everysec). Installed with apt-get when
// missing and running as root; nothing is downloaded when they are present.
import { execFileSync } from 'node:child_process';
import { freePort, ServerProcess } from './server-process';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Makes sure kcat, nats-server, redis-server and redis-benchmark exist (apt-get as root if not). */
export function ensurePeerTools(): void {
  const missing = ['kcat', 'nats-server', 'redis-server', 'redis-benchmark'].filter((c) => !has(c));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${missing.join(', ')}: install the Debian packages kcat nats-server redis-server`);
  process.stderr.write(`bench: apt-get install ${missing.join(' ')}\n`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'kcat', 'nats-server', 'redis-server', 'redis-tools'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export async function startNats(dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  return ServerProcess.start({ name: 'nats', cmd: 'nats-server', args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dataDir], port });
}

export async function startRedis(dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  return ServerProcess.start({
    name: 'redis',
    cmd: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(port), '--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--protected-mode', 'no', '--daemonize', 'no', '--logfile', ''],
    port,
  });
}
