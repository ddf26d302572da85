// vitest globalSetup: the suite spawns apps/broker/dist/main.js, so rebuild the broker and its
// workspace dependencies when any of their src/ is newer than their dist/ (never run stale code).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BROKER_MAIN, REPO_ROOT } from './paths';

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

/** Directories of @mq/broker and every workspace package it depends on, transitively. */
function brokerWorkspaceDirs(): string[] {
  const byName = new Map<string, string>();
  for (const parent of ['apps', 'packages']) {
    for (const name of readdirSync(join(REPO_ROOT, parent))) {
      const dir = join(REPO_ROOT, parent, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
      byName.set(pkg.name, dir);
    }
  }
  const out = new Set<string>();
  const visit = (name: string): void => {
    const dir = byName.get(name);
    if (dir === undefined || out.has(dir)) return;
    out.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) if (range.startsWith('workspace:')) visit(dep);
  };
  visit('@mq/broker');
  return [...out];
}

export default function setup(): void {
  const stale = brokerWorkspaceDirs().filter((d) => newestMtime(join(d, 'src')) > newestMtime(join(d, 'dist')));
  if (existsSync(BROKER_MAIN) && stale.length === 0) return;
  const why = stale.map((d) => d.slice(REPO_ROOT.length)).join(', ') || 'dist/main.js missing';
  process.stderr.write(`compat: building @mq/broker and its dependencies (stale: ${why})\n`);
  execFileSync('pnpm', ['--filter', '@mq/broker...', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}
