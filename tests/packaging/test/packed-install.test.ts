// The packed-install test: `pnpm pack` every publishable package, check each tarball's manifest
// (workspace:/catalog: rewritten, LICENSE, `default` export), install the tarballs with plain npm
// in a scratch project outside the repo, and use them there as a new user would: an ESM program, a
// CommonJS require, the user's own vitest test, and both binaries through npx. A second scratch
// project installs only @mq/client and @mq/cli (and the @mq packages they depend on): it must hold
// no native addon and run no install script, and its client must still produce and consume.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'scratch');
const CLIENT_ONLY_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'client-only');
/** Every package a user can install; tests/* and tooling/* stay private. */
const PUBLISHED = ['packages/errors', 'packages/config', 'packages/timerwheel', 'packages/metrics', 'packages/trace', 'packages/records', 'packages/codecs-native', 'packages/assignors', 'packages/schema', 'packages/log', 'packages/protocol', 'packages/metadata', 'packages/auth', 'packages/partition', 'packages/coordinator', 'packages/replication', 'packages/controller', 'packages/acl', 'packages/groups', 'packages/schema-registry', 'packages/delay', 'packages/share', 'packages/transactions', 'packages/quota', 'packages/server', 'packages/http', 'packages/admin-api', 'packages/client', 'apps/broker', 'apps/cli'];
const VITEST_VERSION = (JSON.parse(readFileSync(join(REPO, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  keywords?: string[];
  files?: string[];
  exports: Record<string, Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  gypfile?: boolean;
  publishConfig?: { access?: string };
}

let scratch: string;
const tarballs = new Map<string, string>(); // package name → .tgz path
const manifests = new Map<string, Manifest>(); // package name → its workspace package.json

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run(), without blocking this process's event loop (an in-process broker must keep serving). */
async function runAsync(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', timeout });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * Install scripts that build or download nothing, with what they do; any other install script in
 * the client-only tree fails the test.
 */
const HARMLESS_INSTALL_SCRIPTS: Record<string, string> = {
  // @mq/schema's protobuf support: `node scripts/postinstall` only warns about a dependent's version range.
  protobufjs: 'postinstall',
};

function tarFile(tgz: string, path: string): string {
  return execFileSync('tar', ['-xzOf', tgz, `package/${path}`], { encoding: 'utf8' });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mq-packed-install-'));
  expect(relative(REPO, scratch).startsWith('..')).toBe(true); // outside the repo: no workspace node_modules to fall back on
  const packs = join(scratch, 'tarballs');
  mkdirSync(packs);
  for (const dir of PUBLISHED) {
    const manifest = JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Manifest;
    const before = new Set(readdirSync(packs));
    // pnpm pack is what rewrites workspace:* and catalog: to real versions.
    execFileSync('pnpm', ['pack', '--pack-destination', packs], { cwd: join(REPO, dir), stdio: 'ignore', timeout: 60_000 });
    const made = readdirSync(packs).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    tarballs.set(manifest.name, join(packs, made[0]!));
    manifests.set(manifest.name, manifest);
  }
  const app = join(scratch, 'app');
  mkdirSync(app);
  const deps = Object.fromEntries([...tarballs].map(([name, tgz]) => [name, `file:${tgz}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, type: 'module', dependencies: deps, devDependencies: { vitest: VITEST_VERSION } }, null, 2),
  );
  for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(app, f));
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app, 240_000);
  expect(install.stderr + install.stdout).not.toMatch(/ERR!/);
  expect(install.status).toBe(0);
}, 300_000);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('tarballs', () => {
  it('every published manifest is complete and has no workspace: or catalog: left', () => {
    const license = readFileSync(join(REPO, 'LICENSE'), 'utf8');
    expect(tarballs.size).toBe(PUBLISHED.length);
    for (const [name, tgz] of tarballs) {
      const raw = tarFile(tgz, 'package.json');
      expect(raw, name).not.toMatch(/workspace:|catalog:/);
      const m = JSON.parse(raw) as Manifest;
      expect(m.private, name).not.toBe(true);
      expect(m.license, name).toBe('Apache-2.0');
      expect(m.repository, name).toBeDefined();
      expect(m.homepage, name).toMatch(/^https:\/\//);
      expect(m.bugs, name).toBeDefined();
      expect(m.keywords?.length, name).toBeGreaterThan(0);
      expect(m.publishConfig?.access, name).toBe('public');
      expect(m.exports['.']?.default, name).toBe('./dist/index.js');
      expect(tarFile(tgz, 'LICENSE'), name).toBe(license);
      expect(tarFile(tgz, 'dist/index.js').length, name).toBeGreaterThan(0);
    }
  });
});

describe('installed from the tarballs with npm', () => {
  const app = (): string => join(scratch, 'app');

  it('an ESM program starts startBroker(), produces and consumes; the temp data dir is gone after stop', () => {
    const r = run(process.execPath, ['esm.mjs'], app());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { dataDir: string; codecs: Record<string, string>; values: string[] };
    expect(out.values).toEqual(['hello from the tarball']);
    // startBroker() registered @mq/codecs-native: the broker (and this process's zstd producer) run native.
    expect(out.codecs).toEqual({ crc32c: 'native', snappy: 'native', lz4: 'native', zstd: 'native' });
    expect(readdirSync(dirname(out.dataDir))).not.toContain(out.dataDir.split('/').pop());
  });

  it('require() loads every package (ESM without top-level await) and runs a broker from CommonJS', () => {
    const r = run(process.execPath, ['cjs.cjs'], app());
    // Node 20 prints an ExperimentalWarning for require(esm); anything else on stderr is a failure.
    expect(r.stderr.replace(/^.*(ExperimentalWarning|--trace-warnings).*\n/gm, '')).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { exported: Record<string, number>; startBroker: string; topics: boolean };
    expect(out.startBroker).toBe('function');
    expect(out.topics).toBe(true);
    for (const [name, count] of Object.entries(out.exported)) expect(count, name).toBeGreaterThan(0);
  });

  it("the user's own vitest test runs against the installed packages", () => {
    const r = run('npx', ['vitest', 'run', '--reporter=verbose'], app(), 180_000);
    expect(r.stdout).toContain('produces and consumes through an embedded broker');
    expect(r.status).toBe(0);
  });

  it('npx mq-broker --version prints the version; npx mq --help prints usage, --version its version', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'apps/broker/package.json'), 'utf8')) as Manifest).version;
    const broker = run('npx', ['--no-install', 'mq-broker', '--version'], app());
    expect(broker.status).toBe(0);
    expect(broker.stdout).toBe(`${version}\n`);
    const cli = run('npx', ['--no-install', 'mq', '--help'], app());
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/Usage: mq/);
    const cliVersion = (JSON.parse(readFileSync(join(REPO, 'apps/cli/package.json'), 'utf8')) as Manifest).version;
    const v = run('npx', ['--no-install', 'mq', '--version'], app());
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${cliVersion}\n`);
  });
});

/** `names` and every @mq package they depend on, transitively. */
function mqClosure(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) if (dep.startsWith('@mq/')) visit(dep);
  };
  for (const n of names) visit(n);
  return [...seen].sort();
}

/** Every installed package directory under node_modules (scoped ones included, nested ones too). */
function installedPackages(nodeModules: string): string[] {
  const out: string[] = [];
  if (!existsSync(nodeModules)) return out;
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = join(nodeModules, e.name);
    if (e.name.startsWith('@')) {
      for (const s of readdirSync(dir, { withFileTypes: true })) if (s.isDirectory()) out.push(join(dir, s.name), ...installedPackages(join(dir, s.name, 'node_modules')));
    } else {
      out.push(dir, ...installedPackages(join(dir, 'node_modules')));
    }
  }
  return out;
}

/** Files under `dir` whose name ends with `suffix`. */
function filesEnding(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesEnding(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out;
}

describe('@mq/client and @mq/cli installed alone with npm', () => {
  let app: string;
  let closure: string[];
  let broker: { host: string; port: number; stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    app = join(scratch, 'client-only');
    mkdirSync(app);
    closure = mqClosure(['@mq/client', '@mq/cli']);
    const deps = Object.fromEntries(closure.map((name) => [name, `file:${tarballs.get(name)!}`]));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-client-only', private: true, type: 'module', dependencies: deps }, null, 2));
    for (const f of readdirSync(CLIENT_ONLY_FIXTURES)) copyFileSync(join(CLIENT_ONLY_FIXTURES, f), join(app, f));
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app, 240_000);
    expect(install.stderr + install.stdout).not.toMatch(/ERR!/);
    expect(install.status).toBe(0);
    // The broker this client talks to is the workspace's (with its native codecs), in this process.
    const { startBroker } = await import('@mq/broker');
    broker = await startBroker();
  }, 300_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('pulls no broker-side package, no native addon (.node) and no package with an install script', () => {
    expect(closure).not.toContain('@mq/codecs-native');
    expect(closure).not.toContain('@mq/log');
    expect(closure).not.toContain('@mq/broker');
    const installed = installedPackages(join(app, 'node_modules'));
    expect(installed.length).toBeGreaterThan(closure.length);
    expect(filesEnding(join(app, 'node_modules'), '.node')).toEqual([]);
    for (const dir of installed) {
      const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      const scripts = Object.keys(m.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall'].includes(s) && HARMLESS_INSTALL_SCRIPTS[m.name] !== s);
      expect(scripts, m.name).toEqual([]);
      expect(m.gypfile, m.name).not.toBe(true);
      expect(existsSync(join(dir, 'binding.gyp')), m.name).toBe(false);
    }
  });

  it('its client produces and consumes with none, gzip, snappy and lz4 on plain JS; zstd is refused with code 76', async () => {
    const r = await runAsync(process.execPath, ['client.mjs', `${broker!.host}:${broker!.port}`], app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { codecs: Record<string, string>; values: Record<string, string[]>; zstd: unknown };
    expect(out.codecs).toEqual({ crc32c: 'pure-js', snappy: 'pure-js', lz4: 'pure-js', zstd: 'pure-js (decompress only)' });
    for (const c of ['none', 'gzip', 'snappy', 'lz4']) expect(out.values[c], c).toEqual([`${c} from the client-only install`]);
    expect(out.zstd).toEqual({ name: 'UnsupportedCompressionTypeError', errorCode: 76 });
  });

  it('npx mq --help works there', () => {
    const cli = run('npx', ['--no-install', 'mq', '--help'], app);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/Usage: mq/);
  });
});
