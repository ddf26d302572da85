// The compat suite as two vitest runs at once, one file at a time in each: the cluster fault files
// (three brokers and etcd each, mostly waiting on leases and failovers) beside every other file (one
// broker and its clients). One serial run left a core idle for most of the suite's critical path:
// 825 s on 2026-12-04, the two lanes holding ~375 s and ~390 s of it. Arguments go to both runs;
// the exit status is the first failing lane's, and a signal reaches both.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const lanes = ['cluster', 'node'];

const children = lanes.map((project) => ({
  project,
  child: spawn(process.execPath, [vitest, 'run', '--project', project, '--passWithNoTests', ...process.argv.slice(2)], { stdio: 'inherit' }),
}));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => children.forEach(({ child }) => child.kill(sig)));
const codes = await Promise.all(
  children.map(
    ({ project, child }) =>
      new Promise((resolve) => {
        child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
        child.on('error', (err) => {
          process.stderr.write(`compat lane ${project}: ${err.message}\n`);
          resolve(1);
        });
      }),
  ),
);
process.exitCode = codes.find((c) => c !== 0) ?? 0;
