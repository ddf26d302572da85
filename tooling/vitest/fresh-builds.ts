// vitest globalSetup for suites that use workspace packages from their dist/ (preset's
// `workspace: 'dist'`), or spawn their built binaries: rebuilds the suite's workspace dependencies,
// transitively, when any of their src/ is newer than their dist/ or a dist/ is missing — a test
// never runs stale code. The suite is the package at the working directory (vitest's root). Two
// runs at once (tests/compat runs its two lanes as two vitest processes) take turns through a lock
// directory, so the second sees the first one's fresh builds instead of building the same dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Directories of every workspace package `suiteDir` depends on (its dev dependencies too), transitively. */
function workspaceDeps(suiteDir: string): string[] {
  const byName = new Map<string, string>();
  for (const parent of ['apps', 'packages']) {
    for (const name of readdirSync(join(REPO_ROOT, parent))) {
      const dir = join(REPO_ROOT, parent, name);
      if (existsSync(join(dir, 'package.json'))) byName.set(manifest(dir).name, dir);
    }
  }
  const out = new Set<string>();
  const visit = (deps: Record<string, string>): void => {
    for (const [name, range] of Object.entries(deps)) {
      const dir = byName.get(name);
      if (!range.startsWith('workspace:') || dir === undefined || out.has(dir)) continue;
      out.add(dir);
      visit(manifest(dir).dependencies ?? {});
    }
  };
  const suite = manifest(suiteDir);
  visit({ ...suite.dependencies, ...suite.devDependencies });
  return [...out];
}

const LOCK = join(REPO_ROOT, 'node_modules', '.mq-fresh-builds.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock directory (mkdir is atomic); one left by a process that died is taken over. */
async function lock(): Promise<() => void> {
  let pidlessSince = Number.POSITIVE_INFINITY;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // Between the holder's mkdir and its pid file: wait for it.
      }
      pidlessSince = Number.isInteger(holder) ? Number.POSITIVE_INFINITY : Math.min(pidlessSince, Date.now());
      // A holder that died, or one that died before writing its pid (a lock without one for 10 s).
      if ((Number.isInteger(holder) && !alive(holder)) || Date.now() - pidlessSince > 10_000) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export default async function setup(): Promise<void> {
  const release = await lock();
  try {
    rebuildStale();
  } finally {
    release();
  }
}

function rebuildStale(): void {
  const suiteDir = process.cwd();
  const stale = workspaceDeps(suiteDir).filter((d) => existsSync(join(d, 'src')) && (!existsSync(join(d, 'dist')) || newestMtime(join(d, 'src')) > newestMtime(join(d, 'dist'))));
  if (stale.length === 0) return;
  const { name } = manifest(suiteDir);
  process.stderr.write(`${name}: building its workspace dependencies (stale: ${stale.map((d) => relative(REPO_ROOT, d)).join(', ')})\n`);
  execFileSync('pnpm', ['--filter', `${name}^...`, 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
}
