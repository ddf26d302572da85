// tooling/vitest/tmp-guard.ts: a vitest run that leaves a `mq-broker-*` dir in its tmp dir exits
// non-zero naming it, even though every test passed; the private tmp dir is removed either way.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const LEAKY = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'leaky');
const VITEST = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'vitest', 'vitest.mjs');

it('fails a run whose tests leave an mq-broker-* temp dir', async () => {
  const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--root', LEAKY], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code, output }));
  });
  expect(output).toContain('1 passed');
  const m = /left 1 broker data dir\(s\) in its tmp dir: (mq-broker-\w+)/.exec(output);
  expect(m, output).not.toBeNull();
  expect(status).toBe(1);
  expect(output).not.toContain('tmp-guard: could not remove');
  // The child's private tmp dir sat in ours (only this file makes mq-test-tmp-* here) and is gone.
  expect(readdirSync(tmpdir()).filter((n) => n.startsWith('mq-test-tmp-'))).toEqual([]);
});
