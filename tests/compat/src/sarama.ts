// Builds and runs the Sarama client in fixtures/sarama. Debian ships Sarama 1.22 as Go sources
// (golang-github-shopify-sarama-dev under /usr/share/gocode), so the client is built in GOPATH mode:
// no module proxy, which this machine cannot reach.
import { mkdir, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './child-process';
import { FIXTURES_DIR } from './paths';

const DEBIAN_GOPATH = '/usr/share/gocode';

/** Builds the client under `dir` and returns the binary's path. */
export async function buildSaramaClient(dir: string): Promise<string> {
  const src = join(dir, 'src', 'sarama-client');
  await mkdir(src, { recursive: true });
  await copyFile(join(FIXTURES_DIR, 'sarama', 'main.go'), join(src, 'main.go'));
  const bin = join(dir, 'sarama-client');
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: `${dir}:${DEBIAN_GOPATH}`, GOFLAGS: '' };
  const r = await run('go', ['build', '-o', bin, 'sarama-client'], { timeoutMs: 300_000, env, cwd: dir });
  if (r.code !== 0) throw new Error(`go build of the Sarama client failed (${r.code}):\n${r.stderr}`);
  return bin;
}

export interface SaramaProduced {
  readonly offsets: number[];
  readonly error?: string;
}

export interface SaramaConsumed {
  readonly values: string[];
  readonly offsets: number[];
  readonly headers: Record<string, string>;
  readonly error?: string;
}

/** Runs one mode of the client; its stdout is a single JSON line. */
export async function runSarama<T>(bin: string, args: readonly string[]): Promise<T> {
  const r = await run(bin, args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`sarama-client ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8').trim()) as T;
}
