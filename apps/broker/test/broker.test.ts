// The broker app: startBroker() in-process, configuration precedence, and the mq-broker binary
// (built dist/main.js) announcing its port and shutting down cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataDirLock, LOCK_FILE_NAME } from '@mq/partition';
import { loadBrokerOptions, startBroker } from '../src/index';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('startBroker', () => {
  it('starts on a free port with a temp data dir and stops', async () => {
    const broker = await startBroker();
    expect(broker.port).toBeGreaterThan(0);
    expect(existsSync(broker.dataDir)).toBe(true);
    expect(await canConnect(broker.port)).toBe(true);
    await broker.stop();
    expect(await canConnect(broker.port)).toBe(false);
  });

  it('holds the data dir lock until stop: a second startBroker on the dir is refused', async () => {
    const broker = await startBroker({ keepDataDir: true });
    const err = await startBroker({ dataDir: broker.dataDir }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`data dir ${broker.dataDir} is locked by pid ${process.pid}`);
    await broker.stop();
    expect(existsSync(join(broker.dataDir, '.lock'))).toBe(false);
    const again = await startBroker({ dataDir: broker.dataDir });
    await again.stop();
    await rm(broker.dataDir, { recursive: true, force: true });
  });
});

describe('configuration', () => {
  it('applies defaults < file < env < flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-broker-cfg-'));
    const file = join(dir, 'broker.json');
    await writeFile(file, JSON.stringify({ port: 1111, 'num.partitions': 3, 'log.retention.ms': 5000, 'auto.create.topics.enable': false }));
    const opts = await loadBrokerOptions(['--config', file, '--port', '3333'], { MQ_PORT: '2222', MQ_DATA_DIR: '/tmp/x' });
    expect(opts.port).toBe(3333);
    expect(opts.dataDir).toBe('/tmp/x');
    expect(opts.host).toBe('127.0.0.1');
    expect(opts.config.numPartitions).toBe(3);
    expect(opts.config.autoCreateTopicsEnable).toBe(false);
    expect(opts.config.topicDefaults).toEqual({ 'retention.ms': '5000' });
    await expect(loadBrokerOptions(['--nope'], {})).rejects.toThrow(/unknown flag/);
    // Long.MAX_VALUE in JSON loses precision as a double; it must still mean Long.MAX_VALUE.
    await writeFile(file, '{"log.flush.interval.messages": 9223372036854775807}');
    const big = await loadBrokerOptions(['--config', file], {});
    expect(big.config.topicDefaults).toEqual({ 'flush.messages': '9223372036854775807' });
    await rm(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!existsSync(MAIN))('mq-broker binary', () => {
  it('waiting to learn who holds the data dir lock, it does not exit 0 mid-start (Clock timers are unref\'d)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-broker-held-'));
    // Held by this process, with the holder file gone: the binary's start retries reading it on the Clock.
    const lock = await DataDirLock.acquire(dir);
    await unlink(join(dir, LOCK_FILE_NAME));
    try {
      const child = spawn(process.execPath, [MAIN, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(JSON.parse(out.trim())).toMatchObject({ msg: 'broker failed to start', error: 'DataDirLockedError' });
    } finally {
      await lock.release();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('logs "broker listening" with its port and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-broker-bin-'));
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        for (const line of buf.split('\n')) {
          if (line.includes('"msg":"broker listening"')) resolve((JSON.parse(line) as { port: number }).port);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(await canConnect(port)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
