// vitest globalSetup: the run gets a private TMPDIR (os.tmpdir() in every test process and every
// process they spawn), and fails if a broker temp data dir (`mq-broker-*`) is still in it at the end:
// a test that forgot `stop()`, or made such a dir itself and never removed it. Private, so other
// test runs on the same machine cannot make this one fail; removed afterwards either way.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const outer = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'mq-test-tmp-'));
  process.env.TMPDIR = dir;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    const leaked = readdirSync(dir).filter((name) => name.startsWith('mq-broker-'));
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      // e.g. EBUSY from a mount a failed test left inside; the leak check below still decides.
      process.stderr.write(`tmp-guard: could not remove ${dir}: ${(err as Error).message}\n`);
    }
    if (leaked.length > 0) {
      // vitest only logs an error thrown here ("error during close") and still exits 0.
      process.exitCode = 1;
      process.stderr.write(
        `FAIL: this test run left ${leaked.length} broker data dir(s) in its tmp dir: ${leaked.join(', ')} ` +
          '(stop() every startBroker(); remove every mq-broker-* dir a test makes, in a finally or afterEach)\n',
      );
    }
  };
}
