// The real `mq` CLI as a child process: its build (apps/cli/dist, as the broker runs from
// apps/broker/dist), else its sources through tsx with the @mq/source condition. The build starts in
// a quarter of tsx's time, which decides how long a file of CLI runs takes on a loaded machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './child-process';
import { CLI_MAIN, REPO_ROOT } from './paths';

/** `env` is added to this process's environment (e.g. MQ_BEARER_TOKEN, MQ_CLI_CONFIG); `input` is its stdin. */
export async function mq(args: readonly string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = join(REPO_ROOT, 'apps/cli');
  const env = opts.env === undefined ? undefined : { ...process.env, ...opts.env };
  const [command, prefix] = existsSync(CLI_MAIN) ? [process.execPath, [CLI_MAIN]] : [join(cli, 'node_modules/.bin/tsx'), ['--conditions=@mq/source', join(cli, 'src/main.ts')]];
  const res = await run(command, [...prefix, ...args], { timeoutMs: 120_000, cwd: cli, ...(env === undefined ? {} : { env }), ...(opts.input === undefined ? {} : { input: opts.input }) });
  return { code: res.code, stdout: res.stdout.toString('utf8'), stderr: res.stderr };
}
