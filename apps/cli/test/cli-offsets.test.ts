// Offsets through the spawned CLI: describe/offsets show log start and high watermark, trim-prefix
// moves the log start, --exit-at-end and rpk's offset spec pick exact ranges, and a start outside
// the log is warned about. The TTY note is checked in-process with a TTY-like stderr.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { run } from '../src/program';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
let client: MqClient;
const BASE = 1_700_000_000_000;
const at = (ms: number): string => String(BASE + ms);
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
  client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
  await client.admin().createTopics([{ name: 'off', numPartitions: 2 }]);
  const producer = client.producer({ lingerMs: 0 });
  // Partition 0: v0..v9 at BASE+1 s .. BASE+10 s (BASE = 2023-11-14T22:13:20Z); partition 1: five.
  await producer.send({ topic: 'off', messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: 0, timestamp: BASE + (i + 1) * 1000 })) });
  await producer.send({ topic: 'off', messages: Array.from({ length: 5 }, (_, i) => ({ value: `w${i}`, partition: 1, timestamp: BASE + (i + 1) * 1000 })) });
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

const lines = (s: string): string[] => s.trimEnd().split('\n').filter((l) => l !== '');

describe('offsets', () => {
  it('topics describe and topics offsets show log start and high watermark; trim-prefix moves the start', async () => {
    const d = await runCli([...b, '-o', 'json', 'topics', 'describe', 'off']);
    expect(JSON.parse(d.stdout).partitions).toEqual([
      expect.objectContaining({ partition: 0, logStartOffset: '0', highWatermark: '10' }),
      expect.objectContaining({ partition: 1, logStartOffset: '0', highWatermark: '5' }),
    ]);
    const t = await runCli([...b, 'topics', 'describe', 'off']);
    expect(t.stdout).toMatch(/LOG_START_OFFSET\s+HIGH_WATERMARK/);

    const o = await runCli([...b, '-o', 'json', 'topics', 'offsets', 'off', '--timestamp', at(3500)]);
    expect(o.code).toBe(0);
    expect(JSON.parse(o.stdout)).toEqual([
      { topic: 'off', partition: 0, logStartOffset: '0', highWatermark: '10', offsetAtTimestamp: '3', recordTimestamp: at(4000) },
      { topic: 'off', partition: 1, logStartOffset: '0', highWatermark: '5', offsetAtTimestamp: '3', recordTimestamp: at(4000) },
    ]);

    await client.admin().createTopics([{ name: 'trim', numPartitions: 1 }]);
    await client.producer({ lingerMs: 0 }).send({ topic: 'trim', messages: Array.from({ length: 6 }, (_, i) => ({ value: `t${i}` })) });
    const trim = await runCli([...b, '-o', 'json', 'topics', 'trim-prefix', 'trim', '--offset', '4']);
    expect(trim.code).toBe(0);
    expect(JSON.parse(trim.stdout)).toEqual([{ topic: 'trim', partition: 0, logStartOffset: '4' }]);
    const after = await runCli([...b, 'consume', 'trim', '--from-beginning', '--exit-at-end']);
    expect(after.stdout).toBe('t4\nt5\n');
    const badPart = await runCli([...b, 'topics', 'trim-prefix', 'trim', '--offset', '1', '-p', '7']);
    expect(badPart.code).toBe(2);
    expect(badPart.stderr).toBe('error: topic "trim" has no partition 7 (it has 1)\n');
  });

  it('--exit-at-end stops at the high watermark seen at start, on every partition', async () => {
    const c = await runCli([...b, 'consume', 'off', '--from-beginning', '--exit-at-end', '--format', '{partition}:{value}']);
    expect(c.code).toBe(0);
    expect(lines(c.stdout).sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `0:v${i}`), ...Array.from({ length: 5 }, (_, i) => `1:w${i}`)].sort());
    // An empty topic: nothing to read, exits at once.
    await client.admin().createTopics([{ name: 'empty', numPartitions: 1 }]);
    const e = await runCli([...b, 'consume', 'empty', '-e']);
    expect(e.code).toBe(0);
    expect(e.stdout).toBe('');
  });

  it('rpk offset spec: N, +N, -N, N:M, :end, @t, @t1:t2, @-duration', async () => {
    const on0 = async (spec: string): Promise<string[]> => {
      const r = await runCli([...b, 'consume', 'off', '-p', '0', '--offset', spec, '--idle-ms', '800']);
      expect(r.code, spec).toBe(0);
      return lines(r.stdout);
    };
    expect(await on0('7')).toEqual(['v7', 'v8', 'v9']);
    expect(await on0('+8')).toEqual(['v8', 'v9']);
    expect(await on0('-2')).toEqual(['v8', 'v9']);
    expect(await on0('2:5')).toEqual(['v2', 'v3', 'v4']);
    expect(await on0(':3')).toEqual(['v0', 'v1', 'v2']);
    expect(await on0('start:end')).toHaveLength(10);
    expect(await on0(`@${at(8000)}`)).toEqual(['v7', 'v8', 'v9']);
    expect(await on0(`@${at(2000)}:${at(4000)}`)).toEqual(['v1', 'v2']);
    expect(await on0('@2023-11-14T22:13:23Z:2023-11-14T22:13:25Z')).toEqual(['v2', 'v3']);
    expect(await on0(`@${at(2000)}:+2s`)).toEqual(['v1', 'v2']);
    // Every record is from 2023: an hour ago is after all of them, so nothing is printed.
    expect(await on0('@-1h')).toEqual([]);
    const bad = await runCli([...b, 'consume', 'off', '--offset', 'sometime']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: option '--offset <spec>' argument 'sometime' is invalid\. "sometime" is not an offset spec/);
    }, 120_000);

  it('warns when the start offset is outside the log', async () => {
    const r = await runCli([...b, 'consume', 'off', '-p', '1', '--offset', '40:end']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('warning: offset 40 is outside off-1 (log start 0, high watermark 5); starting at 5\n');
    const back = await runCli([...b, 'consume', 'off', '-p', '1', '--offset', '-9:end']);
    expect(back.stderr).toBe('warning: offset -4 is outside off-1 (log start 0, high watermark 5); starting at 0\n');
    expect(lines(back.stdout)).toHaveLength(5);
  });

  it('on a TTY, says that consume starts at the end', async () => {
    const sink = (): Writable & { text: string; isTTY?: boolean } => {
      const w = new Writable({
        write(chunk: Buffer, _enc, cb) {
          w.text += chunk.toString();
          cb();
        },
      }) as Writable & { text: string; isTTY?: boolean };
      w.text = '';
      return w;
    };
    const out = sink();
    const err = sink();
    err.isTTY = true;
    const code = await run([...b, 'consume', 'off', '--idle-ms', '300'], { stdin: process.stdin, stdout: out, stderr: err, env: {} });
    expect(code).toBe(0);
    expect(err.text).toMatch(/^consuming off from the end: only new messages are shown/);
    const quiet = sink();
    await run([...b, 'consume', 'off', '--idle-ms', '300'], { stdin: process.stdin, stdout: out, stderr: quiet, env: {} });
    expect(quiet.text).toBe('');
  });
});
