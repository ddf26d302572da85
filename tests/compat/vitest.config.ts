import { preset } from '../../tooling/vitest/preset.ts';
import { BROKER_MAIN } from './src/paths.ts';

// Real brokers and real clients on a shared 2-core machine: generous timeouts, one file at a time
// in each of two projects: the cluster fault files and every other file. `pnpm test`
// (scripts/lanes.mjs) runs the two as two vitest processes at once; vitest itself, given projects
// that each run one file at a time, runs their files one after another (as `npx vitest run` here
// does). Workspace packages from dist/, which the preset's FRESH_BUILDS global setup rebuilds when
// stale.
const config = preset({ testTimeout: 180_000, workspace: 'dist' });
// Fault tests that still find an open bug run only with `pnpm --filter @mq/compat-tests chaos`
// (MQ_CHAOS=1), so the suite stays green while the bug is tracked (issue #12). None today: on
// 2026-12-03 cluster-transactions-failover left (its missing or doubled records were kafkajs's
// multi-leader send retry, not the brokers — see the top of that file) and cluster-etcd-restart
// left (a broker re-registering after etcd's return revoked its lost lease first, so for a moment
// it looked dead and the first controller back shrank every ISR to itself; 5 of 5 runs since the
// registration is replaced before the revoke; its NOT_CONTROLLER-for-30-s of 2026-12-02 did not
// recur in 9 runs). The chaos script still runs both.
const QUARANTINED: string[] = [];
const CLUSTER_FILES = 'test/cluster-*.test.ts';
const include = config.test?.include ?? ['test/**/*.test.ts'];
const exclude = [...(config.test?.exclude ?? ['**/node_modules/**']), ...(process.env.MQ_CHAOS === '1' ? [] : QUARANTINED)];
// Each project names its own files: `extends: true` would add the root's include to a project's.
const { include: _rootInclude, ...rootTest } = config.test ?? {};
config.test = {
  ...rootTest,
  // startCluster() runs the built broker (FRESH_BUILDS rebuilds it when stale), not tsx on the
  // sources: ~1 s less CPU per broker start, over ~75 starts in the cluster tests.
  env: { MQ_BROKER_BIN: BROKER_MAIN },
  hookTimeout: 120_000,
  maxWorkers: 2,
  projects: [
    { extends: true, test: { name: 'cluster', include: [CLUSTER_FILES], exclude, fileParallelism: false } },
    { extends: true, test: { name: 'node', include, exclude: [...exclude, CLUSTER_FILES], fileParallelism: false } },
  ],
};
export default config;
