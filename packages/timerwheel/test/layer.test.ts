// Layer 0 (STYLE.md's layer map): @mq/timerwheel depends on no package at all and its sources import
// only each other and node:perf_hooks — no node:fs, no native module — so any layer may use it.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

describe('@mq/timerwheel stays in layer 0', () => {
  it('declares no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it('imports nothing but its own files and node:perf_hooks', () => {
    const imports = new Set<string>();
    for (const f of readdirSync(new URL('src/', root))) {
      const text = readFileSync(new URL(`src/${f}`, root), 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)) {
        if (!m[1]!.startsWith('./')) imports.add(m[1]!);
      }
      expect(text).not.toMatch(/\brequire\(|import\(/);
    }
    expect([...imports]).toEqual(['node:perf_hooks']);
  });
});
