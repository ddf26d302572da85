// What the broker tells an operator at start: the fsync policy in words, the open-network warning
// (checked on the log lines, without binding beyond loopback), the pretty log format.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { TopicManager } from '@mq/partition';
import { describe, expect, it } from 'vitest';
import { fsyncPolicy, hostPort, isLoopback, isWildcard, logStartup } from '../src/banner';
import { prettyLine, prettyStream } from '../src/pretty-log';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines: () => out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('fsyncPolicy', () => {
  it.each([
    [{}, 'fsync before every acknowledgement (flush.messages=1)'],
    [{ 'flush.messages': '9223372036854775807', 'flush.ms': '1000' }, 'fsync every 1000 ms (writes acknowledged before their fsync)'],
    [{ 'flush.messages': '500', 'flush.ms': '1000' }, 'fsync every 500 messages or 1000 ms (writes acknowledged before their fsync)'],
    [{ 'flush.messages': '500' }, 'fsync every 500 messages (writes acknowledged before their fsync)'],
    [{ 'flush.messages': '9223372036854775807' }, 'no fsync by the broker (segments synced on roll and close only)'],
  ])('%j', (defaults, text) => {
    expect(fsyncPolicy(defaults)).toBe(text);
  });
});

describe('startup warnings', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'broker.example.invalid']) expect(isLoopback(h), h).toBe(false);
  });

  it('warns when bound beyond loopback without authentication, and after an unclean shutdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-startup-log-'));
    const topics = await TopicManager.open({ dataDir: dir });
    try {
      const facts = { port: 9092, advertised: 'x:9092', dataDir: dir, nodeId: 0, clusterId: 'c', topicDefaults: {}, topics };
      const open = capture();
      logStartup(open.logger, { ...facts, host: '0.0.0.0', lastShutdown: 'clean' });
      expect(open.lines().map((l) => [l.level, l.msg])).toEqual([
        [40, expect.stringContaining('listening on 0.0.0.0 without authentication or TLS')],
        [30, 'broker listening'],
      ]);
      const local = capture();
      logStartup(local.logger, { ...facts, host: '127.0.0.1', lastShutdown: 'unclean' });
      expect(local.lines().map((l) => [l.level, l.msg])).toEqual([
        [40, 'unclean shutdown: the last run did not stop cleanly'],
        [30, 'broker listening'],
      ]);
      const fresh = capture();
      logStartup(fresh.logger, { ...facts, host: '127.0.0.1', lastShutdown: 'fresh' });
      expect(fresh.lines()).toHaveLength(1);
    } finally {
      await topics.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a wildcard address advertised to clients', () => {
  it('knows wildcards; writes IPv6 hosts in brackets', () => {
    for (const h of ['0.0.0.0', '::', '[::]', '', '0:0:0:0:0:0:0:0']) expect(isWildcard(h), h).toBe(true);
    for (const h of ['127.0.0.1', '::1', '10.0.0.1', 'broker.example.invalid']) expect(isWildcard(h), h).toBe(false);
    expect(hostPort('::', 9092)).toBe('[::]:9092');
    expect(hostPort('[::1]', 9092)).toBe('[::1]:9092');
    expect(hostPort('127.0.0.1', 9092)).toBe('127.0.0.1:9092');
  });

  it('warns, naming the listener and the fix, when a listener advertises 0.0.0.0 or ::; not when advertised.listeners names a host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-startup-log-'));
    const topics = await TopicManager.open({ dataDir: dir });
    try {
      const facts = { host: '0.0.0.0', port: 9092, dataDir: dir, nodeId: 0, clusterId: 'c', topicDefaults: {}, topics, lastShutdown: 'fresh' as const, open: [] };
      const bound = (advertisedHost: string) => [{ name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' as const, host: '::', port: 9092, advertisedHost, advertisedPort: 9092 }];
      const wild = capture();
      logStartup(wild.logger, { ...facts, advertised: '[::]:9092', listeners: bound('::') });
      const [warning, banner] = wild.lines();
      expect(warning).toMatchObject({ level: 40, listener: 'PLAINTEXT', advertised: '[::]:9092' });
      expect(warning!.msg).toMatch(/^listener PLAINTEXT advertises \[::\]:9092: .*set advertised\.listeners/);
      expect(banner).toMatchObject({ msg: 'broker listening', listeners: 'PLAINTEXT://[::]:9092', advertised: '[::]:9092' });

      const v4 = capture();
      logStartup(v4.logger, { ...facts, advertised: '0.0.0.0:9092' });
      expect(v4.lines().map((l) => l.msg)).toEqual([expect.stringMatching(/^listener PLAINTEXT advertises 0\.0\.0\.0:9092/), 'broker listening']);

      const named = capture();
      logStartup(named.logger, { ...facts, advertised: 'broker-1.example.invalid:9092', listeners: bound('broker-1.example.invalid') });
      expect(named.lines().map((l) => l.msg)).toEqual(['broker listening']);
    } finally {
      await topics.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pretty logs', () => {
  it('formats pino lines for people and passes anything else through', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(prettyLine(JSON.stringify({ level: 30, time: t, pid: 1, msg: 'broker listening', port: 9092, dataDir: '/tmp/a b' }), false)).toBe(
      '03:04:05.006 INFO  broker listening port=9092 dataDir="/tmp/a b"',
    );
    expect(prettyLine(JSON.stringify({ level: 50, time: t, msg: 'boom', err: { message: 'EIO', stack: 'Error: EIO\n    at x' } }), false)).toBe(
      '03:04:05.006 ERROR boom err=EIO\nError: EIO\n    at x',
    );
    expect(prettyLine('not json', false)).toBe('not json');
    expect(prettyLine(JSON.stringify({ level: 40, time: t, msg: 'w' }), true)).toContain('\x1b[33mWARN');
  });

  it('prettyStream splits chunks into lines', async () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const s = prettyStream(sink, false);
    const line = JSON.stringify({ level: 30, time: 0, msg: 'hello' });
    s.write(line.slice(0, 10));
    s.write(`${line.slice(10)}\n${line}`);
    await new Promise<void>((resolve) => s.end(resolve));
    expect(out.join('').split('\n').filter(Boolean).map((l) => l.slice(13))).toEqual(['INFO  hello', 'INFO  hello']);
  });
});
