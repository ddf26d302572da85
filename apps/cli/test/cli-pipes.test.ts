// Pipes: `mq consume ... | head -1` through a real shell. The consumer must exit quietly (no EPIPE
// stack), commit only what reached the pipe, and leave its group so the next member starts at once.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { cliShellCommand, runCli } from './run-cli';

const sh = promisify(execFile);
const TOTAL = 20_000;
const value = (i: number): string => `record-${String(i).padStart(6, '0')}-${'x'.repeat(80)}`;

let broker: RunningBroker;
let bootstrap: string;
let client: MqClient;
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  bootstrap = `127.0.0.1:${broker.port}`;
  client = new MqClient({ bootstrapServers: bootstrap });
  await client.admin().createTopics([{ name: 'piped', numPartitions: 1 }]);
  const producer = client.producer({ lingerMs: 20, batchBytes: 1 << 20 });
  for (let i = 0; i < TOTAL; i += 1000) {
    await producer.send({ topic: 'piped', messages: Array.from({ length: 1000 }, (_, j) => ({ value: value(i + j) })) });
  }
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

async function pipeToHead(args: string): Promise<{ head: string; stderr: string; mqExit: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-cli-pipe-'));
  const codeFile = join(dir, 'code');
  const errFile = join(dir, 'err');
  // mq's own exit code and stderr, not head's: the pipeline's status is the last command's.
  const script = `(${cliShellCommand()} -b ${bootstrap} ${args} 2>'${errFile}'; echo $? >'${codeFile}') | head -1`;
  const { stdout } = await sh('sh', ['-c', script], { timeout: 60_000 });
  return { head: stdout, stderr: await readFile(errFile, 'utf8'), mqExit: (await readFile(codeFile, 'utf8')).trim() };
}

describe('mq in a pipe', () => {
  it('group consume | head -1: quiet exit, commits only what reached the pipe, leaves the group', async () => {
    const r = await pipeToHead('consume piped -g piped-g --from-beginning');
    expect(r.head).toBe(`${value(0)}\n`);
    expect(r.stderr).toBe('');
    expect(r.mqExit).toBe('0');
    const [committed] = await client.admin().committedOffsets('piped-g', [{ topic: 'piped', partition: 0 }]);
    // At most what fits in the pipe buffer (64 KiB), head's read and one 16 KiB write of ~95-byte
    // lines was written before head left; never the ~10,000 fetched (1 MiB) but not written.
    expect(committed!.offset).toBeGreaterThanOrEqual(1n);
    expect(committed!.offset).toBeLessThan(2000n);
    // No ghost member: the group is empty the moment mq has exited.
    const [desc] = await client.admin().describeGroups(['piped-g']);
    expect(desc!.members).toHaveLength(0);
    // The next member continues exactly after the committed offset.
    const next = await runCli(['-b', bootstrap, 'consume', 'piped', '-g', 'piped-g', '--count', '1']);
    expect(next.code).toBe(0);
    expect(next.stdout).toBe(`${value(Number(committed!.offset))}\n`);
  });

  it('plain consume and a json listing | head -1 exit quietly', async () => {
    const r = await pipeToHead('consume piped --offset start');
    expect(r.head).toBe(`${value(0)}\n`);
    expect(r.stderr).toBe('');
    expect(r.mqExit).toBe('0');
    const j = await pipeToHead('-o json consume piped --offset start');
    expect(JSON.parse(j.head)).toMatchObject({ offset: '0', value: value(0) });
    expect(j.stderr).toBe('');
  });
});
