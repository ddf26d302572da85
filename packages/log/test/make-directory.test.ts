// makeDirectory on real paths the filesystem refuses: it must end (Node's recursive mkdir spins
// forever on /proc/x) and name the real errno and path (Node reports EROFS as ENOENT).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaStorageError } from '@mq/errors';
import { makeDirectory } from '../src/index';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mq-mkdir-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A real read-only tmpfs (needs root with mount rights); false where mounting is not allowed. */
function mountReadOnly(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing directory', async () => {
    const base = await tempDir();
    const deep = join(base, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDirectory(deep);
  });

  it('fails at once under /proc (mkdir answers ENOENT below an existing parent) instead of spinning', async () => {
    const err = await makeDirectory('/proc/mq-no-such-dir/data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaStorageError);
    expect((err as Error).message).toContain('cannot create directory /proc/mq-no-such-dir: ENOENT');
  });

  it('names ENOTDIR and the path for a directory under a regular file', async () => {
    const base = await tempDir();
    await writeFile(join(base, 'file'), 'x');
    const err = await makeDirectory(join(base, 'file', 'sub')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaStorageError);
    expect((err as Error).message).toContain(`cannot create directory ${join(base, 'file', 'sub')}: ENOTDIR`);
    const err2 = await makeDirectory(join(base, 'file')).catch((e: unknown) => e);
    expect((err2 as Error).message).toContain(`cannot use ${join(base, 'file')} as a directory`);
  });

  it('names EROFS and the path on a read-only filesystem', async (ctx) => {
    const base = await tempDir();
    const mnt = join(base, 'ro');
    await mkdir(mnt);
    // Skipped only where this process may not mount (not root, or no CAP_SYS_ADMIN).
    if (!mountReadOnly(mnt)) return ctx.skip();
    try {
      const err = await makeDirectory(join(mnt, 'data', 'meta')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KafkaStorageError);
      expect((err as Error).message).toContain(`cannot create directory ${join(mnt, 'data')}: EROFS`);
      expect(existsSync(join(mnt, 'data'))).toBe(false);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
