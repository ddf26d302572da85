// Our broker for benchmarks: apps/broker/dist/main.js as a child process (built first when missing or
// stale), on 127.0.0.1 at a free port with a temp data dir, so it is measured like the peers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, ServerProcess } from './server-process';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BROKER_MAIN = join(REPO_ROOT, 'apps/broker/dist/main.js');

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return n;
}

/** apps/broker and the workspace packages it depends on, directly or not (not the client, say). */
function brokerPackageDirs(): string[] {
  const byName = new Map<string, string>();
  for (const root of ['apps', 'packages']) {
    for (const d of readdirSync(join(REPO_ROOT, root))) {
      const manifest = join(REPO_ROOT, root, d, 'package.json');
      if (existsSync(manifest)) byName.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, join(REPO_ROOT, root, d));
    }
  }
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const { dependencies = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const [name, version] of Object.entries(dependencies)) {
      const dep = byName.get(name);
      if (dep !== undefined && version.startsWith('workspace:')) visit(dep);
    }
  };
  visit(join(REPO_ROOT, 'apps/broker'));
  return [...seen];
}

/**
 * Builds @mq/broker and its workspace dependencies when any of their src/ is newer than its dist/
 * (an edit to a package the broker does not run, the client say, never rebuilds it).
 */
export function ensureBrokerBuilt(): void {
  const stale = brokerPackageDirs().some((d) => existsSync(join(d, 'src')) && existsSync(join(d, 'dist')) && newest(join(d, 'src')) > newest(join(d, 'dist')));
  if (existsSync(BROKER_MAIN) && !stale) return;
  process.stderr.write('bench: building @mq/broker...\n');
  execFileSync('pnpm', ['--filter', '@mq/broker...', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** BENCH_CPU_PROF=<dir>: every broker a bench starts writes a V8 CPU profile there on exit. */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/** `nodeArgs` go before the script: --import of a preload (the latency bench's runtime probe), --trace-gc... */
export async function startMqBroker(dataDir: string, configFile?: string, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const args = [...PROFILE_ARGS, ...nodeArgs, BROKER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', process.env.BENCH_BROKER_LOG_LEVEL ?? 'warn'];
  if (configFile !== undefined) args.push('--config', configFile);
  return ServerProcess.start({ name: 'mq', cmd: process.execPath, args, port });
}
