// Spawns the real `mq` process (tsx on the source with the @mq/source condition, so tests never run
// a stale build) and collects its exit code and output.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cliRoot = join(here, '..');
const tsx = join(cliRoot, 'node_modules', '.bin', 'tsx');
const main = join(cliRoot, 'src', 'main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    if (!opts.env?.MQ_BOOTSTRAP) delete env.MQ_BOOTSTRAP;
    const child = spawn(tsx, ['--conditions=@mq/source', main, ...args], {
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
  return `'${tsx}' --conditions=@mq/source '${main}'`;
}

/** Starts `mq` and hands back the live child (stdin open) for signal and streaming tests. */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams & { output: { stdout: string; stderr: string }; exited: Promise<number> } {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.MQ_BOOTSTRAP) delete e.MQ_BOOTSTRAP;
  const child = spawn(tsx, ['--conditions=@mq/source', main, ...args], { cwd: cliRoot, env: e, stdio: ['pipe', 'pipe', 'pipe'] });
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
