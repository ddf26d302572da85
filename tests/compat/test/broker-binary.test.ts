// Acceptance: the mq-broker binary as an operator meets it — a spawned real process: --help and
// --version, a Kafka server.properties file (advertised.listeners in Metadata; Kafka's own KRaft
// config with its no-op keys named in one warning), a bad config as one human line, the log format
// chosen by whether stdout is a terminal (a real pty from util-linux `script`), the startup banner,
// the warning after an unclean shutdown (SIGKILL, then a torn tail appended to a segment), and a
// second SIGINT that exits at once while the first is still waiting on an in-flight JoinGroup.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { run, waitForExit } from '../src/child-process';
import { kcat } from '../src/kcat';
import { BROKER_MAIN, REPO_ROOT } from '../src/paths';
import { makeTempDir, removeDir } from '../src/temp-dir';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'apps/broker/package.json'), 'utf8')) as { version: string }).version;

let work: string;
let brokers: BrokerProcess[] = [];
beforeEach(async () => {
  work = await makeTempDir('binary');
});
afterEach(async () => {
  for (const b of brokers) await b.kill();
  brokers = [];
  await removeDir(work);
});

async function start(opts: Parameters<typeof BrokerProcess.start>[0]): Promise<BrokerProcess> {
  const b = await BrokerProcess.start(opts);
  brokers.push(b);
  return b;
}

/** The broker's JSON log lines, parsed (lines that are not JSON are skipped). */
function* logRecords(b: BrokerProcess): Generator<Record<string, unknown>> {
  for (const l of b.logLines) {
    try {
      yield JSON.parse(l) as Record<string, unknown>;
    } catch {
      // not JSON
    }
  }
}

function line(b: BrokerProcess, msg: string): Record<string, unknown> | undefined {
  for (const o of logRecords(b)) if (o.msg === msg) return o;
  return undefined;
}

/** JoinGroup requests in the debug request log that have not been answered with an error. */
function heldJoinGroups(b: BrokerProcess): number {
  const held = new Set<string>();
  for (const o of logRecords(b)) {
    if (o.api !== 'JoinGroup') continue;
    const id = `${String(o.conn)}/${String(o.correlationId)}`;
    if (o.msg === 'request') held.add(id);
    else if (o.msg === 'request answered with an error') held.delete(id);
  }
  return held.size;
}

describe('mq-broker --help / --version', () => {
  it('--help lists every flag with its env var and default on stdout, exit 0', async () => {
    const res = await run(process.execPath, [BROKER_MAIN, '--help'], { timeoutMs: 30_000 });
    expect(res.code).toBe(0);
    const out = res.stdout.toString('utf8');
    for (const [flag, env, dflt] of [
      ['--host', 'MQ_HOST', '127.0.0.1'],
      ['--port', 'MQ_PORT', '9092'],
      ['--data-dir', 'MQ_DATA_DIR', './data'],
      ['--log-level', 'MQ_LOG_LEVEL', 'info'],
      ['--listeners', 'MQ_LISTENERS', 'unset'],
      ['--http-port', 'MQ_HTTP_PORT', 'unset'],
    ]) {
      expect(out.split('\n').some((l) => l.includes(flag!) && l.includes(env!) && l.includes(`[default: ${dflt}]`)), flag).toBe(true);
    }
    expect(out).toContain('--config');
    expect(out).toContain('--override');
    expect(res.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const res = await run(process.execPath, [BROKER_MAIN, '--version'], { timeoutMs: 30_000 });
    expect(res.code).toBe(0);
    expect(res.stdout.toString('utf8')).toBe(`${VERSION}\n`);
  });

  it('an unknown flag is one line naming it, exit 1', async () => {
    const res = await run(process.execPath, [BROKER_MAIN, '--prot', '9092', '--log-format', 'pretty'], { timeoutMs: 30_000 });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('mq-broker: unknown flag --prot (mq-broker --help lists them)\n');
    expect(res.stdout.toString('utf8')).toBe('');
  });
});

describe('mq-broker with a server.properties file', () => {
  it('reads it and says what it runs in the startup banner', async () => {
    const file = join(work, 'server.properties');
    await writeFile(file, ['# Kafka-style', 'broker.id=0', 'num.partitions=3', 'log.flush.interval.messages=9223372036854775807', 'log.flush.interval.ms=1000', ''].join('\n'));
    const dataDir = join(work, 'data');
    const b = await start({ dataDir, configFile: file });
    const banner = line(b, 'broker listening')!;
    expect(banner).toMatchObject({
      version: VERSION,
      nodeId: 0,
      listeners: `PLAINTEXT://127.0.0.1:${b.port}`,
      advertised: `127.0.0.1:${b.port}`,
      dataDir,
      fsync: 'fsync every 1000 ms (writes acknowledged before their fsync)',
      topics: 0,
      partitions: 0,
    });
    expect(banner.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await kcat(['-P', '-b', b.bootstrap, '-t', 'props'], 60_000, 'a\nb\n');
    const md = JSON.parse((await kcat(['-L', '-J', '-b', b.bootstrap, '-t', 'props'])).stdout.toString('utf8')) as { topics: { partitions: unknown[] }[] };
    expect(md.topics[0]!.partitions).toHaveLength(3); // num.partitions from the file
    expect(await b.stop()).toBe(0);
    const again = await start({ dataDir, configFile: file });
    expect(line(again, 'broker listening')).toMatchObject({ topics: 1, partitions: 3 });
    expect(line(again, 'unclean shutdown')).toBeUndefined();
  });

  it('advertised.listeners is what Metadata answers (kcat -L)', async () => {
    const file = join(work, 'advertised.properties');
    await writeFile(file, 'advertised.listeners=PLAINTEXT://mq-advertised.example.invalid:19092\n');
    const b = await start({ dataDir: join(work, 'data'), configFile: file });
    expect(line(b, 'broker listening')).toMatchObject({ advertised: 'mq-advertised.example.invalid:19092' });
    const md = JSON.parse((await kcat(['-L', '-J', '-b', b.bootstrap, '-m', '30'])).stdout.toString('utf8')) as { brokers: { id: number; name: string }[] };
    expect(md.brokers).toEqual([{ id: 0, name: 'mq-advertised.example.invalid:19092' }]);
  });

  it('a bad value is one human line with --log-format pretty, one JSON line otherwise; exit 1, data dir not created', async () => {
    const file = join(work, 'bad.properties');
    await writeFile(file, 'num.partitions=1.5\n');
    const dataDir = join(work, 'never');
    const args = [BROKER_MAIN, '--port', '0', '--data-dir', dataDir, '--config', file];
    const human = await run(process.execPath, [...args, '--log-format', 'pretty'], { timeoutMs: 30_000 });
    expect(human.code).toBe(1);
    expect(human.stderr).toBe('mq-broker: num.partitions: 1.5 is not an integer (allowed: [1, 10000])\n');
    const json = await run(process.execPath, args, { timeoutMs: 30_000 });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.toString('utf8'))).toMatchObject({ msg: 'broker failed to start', error: 'ConfigError', err: 'num.partitions: 1.5 is not an integer (allowed: [1, 10000])' });
    const listener = await run(process.execPath, [...args.slice(0, -2), '--listeners', 'SSL://127.0.0.1:9093'], { timeoutMs: 30_000 });
    expect(JSON.parse(listener.stdout.toString('utf8')).err).toContain('SSL (SSL) needs ssl.keystore.location');
    expect((await readdir(work)).includes('never')).toBe(false);
  });
});

describe("Kafka's own KRaft server.properties", () => {
  it('starts mq: one warning names the KRaft, thread and socket keys it ignores, the CONTROLLER listener is left out', async () => {
    const kafkaConfig = join(REPO_ROOT, 'apps/broker/test/fixtures/kafka-kraft-server.properties');
    // Kafka's file fixes port 9092 and /tmp/kraft-combined-logs; the flags BrokerProcess passes win over it.
    const b = await start({ dataDir: join(work, 'data'), configFile: kafkaConfig });
    const warning = b.logLines.filter((l) => l.includes('"ignored Kafka settings')).map((l) => JSON.parse(l) as Record<string, unknown>)[0];
    expect(warning).toMatchObject({ level: 40 });
    const ignored = warning!.ignored as Record<string, string>;
    expect(Object.keys(ignored)).toEqual(expect.arrayContaining(['process.roles', 'controller.quorum.bootstrap.servers', 'controller.listener.names', 'num.network.threads']));
    expect(ignored['process.roles']).toContain('etcd');
    expect(line(b, 'broker listening')).toMatchObject({ nodeId: 1, listeners: `PLAINTEXT://127.0.0.1:${b.port}`, advertised: 'localhost:9092' });
    const md = JSON.parse((await kcat(['-L', '-J', '-b', b.bootstrap, '-m', '30'])).stdout.toString('utf8')) as { brokers: { id: number; name: string }[] };
    expect(md.brokers).toEqual([{ id: 1, name: 'localhost:9092' }]);
  });
});

describe('log format follows the terminal', () => {
  /** Runs the broker with stdout on a pseudo-terminal (util-linux `script`), until `until` is in its output. */
  function onTerminal(args: readonly string[], until: RegExp): Promise<string> {
    const command = [process.execPath, BROKER_MAIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        try {
          process.kill(-child.pid!, 'SIGKILL'); // the pty session we started, by its process group
        } catch {
          // already gone
        }
        if (err === undefined) resolve(out);
        else reject(err);
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${until} in: ${out}`)), 60_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString('utf8');
        if (until.test(out)) done();
      });
      child.on('exit', () => (until.test(out) ? done() : done(new Error(`exited before ${until}: ${out}`))));
    });
  }

  it('on a terminal: readable lines, and a failed start is one human line; piped: JSON', async () => {
    const started = await onTerminal(['--host', '127.0.0.1', '--port', '0', '--data-dir', join(work, 'tty')], /broker listening/);
    const banner = started.split(/\r?\n/).find((l) => l.includes('broker listening'))!;
    expect(() => JSON.parse(banner)).toThrow();
    expect(banner).toContain('127.0.0.1');
    const failed = await onTerminal(['--prot', '9092'], /unknown flag/);
    expect(failed).toContain('mq-broker: unknown flag --prot (mq-broker --help lists them)');
    const piped = await run(process.execPath, [BROKER_MAIN, '--prot', '9092'], { timeoutMs: 30_000 });
    expect(JSON.parse(piped.stdout.toString('utf8'))).toMatchObject({ msg: 'broker failed to start', err: 'unknown flag --prot (mq-broker --help lists them)' });
  });
});

describe('after an unclean shutdown', () => {
  it('warns with what recovery rescanned and truncated; a clean stop leaves no warning', async () => {
    const dataDir = join(work, 'data');
    const b = await start({ dataDir });
    await kcat(['-P', '-b', b.bootstrap, '-t', 'crashy'], 60_000, 'one\ntwo\nthree\n');
    await b.kill(); // SIGKILL: no marker, no clean close
    const segment = join(dataDir, 'crashy-0', (await readdir(join(dataDir, 'crashy-0'))).find((f) => f.endsWith('.log'))!);
    await appendFile(segment, Buffer.alloc(37, 0xab)); // a torn tail: recovery must cut exactly these
    const after = await start({ dataDir });
    const warn = line(after, 'unclean shutdown: the last run did not stop cleanly');
    expect(warn).toMatchObject({ level: 40, bytesTruncated: 37, truncated: ['crashy-0'] });
    expect(warn!.segmentsRescanned).toBeGreaterThanOrEqual(1);
    expect(warn!.partitionsRecovered).toBeGreaterThanOrEqual(1);
    expect(await after.stop()).toBe(0);
    const clean = await start({ dataDir });
    expect(line(clean, 'unclean shutdown: the last run did not stop cleanly')).toBeUndefined();
  });
});

describe('a second SIGINT', () => {
  it('exits at once while the graceful stop waits for an in-flight JoinGroup', async () => {
    const file = join(work, 'slow-join.properties');
    // A JoinGroup to an empty group waits this long for more members: the stop's drain waits on it.
    await writeFile(file, 'group.initial.rebalance.delay.ms=120000\n');
    const b = await start({ dataDir: join(work, 'data'), configFile: file, extraArgs: ['--log-level', 'debug'] });
    const kafka = new Kafka({ clientId: 'second-sigint', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const consumer = kafka.consumer({ groupId: 'waits', sessionTimeout: 180_000, rebalanceTimeout: 180_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'join-wait' });
    void consumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
    // kafkajs' first JoinGroup is answered at once (MEMBER_ID_REQUIRED); only its rejoin with the
    // member id is held by the delay. Signal once that one has been unanswered for a moment.
    await expect.poll(() => heldJoinGroups(b), { timeout: 60_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heldJoinGroups(b)).toBeGreaterThan(0);
    process.kill(b.pid, 'SIGINT');
    await expect.poll(() => b.logLines.some((l) => l.includes('shutdown requested')), { timeout: 30_000 }).toBe(true);
    const exited = new Promise<number | null>((resolve) => b.child.once('exit', (code) => resolve(code)));
    process.kill(b.pid, 'SIGINT');
    expect(await exited).toBe(130);
    expect(b.logLines.some((l) => l.includes('second signal: exiting now'))).toBe(true);
    // The broker is gone: kafkajs' disconnect may only fail; it must not hold the test.
    await Promise.race([consumer.disconnect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await waitForExit(b.child, 1_000);
  });
});
