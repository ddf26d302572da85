// The layer map of ../../shared/STYLE.md, checked: every workspace package's package.json and every
// import in its src/, test/ and bench/ files. A package imports only from layers below its own (so
// the graph is acyclic), client-side packages never reach a broker-side one, every @mq import is
// declared (src/ only from `dependencies`), no relative import leaves its package, and layers 0–1
// touch no filesystem. A new package fails here until it is placed in LAYERS.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Layer per package, lowest first (STYLE.md). Client-side packages and apps have an allow list instead. */
const LAYERS: Record<string, number> = {
  // The one error table, under the rest of layer 0: records (layer 0) raise its errors too.
  '@mq/errors': -1,
  '@mq/records': 0,
  '@mq/timerwheel': 0,
  '@mq/assignors': 0,
  '@mq/schema': 0,
  '@mq/config': 0,
  '@mq/metrics': 0,
  '@mq/trace': 0,
  // Native CRC-32C and codecs, registered into @mq/records (the broker at start; clients opt in).
  '@mq/codecs-native': 1,
  '@mq/protocol': 1,
  '@mq/log': 2,
  '@mq/metadata': 2,
  '@mq/partition': 3,
  '@mq/coordinator': 4,
  '@mq/replication': 4,
  '@mq/controller': 4,
  // Server-side SASL (PLAIN, SCRAM) and its credential store on the metadata entries.
  '@mq/auth': 4,
  // ACLs and the authorizer (on the metadata entries seam).
  '@mq/acl': 4,
  // Client quotas and their rate windows (on the metadata entries seam).
  '@mq/quota': 4,
  '@mq/groups': 5,
  '@mq/share': 5,
  '@mq/delay': 5,
  '@mq/schema-registry': 5,
  '@mq/transactions': 5,
  '@mq/server': 6,
  '@mq/http': 6,
  // The admin REST API: routes on @mq/http over the services below it.
  '@mq/admin-api': 7,
};

/** Client side: may use these layer-0/1 packages and nothing broker-side. */
const CLIENT_SIDE = ['@mq/protocol', '@mq/records', '@mq/assignors', '@mq/errors', '@mq/schema', '@mq/trace'];
const ALLOWED: Record<string, readonly string[] | 'any'> = {
  '@mq/client': CLIENT_SIDE,
  // @mq/codecs-native only as an optional peer: npm does not install it with the CLI.
  '@mq/cli': ['@mq/client', ...CLIENT_SIDE, '@mq/codecs-native'],
  // The only place that knows every package.
  '@mq/broker': 'any',
  // The web console talks to a broker only through its HTTP admin API: no @mq package at all.
  '@mq/dashboard': [],
};

/** Layers that touch no filesystem (@mq/codecs-native's bindings are their only native code). */
const NO_FS_MAX_LAYER = 1;

export interface PackageInfo {
  name: string;
  dir: string; // repo-relative
  dependencies: readonly string[];
  devDependencies: readonly string[];
  /** Optional peers a src/ file may import when the user installed them (a dynamic import that tolerates absence). */
  peerDependencies?: readonly string[];
  /** Source files, repo-relative, with their text. */
  files: readonly { path: string; text: string; kind: 'src' | 'test' }[];
}

const IMPORT_RES = [
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Module specifiers a TypeScript file imports or re-exports (comments stripped first). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out = new Set<string>();
  for (const re of IMPORT_RES) for (const m of code.matchAll(re)) out.add(m[1]!);
  return [...out];
}

function packageOf(spec: string): string | null {
  const m = /^(@mq\/[^/]+)/.exec(spec);
  return m ? m[1]! : null;
}

/** What `from` may depend on; null when the package is not on the map at all. */
function allowedFor(from: string, to: string): boolean | null {
  const allow = ALLOWED[from];
  if (allow === 'any') return true;
  if (allow !== undefined) return allow.includes(to);
  const own = LAYERS[from];
  if (own === undefined) return null;
  const other = LAYERS[to];
  return other !== undefined && other < own;
}

/** Every breach of the layer map, as one line each. */
export function layerViolations(packages: readonly PackageInfo[]): string[] {
  const out: string[] = [];
  const names = new Set(packages.map((p) => p.name));
  for (const p of packages) {
    if (LAYERS[p.name] === undefined && ALLOWED[p.name] === undefined) {
      out.push(`${p.name} (${p.dir}) is not on the layer map: place it in tests/layers/test/layers.test.ts`);
      continue;
    }
    for (const dep of p.dependencies) {
      if (!dep.startsWith('@mq/')) continue;
      if (allowedFor(p.name, dep) !== true) out.push(`${p.name} depends on ${dep}: not allowed by the layer map (upward, sideways or broker-side)`);
    }
    for (const dep of p.peerDependencies ?? []) {
      if (dep.startsWith('@mq/') && allowedFor(p.name, dep) !== true) out.push(`${p.name} peer-depends on ${dep}: not allowed by the layer map`);
    }
    for (const dep of p.devDependencies) {
      // Tests may start a real broker; any other dev dependency follows the runtime rule.
      if (!dep.startsWith('@mq/') || dep === '@mq/broker') continue;
      if (allowedFor(p.name, dep) !== true) out.push(`${p.name} dev-depends on ${dep}: not allowed by the layer map`);
    }
    const layer = LAYERS[p.name];
    for (const f of p.files) {
      for (const spec of importsOf(f.text)) {
        if (spec.startsWith('.')) {
          const target = relative(p.dir, join(dirname(f.path), spec));
          if (target.startsWith('..')) out.push(`${f.path} imports ${spec}: outside ${p.dir}`);
          continue;
        }
        if (f.kind === 'src' && layer !== undefined && layer <= NO_FS_MAX_LAYER && /^(node:)?fs(\/|$)/.test(spec)) {
          out.push(`${f.path} imports ${spec}: layers 0–1 touch no filesystem`);
        }
        const dep = packageOf(spec);
        if (dep === null || dep === p.name) continue;
        if (!names.has(dep)) {
          out.push(`${f.path} imports ${dep}: no such workspace package`);
          continue;
        }
        const declared = f.kind === 'src' ? [...p.dependencies, ...(p.peerDependencies ?? [])] : [...p.dependencies, ...(p.peerDependencies ?? []), ...p.devDependencies];
        if (!declared.includes(dep)) out.push(`${f.path} imports ${dep}: undeclared in ${p.dir}/package.json${f.kind === 'src' ? ' dependencies' : ''}`);
      }
    }
  }
  return out;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The workspace's packages (packages/*, apps/*) as they are on disk. */
export function workspacePackages(): PackageInfo[] {
  const out: PackageInfo[] = [];
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(REPO, parent)).sort()) {
      const dir = join(REPO, parent, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const files = [
        ...tsFiles(join(dir, 'src')).map((f) => ({ f, kind: 'src' as const })),
        ...['test', 'bench'].flatMap((d) => tsFiles(join(dir, d)).map((f) => ({ f, kind: 'test' as const }))),
      ].map(({ f, kind }) => ({ path: relative(REPO, f).split(sep).join('/'), text: readFileSync(f, 'utf8'), kind }));
      out.push({
        name: manifest.name,
        dir: `${parent}/${name}`,
        dependencies: Object.keys(manifest.dependencies ?? {}),
        devDependencies: Object.keys(manifest.devDependencies ?? {}),
        peerDependencies: Object.keys(manifest.peerDependencies ?? {}),
        files,
      });
    }
  }
  return out;
}

function pkg(name: string, dependencies: string[], files: PackageInfo['files'] = [], devDependencies: string[] = []): PackageInfo {
  return { name, dir: `packages/${name.slice(4)}`, dependencies, devDependencies, files };
}

describe('the layer map', () => {
  it('holds for every workspace package', () => {
    const packages = workspacePackages();
    expect(packages.map((p) => p.name)).toContain('@mq/records');
    expect(packages.reduce((n, p) => n + p.files.length, 0)).toBeGreaterThan(100);
    expect(layerViolations(packages)).toEqual([]);
  });

  it('finds the imports of real TypeScript, not those in comments', () => {
    const text = [
      "import { a } from '@mq/records';",
      "import type {\n  B,\n} from '@mq/protocol';",
      "export { c } from './c';",
      "import 'node:fs';",
      "const m = await import('@mq/log');",
      "// import { x } from '@mq/server';",
      "/* import { y } from '@mq/groups'; */",
      "const url = 'https://example.invalid/x'; // from '@mq/partition'",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['./c', '@mq/log', '@mq/protocol', '@mq/records', 'node:fs'].sort());
  });

  it('reports an upward dependency, an undeclared import, a broker-side client import and an unplaced package', () => {
    const packages = [
      pkg('@mq/records', []),
      pkg('@mq/protocol', ['@mq/records', '@mq/log'], [{ path: 'packages/protocol/src/a.ts', text: "import { Log } from '@mq/log';", kind: 'src' }]),
      pkg('@mq/log', ['@mq/records'], [{ path: 'packages/log/src/b.ts', text: "import { Writer } from '@mq/protocol';", kind: 'src' }]),
      pkg('@mq/client', ['@mq/protocol', '@mq/groups']),
      pkg('@mq/groups', []),
      pkg('@mq/newthing', []),
    ];
    expect(layerViolations(packages)).toEqual([
      '@mq/protocol depends on @mq/log: not allowed by the layer map (upward, sideways or broker-side)',
      'packages/log/src/b.ts imports @mq/protocol: undeclared in packages/log/package.json dependencies',
      '@mq/client depends on @mq/groups: not allowed by the layer map (upward, sideways or broker-side)',
      '@mq/newthing (packages/newthing) is not on the layer map: place it in tests/layers/test/layers.test.ts',
    ]);
  });

  it('reports filesystem use below layer 2, a relative import out of the package, and src using a dev dependency', () => {
    const packages = [
      pkg('@mq/records', [], [{ path: 'packages/records/src/a.ts', text: "import { readFile } from 'node:fs/promises';", kind: 'src' }]),
      pkg('@mq/log', ['@mq/records'], [{ path: 'packages/log/src/b.ts', text: "import { x } from '../../records/src/a';", kind: 'src' }]),
      pkg('@mq/partition', ['@mq/log'], [{ path: 'packages/partition/src/c.ts', text: "import { y } from '@mq/records';", kind: 'src' }], ['@mq/records']),
    ];
    expect(layerViolations(packages)).toEqual([
      'packages/records/src/a.ts imports node:fs/promises: layers 0–1 touch no filesystem',
      'packages/log/src/b.ts imports ../../records/src/a: outside packages/log',
      'packages/partition/src/c.ts imports @mq/records: undeclared in packages/partition/package.json dependencies',
    ]);
  });
});
