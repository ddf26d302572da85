// Shared vitest preset: resolve workspace packages to their src/ (the `@mq/source` export
// condition) so a test can never run against a stale dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** globalSetup that fails a run leaving `mq-broker-*` temp dirs; keep it when adding another globalSetup. */
export const TMP_GUARD = fileURLToPath(new URL('./tmp-guard.ts', import.meta.url));

export function preset(overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: ['@mq/source'] },
    ssr: { resolve: { conditions: ['@mq/source'] } },
    test: {
      include: overrides.include ?? ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      globalSetup: [TMP_GUARD],
      pool: 'forks',
      reporters: process.env.CI ? ['default'] : ['default'],
    },
  });
}
