import { preset, TMP_GUARD } from '../../tooling/vitest/preset.ts';

// One real broker and one real Chromium per file on a shared 2-core machine: generous timeouts,
// files one at a time; the global setup builds the console first.
const config = preset({ testTimeout: 180_000 });
config.test = {
  ...config.test,
  globalSetup: [TMP_GUARD, './src/global-setup.ts'],
  hookTimeout: 120_000,
  fileParallelism: false,
};
export default config;
