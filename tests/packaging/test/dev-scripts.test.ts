// `npm run broker` / `npm run -s mq` from a checkout (tooling/scripts/{bootstrap,broker,mq}.sh):
// stdout carries only the program's output, what the scripts do is said on stderr, an unchanged
// checkout runs neither `pnpm install` nor a build, and a pnpm on PATH is used as it is.
//
// The real scripts run with the real pnpm and npm in a scratch checkout under os.tmpdir() (the
// scripts find the checkout from their own path), so nothing is installed or rebuilt in this repo
// while other tests use it: a workspace with no dependencies, whose root `turbo` script (which
// `pnpm turbo` runs, as it runs the turbo bin in the repo) writes each app's dist/main.js.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let checkout: string;

/** The fake build: each app's main.js prints its name and arguments; the build talks on stdout. */
const BUILD = `import { mkdirSync, writeFileSync } from 'node:fs';
for (const app of ['broker', 'cli']) {
  mkdirSync(\`apps/\${app}/dist\`, { recursive: true });
  writeFileSync(\`apps/\${app}/dist/main.js\`, \`console.log(JSON.stringify({ app: '\${app}', args: process.argv.slice(2) }));\\n\`);
}
console.log('fake turbo: built broker and cli');
`;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(checkout, path)), { recursive: true });
  writeFileSync(join(checkout, path), text);
}

function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: checkout, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Makes `path` look older than everything built so far (a source that has not changed). */
function age(path: string): void {
  const t = new Date(Date.now() - 3_600_000);
  utimesSync(join(checkout, path), t, t);
}

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'mq-dev-scripts-'));
  for (const s of ['bootstrap.sh', 'broker.sh', 'mq.sh']) {
    mkdirSync(join(checkout, 'tooling', 'scripts'), { recursive: true });
    copyFileSync(join(REPO, 'tooling', 'scripts', s), join(checkout, 'tooling', 'scripts', s));
  }
  write('package.json', JSON.stringify({ name: 'scratch-checkout', private: true, type: 'module', scripts: { turbo: 'node build.mjs', broker: 'sh tooling/scripts/broker.sh', mq: 'sh tooling/scripts/mq.sh' } }, null, 2));
  write('pnpm-workspace.yaml', "packages:\n  - 'apps/*'\n  - 'packages/*'\n");
  write('build.mjs', BUILD);
  for (const app of ['broker', 'cli']) {
    write(`apps/${app}/package.json`, JSON.stringify({ name: `@mq/${app}`, version: '0.0.0', private: true }, null, 2));
    write(`apps/${app}/src/main.ts`, '// a source\n');
  }
  write('packages/records/package.json', JSON.stringify({ name: '@mq/records', version: '0.0.0', private: true }, null, 2));
  write('packages/records/src/index.ts', '// a source\n');
  // The lockfile a checkout comes with.
  const lock = run('pnpm', ['install', '--reporter=silent']);
  expect(lock.status, lock.stderr).toBe(0);
});

afterAll(() => {
  if (checkout !== undefined) rmSync(checkout, { recursive: true, force: true });
});

describe('npm run broker (tooling/scripts/broker.sh)', () => {
  it('a fresh checkout: installs and builds, saying so on stderr; stdout is the broker’s alone', () => {
    const r = run('sh', ['tooling/scripts/broker.sh', '--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"app":"broker","args":["--version"]}\n');
    expect(r.stderr).toContain('bootstrap: pnpm install (the lockfile or a package.json changed since the last install)');
    expect(r.stderr).toContain('broker: building @mq/broker and the packages it uses');
    expect(r.stderr).toContain('fake turbo: built broker and cli'); // the build's own stdout went to stderr
    expect(r.stderr).not.toContain('installing pnpm'); // a pnpm on PATH is used, never replaced
  });

  it('nothing changed: no install, no build, not a word on stderr', () => {
    const stamp = statSync(join(checkout, 'apps/broker/dist/.mq-build-stamp')).mtimeMs;
    for (const f of ['apps/broker/src/main.ts', 'apps/cli/src/main.ts', 'packages/records/src/index.ts']) age(f);
    const r = run('sh', ['tooling/scripts/broker.sh', '--port', '0']);
    expect(r).toEqual({ status: 0, stdout: '{"app":"broker","args":["--port","0"]}\n', stderr: '' });
    expect(statSync(join(checkout, 'apps/broker/dist/.mq-build-stamp')).mtimeMs).toBe(stamp);
  });

  it('a changed source: rebuilds only; a changed manifest: installs only', () => {
    write('packages/records/src/index.ts', '// changed\n');
    let r = run('sh', ['tooling/scripts/broker.sh']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"app":"broker","args":[]}\n');
    expect(r.stderr).toContain('broker: building');
    expect(r.stderr).not.toContain('pnpm install');

    const manifest = JSON.parse(readFileSync(join(checkout, 'packages/records/package.json'), 'utf8')) as Record<string, unknown>;
    write('packages/records/package.json', JSON.stringify({ ...manifest, description: 'changed' }, null, 2));
    age('packages/records/package.json'); // its content changed; the build stamp stays newer than it
    age('packages/records/src/index.ts');
    r = run('sh', ['tooling/scripts/broker.sh']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"app":"broker","args":[]}\n');
    expect(r.stderr).toContain('bootstrap: pnpm install');
    expect(r.stderr).not.toContain('building');
  });
});

describe('npm run -s mq (tooling/scripts/mq.sh)', () => {
  it('builds first when a source changed, saying so on stderr only; then nothing but mq on stdout', () => {
    write('apps/cli/src/main.ts', '// changed\n');
    let r = run('npm', ['run', '-s', 'mq', '--', 'topics', 'list']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"app":"cli","args":["topics","list"]}\n');
    expect(r.stderr).toContain('mq: building @mq/cli first (sources changed since the last build)');
    expect(r.stderr).toContain('fake turbo: built broker and cli');

    for (const f of ['apps/broker/src/main.ts', 'apps/cli/src/main.ts', 'packages/records/src/index.ts']) age(f);
    r = run('npm', ['run', '-s', 'mq', '--', '--version']);
    expect(r).toEqual({ status: 0, stdout: '{"app":"cli","args":["--version"]}\n', stderr: '' });
  });

  it('without -s, npm’s own banner is the only extra stdout (why the READMEs say `npm run -s mq`)', () => {
    const r = run('npm', ['run', 'mq', '--', '--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('{"app":"cli","args":["--version"]}');
    expect(r.stdout).toMatch(/^\s*> /);
  });
});

describe('README instructions', () => {
  it('every `npm run mq` / `npm run broker -- --help` in a README passes -s, so the output is mq’s alone', () => {
    const readmes = ['README.md', 'apps/cli/README.md', 'apps/broker/README.md'].map((f) => [f, readFileSync(join(REPO, f), 'utf8')] as const);
    for (const [file, text] of readmes) {
      expect(text.match(/npm run mq\b.*/g) ?? [], file).toEqual([]);
      expect(text.match(/npm run broker -- --help.*/g) ?? [], file).toEqual([]);
    }
  });
});
