// Shared vitest preset: resolve workspace packages to their src/ (the `@mq/source` export
// condition) so a test can never run against a stale dist/.
import { defineConfig } from 'vitest/config';

export function preset(overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: ['@mq/source'] },
    ssr: { resolve: { conditions: ['@mq/source'] } },
    test: {
      include: overrides.include ?? ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      reporters: process.env.CI ? ['default'] : ['default'],
    },
  });
}
