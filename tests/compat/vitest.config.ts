import { preset, TMP_GUARD } from '../../tooling/vitest/preset.ts';

// Real brokers and real clients on a shared 2-core machine: generous timeouts, one file at a time
// (each file already runs a broker plus client processes).
const config = preset({ testTimeout: 180_000 });
config.test = {
  ...config.test,
  globalSetup: [TMP_GUARD, './src/global-setup.ts'],
  hookTimeout: 120_000,
  fileParallelism: false,
};
export default config;
