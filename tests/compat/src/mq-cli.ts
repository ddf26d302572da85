// The real `mq` CLI as a child process, run from its sources (tsx, the @mq/source condition) as
// apps/cli's own tests run it: exit code, stdout and stderr.
import { join } from 'node:path';
import { run } from './child-process';
import { REPO_ROOT } from './paths';

/** `env` is added to this process's environment (e.g. MQ_BEARER_TOKEN, MQ_CLI_CONFIG). */
export async function mq(args: readonly string[], opts: { env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = join(REPO_ROOT, 'apps/cli');
  const env = opts.env === undefined ? undefined : { ...process.env, ...opts.env };
  const res = await run(join(cli, 'node_modules/.bin/tsx'), ['--conditions=@mq/source', join(cli, 'src/main.ts'), ...args], { timeoutMs: 120_000, cwd: cli, ...(env === undefined ? {} : { env }) });
  return { code: res.code, stdout: res.stdout.toString('utf8'), stderr: res.stderr };
}
