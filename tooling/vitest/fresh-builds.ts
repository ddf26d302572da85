// vitest globalSetup for suites that use workspace packages from their dist/ (preset's
// `workspace: 'dist'`), or spawn their built binaries: rebuilds the suite's workspace dependencies,
// transitively, when any of their src/ is newer than their dist/ or a dist/ is missing — a test
// never runs stale code. The suite is the package at the working directory (vitest's root).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

export default function setup(): void {
  const suiteDir = process.cwd();
  const stale = workspaceDeps(suiteDir).filter((d) => existsSync(join(d, 'src')) && (!existsSync(join(d, 'dist')) || newestMtime(join(d, 'src')) > newestMtime(join(d, 'dist'))));
  if (stale.length === 0) return;
  const { name } = manifest(suiteDir);
  process.stderr.write(`${name}: building its workspace dependencies (stale: ${stale.map((d) => relative(REPO_ROOT, d)).join(', ')})\n`);
  execFileSync('pnpm', ['--filter', `${name}^...`, 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
}
