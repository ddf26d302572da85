// End to end: the spawned `mq` process against a real broker started in this test process.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const parseAllYaml = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS());
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
});
afterAll(async () => {
  await broker?.stop();
});

describe('mq topics', () => {
  it('creates, lists, describes, alters, grows and deletes a topic', async () => {
    let r = await runCli([...b, 'topics', 'create', 'orders', '--partitions', '2', '--config', 'retention.ms=60000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    r = await runCli([...b, '-o', 'json', 'topics', 'list']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toContainEqual({ topic: 'orders', partitions: 2, replicationFactor: 1 });

    r = await runCli([...b, 'topics', 'describe', 'orders']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Topic: orders .*Partitions: 2/);
    expect(r.stdout).toMatch(/PARTITION\s+LEADER\s+LEADER_EPOCH\s+REPLICAS\s+ISR/);
    expect(r.stdout).toMatch(/retention\.ms\s+60000\s+DYNAMIC_TOPIC_CONFIG/);

    r = await runCli([...b, 'topics', 'alter-config', 'orders', '--set', 'retention.ms=120000', '--set', 'cleanup.policy=compact']);
    expect(r.code).toBe(0);
    r = await runCli([...b, '-o', 'yaml', 'topics', 'describe', 'orders']);
    expect(parseYaml(r.stdout)).toMatchObject({ topic: 'orders', configs: { 'retention.ms': '120000', 'cleanup.policy': 'compact' } });

    r = await runCli([...b, 'topics', 'add-partitions', 'orders', '--partitions', '3']);
    expect(r.code).toBe(0);
    r = await runCli([...b, '-o', 'json', 'topics', 'describe', 'orders']);
    expect(JSON.parse(r.stdout).partitions).toHaveLength(3);

    r = await runCli([...b, 'topics', 'delete', 'orders']);
    expect(r.code).toBe(0);
    r = await runCli([...b, '-o', 'json', 'topics', 'list']);
    expect(JSON.parse(r.stdout).map((t: { topic: string }) => t.topic)).not.toContain('orders');
  });
});

describe('mq produce / consume', () => {
  it('produces from stdin and consumes back the exact content', async () => {
    await runCli([...b, 'topics', 'create', 'stdin-topic', '--partitions', '1']);
    const lines = ['alpha', 'beta with spaces', 'ünïcødé ✓', '', 'last'];
    const p = await runCli([...b, 'produce', 'stdin-topic'], { input: lines.join('\n') + '\n' });
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/stdin-topic\s+0\s+5/);
    const c = await runCli([...b, 'consume', 'stdin-topic', '--from-beginning', '--count', '5']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(lines.join('\n') + '\n');
  });

  it('produces a file with keys and headers and consumes with --format and json', async () => {
    await runCli([...b, 'topics', 'create', 'file-topic', '--partitions', '3']);
    const dir = await mkdtemp(join(tmpdir(), 'mq-cli-'));
    const file = join(dir, 'in.txt');
    const lines = Array.from({ length: 300 }, (_, i) => `k${i % 10}=value-${i}`);
    await writeFile(file, lines.join('\n') + '\n');
    const p = await runCli([...b, '-o', 'json', 'produce', 'file-topic', '--file', file, '--key-separator', '=', '--header', 'src=file', '--compression', 'gzip']);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ topic: 'file-topic', messages: 300 });
    // Not a TTY: plain progress lines on stderr.
    expect(p.stderr).toMatch(/^progress: 100\.0% 300 msgs/m);

    const c = await runCli([...b, 'consume', 'file-topic', '--from-beginning', '--count', '300', '--format', '{key}={value}|{headers}|{partition}']);
    expect(c.code).toBe(0);
    const out = c.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(300);
    // Same key → same partition, and per-key order is kept.
    const partOf = new Map<string, string>();
    const valuesOf = new Map<string, number[]>();
    for (const line of out) {
      const [kv, headers, partition] = line.split('|');
      const [key, value] = kv!.split('=');
      expect(headers).toBe('src=file');
      if (partOf.has(key!)) expect(partOf.get(key!)).toBe(partition);
      partOf.set(key!, partition!);
      valuesOf.set(key!, [...(valuesOf.get(key!) ?? []), Number(value!.slice('value-'.length))]);
    }
    expect([...out].map((l) => l.split('|')[0]).sort()).toEqual([...lines].sort());
    for (const vs of valuesOf.values()) expect(vs).toEqual([...vs].sort((x, y) => x - y));

    const j = await runCli([...b, '-o', 'json', 'consume', 'file-topic', '--partition', '0', '--offset', '0', '--count', '1']);
    expect(j.code).toBe(0);
    const rec = JSON.parse(j.stdout.trim());
    expect(rec).toMatchObject({ topic: 'file-topic', partition: 0, offset: '0', headers: [{ key: 'src', value: 'file' }] });
  });

  it('consumes from a timestamp and stops after --idle-ms', async () => {
    await runCli([...b, 'topics', 'create', 'ts-topic', '--partitions', '1']);
    await runCli([...b, 'produce', 'ts-topic'], { input: 'old1\nold2\n' });
    await new Promise((r) => setTimeout(r, 50));
    const mark = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await runCli([...b, 'produce', 'ts-topic'], { input: 'new1\nnew2\n' });
    const c = await runCli([...b, 'consume', 'ts-topic', '--timestamp', String(mark), '--idle-ms', '1000', '--format', '{offset}:{value}']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('2:new1\n3:new2\n');
  });
});

describe('mq produce options', () => {
  it('acks=0 with lz4 and a rate limit delivers everything; yaml consume shows every field', async () => {
    await runCli([...b, 'topics', 'create', 'opts-topic', '--partitions', '1']);
    const input = Array.from({ length: 20 }, (_, i) => `k${i}|v${i}`).join('\n') + '\n';
    const p = await runCli([...b, 'produce', 'opts-topic', '--acks', '0', '--compression', 'lz4', '--rate', '200', '-K', '|', '-H', 'a=1'], { input });
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const c = await runCli([...b, '-o', 'yaml', 'consume', 'opts-topic', '--from-beginning', '--count', '20']);
    expect(c.code).toBe(0);
    const docs = parseAllYaml(c.stdout);
    expect(docs).toHaveLength(20);
    expect(docs[19]).toMatchObject({ topic: 'opts-topic', partition: 0, offset: '19', key: 'k19', value: 'v19', headers: [{ key: 'a', value: '1' }] });
  });
});

describe('mq cluster', () => {
  it('prints cluster info', async () => {
    const r = await runCli([...b, 'cluster', 'info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Cluster: \S+ +Controller: 0/);
    expect(r.stdout).toContain(`127.0.0.1  ${broker.port}`);
    const j = await runCli([...b, '-o', 'json', 'cluster', 'info']);
    expect(JSON.parse(j.stdout).apiVersions).toContainEqual(expect.objectContaining({ api: 'Produce', apiKey: 0 }));
  });
});

describe('errors', () => {
  it('unknown topic: one line naming the Kafka error, exit 1', async () => {
    const r = await runCli([...b, 'topics', 'describe', 'no-such-topic']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: UNKNOWN_TOPIC_OR_PARTITION \(code 3\): .*no-such-topic.*\n$/);
    const c = await runCli([...b, 'consume', 'no-such-topic', '--count', '1']);
    expect(c.code).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad flags and arguments: exit 2 with one line', async () => {
    for (const args of [
      ['topics', 'list', '--bogus'],
      ['topics', 'create', 'x', '--partitions', 'many'],
      ['produce', 't', '--acks', '7'],
      ['consume', 't', '--from-beginning', '--offset', '3'],
      ['groups', 'reset-offsets', 'g', '--topic', 't'],
      ['--output', 'xml', 'topics', 'list'],
      // A template would be ignored by -o json / yaml: refused, not dropped without a word.
      ['-o', 'json', 'consume', 't', '--format', '{key}'],
      ['-o', 'yaml', 'consume', 't', '--null-text', 'NULL'],
      ['-o', 'json', 'queue', 'receive', '--group', 'g', '--topic', 't', '--format', '{key}'],
    ]) {
      const r = await runCli([...b, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it('unreachable broker: clear message, exit 1', async () => {
    const r = await runCli(['-b', '127.0.0.1:1', 'topics', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: cannot connect to 127.0.0.1:1: ECONNREFUSED\n');
  });

  it('--version prints the installed package version on stdout, exit 0, without connecting', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['-b', '127.0.0.1:1', '--version']);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('reads the bootstrap server from MQ_BOOTSTRAP', async () => {
    const r = await runCli(['cluster', 'info'], { env: { MQ_BOOTSTRAP: `127.0.0.1:${broker.port}` } });
    expect(r.code).toBe(0);
  });
});
