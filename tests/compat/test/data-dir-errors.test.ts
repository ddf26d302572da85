// Acceptance: mq-broker on a data dir it cannot create fails fast (it used to spin at 100 % CPU
// on /proc/x, and to report a read-only filesystem as ENOENT) with one line naming path and errno.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { BROKER_MAIN } from '../src/paths';
import { makeTempDir, removeDir } from '../src/temp-dir';

/** Starts the binary on `dataDir`; it must exit on its own (no signal needed) well inside the timeout. */
async function failedStart(dataDir: string): Promise<string> {
  const res = await run(process.execPath, [BROKER_MAIN, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], { timeoutMs: 15_000 });
  expect(res.timedOut).toBe(false);
  expect(res.code).toBe(1);
  const lines = res.stdout.toString('utf8').trim().split('\n');
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!) as { msg: string; err: string };
  expect(line.msg).toBe('broker failed to start');
  return line.err;
}

describe('unusable data dir (child-process broker)', () => {
  let work: string;
  beforeEach(async () => {
    work = await makeTempDir('bad-dir');
  });
  afterEach(async () => {
    await removeDir(work);
  });

  it('--data-dir /proc/x fails at once with ENOENT under an existing parent, no spin', async () => {
    expect(await failedStart('/proc/mq-compat-x')).toMatch(/^cannot create directory \/proc\/mq-compat-x: ENOENT/);
  });

  it('a data dir under a regular file fails with ENOTDIR and the path', async () => {
    await writeFile(join(work, 'file'), 'x');
    expect(await failedStart(join(work, 'file', 'data'))).toContain(`cannot create directory ${join(work, 'file', 'data')}: ENOTDIR`);
  });

  it('a data dir on a read-only filesystem fails with EROFS and the path', async (ctx) => {
    const mnt = join(work, 'ro');
    await mkdir(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      // Only root with mount rights can make a real read-only filesystem; chmod does not stop root.
      return ctx.skip();
    }
    try {
      expect(await failedStart(join(mnt, 'data'))).toContain(`cannot create directory ${join(mnt, 'data')}: EROFS`);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('an existing data dir on a filesystem remounted read-only fails with EROFS and the lock path', async (ctx) => {
    const mnt = join(work, 'remounted');
    await mkdir(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      return ctx.skip(); // as above: needs root with mount rights
    }
    try {
      await mkdir(join(mnt, 'data'));
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      expect(await failedStart(join(mnt, 'data'))).toContain(`cannot write lock file ${join(mnt, 'data', '.lock')}: EROFS`);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
