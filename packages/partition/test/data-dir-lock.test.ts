// DataDirLock on real temp dirs with real processes: one holder at a time, the refusal names the
// holder, a lock left by a dead process is taken over, and a live holder the socket cannot see
// (recorded in .lock by a running pid) is still refused.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLockedError, LOCK_FILE_NAME } from '../src/index';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mq-lock-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('DataDirLock', () => {
  it('lets one holder in at a time, names it in the refusal, and frees the dir on release', async () => {
    const dir = join(await tempDir(), 'data'); // created by acquire
    const lock = await DataDirLock.acquire(dir);
    const recorded = JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number; host: string };
    expect(recorded).toMatchObject({ pid: process.pid, host: hostname() });
    const err = await DataDirLock.acquire(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toContain(`data dir ${dir} is locked by pid ${process.pid} on host ${hostname()} since ${lock.holder.startedAt}`);
    expect((err as DataDirLockedError).errorCode).toBe(56);
    await lock.release();
    await expect(readFile(join(dir, LOCK_FILE_NAME))).rejects.toThrow(/ENOENT/);
    const again = await DataDirLock.acquire(dir);
    await again.release();
  });

  it('takes over a lock left by a process that died, with a WARN naming it', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', procStartTicks: '1' }));
    const warnings: object[] = [];
    const lock = await DataDirLock.acquire(dir, { logger: { warn: (obj) => warnings.push(obj) } });
    expect(warnings).toEqual([expect.objectContaining({ holder: expect.objectContaining({ pid }) })]);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('treats a reused pid (different /proc start time) as gone', async () => {
    const dir = await tempDir();
    // pid 1 is alive but did not write this lock: its start time differs from the recorded one.
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 1, host: hostname(), startedAt: 'x', procStartTicks: '999999999999' }));
    const lock = await DataDirLock.acquire(dir);
    await lock.release();
  });

  it('refuses a live holder recorded in .lock even when the socket is free, and one on another host', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const pid = child.pid!;
      await new Promise((r) => setTimeout(r, 100));
      await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), startedAt: 'then', procStartTicks: startTicks(pid) }));
      const err = await DataDirLock.acquire(dir).catch((e: unknown) => e);
      expect((err as Error).message).toContain(`locked by pid ${pid} on host ${hostname()} since then`);
    } finally {
      child.kill('SIGKILL');
    }
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 12345, host: 'elsewhere.invalid', startedAt: 'then' }));
    const err = await DataDirLock.acquire(dir).catch((e: unknown) => e);
    expect((err as Error).message).toContain('locked by pid 12345 on host elsewhere.invalid since then');
  });

  it('a garbage .lock (torn write, foreign file) is not a live holder', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE_NAME), '{"pid":');
    const lock = await DataDirLock.acquire(dir);
    await lock.release();
  });

  it('names the path and errno when the dir cannot be created', async () => {
    const base = await tempDir();
    await writeFile(join(base, 'file'), 'x');
    await expect(DataDirLock.acquire(join(base, 'file', 'data'))).rejects.toThrow(/cannot create directory .*file\/data: ENOTDIR/);
    await expect(DataDirLock.acquire('/proc/mq-no-such-dir')).rejects.toThrow(/cannot create directory \/proc\/mq-no-such-dir: ENOENT/);
  });
});
