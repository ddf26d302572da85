// Shared vitest preset: resolve workspace packages to their src/ (the `@mq/source` export
// condition) so a test can never run against a stale dist/ — or, for a suite whose globalSetup
// rebuilds stale workspace packages first (tests/compat), to their built dist/, loaded by Node
// itself: vite's transform of the whole broker's sources cost 2–5 s per test file there.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** globalSetup that fails a run leaving `mq-broker-*` temp dirs; keep it when adding another globalSetup. */
export const TMP_GUARD = fileURLToPath(new URL('./tmp-guard.ts', import.meta.url));
/** globalSetup that rebuilds the suite's stale workspace dependencies (with `workspace: 'dist'`, or for built binaries). */
export const FRESH_BUILDS = fileURLToPath(new URL('./fresh-builds.ts', import.meta.url));

export interface PresetOptions {
  testTimeout?: number;
  include?: string[];
  /** 'source' (default): `@mq/*` from src/ through vite; 'dist': from dist/, external to vite. */
  workspace?: 'source' | 'dist';
  /** Files run before each test file (e.g. a broker-side package's native codec registration). */
  setupFiles?: string[];
}

/** A workspace package's build output (packages/x/dist, apps/x/dist), as vite sees the resolved path. */
const WORKSPACE_DIST = /\/(packages|apps)\/[^/]+\/dist\//;

export function preset(overrides: PresetOptions = {}) {
  const conditions = overrides.workspace === 'dist' ? [] : ['@mq/source'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: overrides.include ?? ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      globalSetup: overrides.workspace === 'dist' ? [TMP_GUARD, FRESH_BUILDS] : [TMP_GUARD],
      pool: 'forks',
      ...(overrides.setupFiles === undefined ? {} : { setupFiles: overrides.setupFiles }),
      reporters: process.env.CI ? ['default'] : ['default'],
      ...(overrides.workspace === 'dist' ? { server: { deps: { external: [WORKSPACE_DIST, /\/node_modules\//] } } } : {}),
    },
  });
}
