// Produce reports what was stored: --print-acks per record in input order, a Ctrl-C (real SIGINT
// to the live process) summary with the --skip-lines resume point, and a dead broker failing
// before any input is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { runCli, spawnCli, waitFor } from './run-cli';

let broker: RunningBroker;
let b: string[];
let client: MqClient;
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
  client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

async function values(topic: string): Promise<string[]> {
  const r = await runCli([...b, 'consume', topic, '--offset', ':end']);
  return r.stdout.trimEnd().split('\n');
}

describe('produce acknowledgements', () => {
  it('--print-acks prints line, topic, partition and offset of each stored record in input order', async () => {
    await client.admin().createTopics([{ name: 'acks', numPartitions: 3 }]);
    const input = Array.from({ length: 30 }, (_, i) => `k${i}=v${i}`).join('\n') + '\n';
    const r = await runCli([...b, '-o', 'json', 'produce', 'acks', '-K', '=', '--print-acks'], { input });
    expect(r.code).toBe(0);
    const acks = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(acks.map((a) => a.line)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const a of acks) expect(a).toEqual({ line: a.line, topic: 'acks', partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) });
    expect(r.stderr).toBe('mq: 30 message(s) acknowledged\n');
    // Each printed (partition, offset) holds that line's record.
    const [first] = acks;
    const one = await runCli([...b, 'consume', 'acks', '-p', String(first.partition), '--offset', `${first.offset}:${BigInt(first.offset) + 1n}`]);
    expect(one.stdout).toBe('v0\n');
  });

  it('Ctrl-C: says how many lines were stored and where to resume; --skip-lines resumes exactly', async () => {
    await client.admin().createTopics([{ name: 'resume', numPartitions: 1 }]);
    const all = Array.from({ length: 10 }, (_, i) => `line-${i}`);
    const child = spawnCli([...b, 'produce', 'resume', '--print-acks']);
    child.stdin.write(all.slice(0, 4).join('\n') + '\n');
    await waitFor(() => child.output.stdout.split('\n').length > 4, 30_000, 'four acks');
    child.kill('SIGINT');
    const code = await child.exited;
    expect(code).toBe(130);
    expect(child.output.stderr).toBe('mq: interrupted: 4 message(s) acknowledged; resume with --skip-lines 4\n');
    const again = await runCli([...b, 'produce', 'resume', '--skip-lines', '4'], { input: all.join('\n') + '\n' });
    expect(again.code).toBe(0);
    expect(await values('resume')).toEqual(all);
  });

  it('a dead broker fails before stdin is read', async () => {
    // stdin stays open and empty: reading it first would hang until the timeout.
    const child = spawnCli(['-b', '127.0.0.1:1', 'produce', 'nowhere']);
    const code = await child.exited;
    expect(code).toBe(1);
    expect(child.output.stderr).toBe('error: cannot connect to 127.0.0.1:1: ECONNREFUSED\n');
    child.stdin.destroy();
  });

  it('a lost broker: the error says how many records were stored and where to resume', async () => {
    const lone = await startBroker({ port: 0 });
    const lb = ['-b', `127.0.0.1:${lone.port}`];
    const child = spawnCli([...lb, '--request-timeout', '2000', 'produce', 'lost', '--print-acks']);
    child.stdin.write('a\nb\nc\n');
    await waitFor(() => child.output.stdout.split('\n').length > 3, 30_000, 'three acks');
    await lone.stop();
    child.stdin.write('d\ne\n');
    const code = await child.exited;
    expect(code).toBe(1);
    expect(child.output.stderr).toMatch(/^mq: 3 message\(s\) acknowledged before the failure; resume with --skip-lines 3\nerror: /);
    child.stdin.destroy();
  });
});
