// Spawns the real `mq` process and collects its exit code and output: the built dist/main.js when
// every workspace package's build is newer than its source (turbo builds before it tests), else tsx
// on the source with the @mq/source condition — so a test never runs a stale build, and the suite
// does not pay tsx's ~1 s of CPU per command for its ~250 commands.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cliRoot = join(here, '..');
const repoRoot = join(cliRoot, '..', '..');
const tsx = join(cliRoot, 'node_modules', '.bin', 'tsx');
const main = join(cliRoot, 'src', 'main.ts');
const built = join(cliRoot, 'dist', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether apps/cli and every package have a dist/ newer than their src/ (a package without src/ is skipped). */
function buildsAreFresh(): boolean {
  const dirs = [cliRoot, ...readdirSync(join(repoRoot, 'packages')).map((d) => join(repoRoot, 'packages', d))];
  return dirs.every((d) => {
    if (!existsSync(join(d, 'src'))) return true;
    const dist = join(d, 'dist');
    return existsSync(dist) && newestMtime(dist) > newestMtime(join(d, 'src'));
  });
}

const [command, prefix] = existsSync(built) && buildsAreFresh() ? [process.execPath, [built]] : [tsx, ['--conditions=@mq/source', main]];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    if (!opts.env?.MQ_BOOTSTRAP) delete env.MQ_BOOTSTRAP;
    const child = spawn(command, [...prefix, ...args], {
      cwd: cliRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mq ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The shell words that start the real `mq` (for `sh -c '... | head -1'`). */
export function cliShellCommand(): string {
  return [command, ...prefix].map((w) => `'${w}'`).join(' ');
}

/** Starts `mq` and hands back the live child (stdin open) for signal and streaming tests. */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams & { output: { stdout: string; stderr: string }; exited: Promise<number> } {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.MQ_BOOTSTRAP) delete e.MQ_BOOTSTRAP;
  const child = spawn(command, [...prefix, ...args], { cwd: cliRoot, env: e, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (output.stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  return Object.assign(child, { output, exited });
}

/** Resolves once `cond()` holds (checked every 50 ms), or rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
