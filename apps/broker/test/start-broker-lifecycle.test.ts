// startBroker()'s data dir ownership: a temp dir it made is removed by stop() (unless keepDataDir),
// a caller's dir never is; `await using` stops the broker; a failed start leaves no temp dir; and
// the binary's --version.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBroker } from '../src/index';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(APP, 'dist', 'main.js');

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

// os.tmpdir() reads TMPDIR on each call: a private one lets the test see every dir startBroker makes,
// whatever other test runs on the machine put in /tmp meanwhile.
let privateTmp: string;
let savedTmpdir: string | undefined;
beforeEach(async () => {
  privateTmp = await mkdtemp(join(tmpdir(), 'mq-lifecycle-test-'));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp;
});
afterEach(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(privateTmp, { recursive: true, force: true });
});

describe('startBroker data dir', () => {
  it('removes the temp data dir it created when it stops', async () => {
    const broker = await startBroker();
    expect(dirname(broker.dataDir)).toBe(privateTmp);
    expect(existsSync(broker.dataDir)).toBe(true);
    await broker.stop();
    expect(existsSync(broker.dataDir)).toBe(false);
    expect(await readdir(privateTmp)).toEqual([]);
  });

  it('keeps the temp data dir with keepDataDir: true', async () => {
    const broker = await startBroker({ keepDataDir: true });
    await broker.stop();
    expect((await readdir(broker.dataDir)).length).toBeGreaterThan(0);
  });

  it('never removes a data dir the caller supplied', async () => {
    const dataDir = join(privateTmp, 'mine');
    const broker = await startBroker({ dataDir });
    await writeFile(join(dataDir, 'note.txt'), 'kept');
    await broker.stop();
    expect(readFileSync(join(dataDir, 'note.txt'), 'utf8')).toBe('kept');
  });

  it('leaves no temp data dir behind when startup fails after creating it', async () => {
    const first = await startBroker();
    const err = await startBroker({ port: first.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await first.stop();
    expect(await readdir(privateTmp)).toEqual([]);
  });

  it('stops and cleans up when an `await using` scope exits', async () => {
    let port = 0;
    let dataDir = '';
    {
      await using broker = await startBroker();
      port = broker.port;
      dataDir = broker.dataDir;
      expect(await canConnect(port)).toBe(true);
    }
    expect(await canConnect(port)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe.skipIf(!existsSync(MAIN))('mq-broker --version', () => {
  it('prints the package version on stdout and exits 0 without starting', () => {
    const { version } = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [MAIN, '--version'], { encoding: 'utf8', cwd: privateTmp });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(existsSync(join(privateTmp, 'data'))).toBe(false);
  });
});
