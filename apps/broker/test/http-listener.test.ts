// The broker's HTTP listener: off by default, on with startBroker({ http }) / --http-port /
// MQ_HTTP_PORT / http.port; routes mounted on it answer; bad settings and a taken port are refused.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBrokerOptions, startBroker } from '../src/index';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

describe('startBroker({ http })', () => {
  it('is off unless asked for', async () => {
    await using broker = await startBroker();
    expect(broker.http).toBeUndefined();
  });

  it('binds a free port, serves mounted routes and JSON 404s, and frees the port on stop()', async () => {
    const broker = await startBroker({
      http: { port: 0, routes: [{ method: 'GET', path: '/v1/hello/:name', handler: (_req, p) => ({ status: 200, body: { hello: p.name } }) }] },
    });
    const base = `http://127.0.0.1:${broker.http?.port}`;
    expect(await (await fetch(`${base}/v1/hello/kafka`)).json()).toEqual({ hello: 'kafka' });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 404, message: 'no route for GET /nope' });
    await broker.stop();
    await expect(fetch(`${base}/v1/hello/kafka`)).rejects.toThrow();
  });

  it('refuses to start on a taken HTTP port, and releases the data dir and Kafka port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const dataDir = await mkdtemp(join(tmpdir(), 'mq-http-taken-'));
    await expect(startBroker({ dataDir, http: { port: taken } })).rejects.toThrow(/EADDRINUSE/);
    // The lock was released: a broker on the same dir starts.
    const again = await startBroker({ dataDir });
    await again.stop();
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('http.port configuration', () => {
  it('reads --http-port, MQ_HTTP_PORT and http.port with flag > env > file precedence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-http-conf-'));
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ 'http.port': 9644, 'http.host': '127.0.0.1' }));
    expect((await loadBrokerOptions(['--config', file], {})).http).toEqual({ port: 9644, host: '127.0.0.1' });
    expect((await loadBrokerOptions(['--config', file], { MQ_HTTP_PORT: '9700' })).http).toEqual({ port: 9700, host: '127.0.0.1' });
    expect((await loadBrokerOptions(['--config', file, '--http-port', '0'], { MQ_HTTP_PORT: '9700' })).http).toEqual({ port: 0, host: '127.0.0.1' });
    expect((await loadBrokerOptions([], {})).http).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a bad port and a host without a port', async () => {
    await expect(loadBrokerOptions(['--http-port', '70000'], {})).rejects.toThrow('http port: not a port: 70000');
    await expect(loadBrokerOptions(['--http-port', 'abc'], {})).rejects.toThrow('http port: not a port: abc');
    await expect(loadBrokerOptions(['--http-host', '127.0.0.1'], {})).rejects.toThrow(/set http.port/);
  });
});

describe.skipIf(!existsSync(MAIN))('mq-broker --http-port', () => {
  it('logs httpPort in "broker listening" and answers on it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-broker-http-bin-'));
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--http-port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const httpPort = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        for (const line of buf.split('\n')) {
          if (line.includes('"msg":"broker listening"')) resolve((JSON.parse(line) as { httpPort: number }).httpPort);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const res = await fetch(`http://127.0.0.1:${httpPort}/nope`);
    expect(res.status).toBe(404);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
