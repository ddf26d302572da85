// Admin through the spawned CLI: unknown groups are errors, the TOTAL lag row, per-topic/per-group
// delete results, multi-topic resets (--all-topics, --shift-by, --to-file/--from-file), usage
// errors for a bad -b, connection profiles and shell completion.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { cliShellCommand, runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
let client: MqClient;
let dir: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
  client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
  dir = await mkdtemp(join(tmpdir(), 'mq-cli-admin-'));
  await client.admin().createTopics([
    { name: 'ra', numPartitions: 2 },
    { name: 'rb', numPartitions: 1 },
  ]);
  const producer = client.producer({ lingerMs: 0 });
  for (const [topic, partition] of [['ra', 0], ['ra', 1], ['rb', 0]] as const) {
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `${topic}${i}`, partition })) });
  }
  // Group "gr" has committed 5 on every partition of both topics.
  await client.admin().alterGroupOffsets('gr', [
    { topic: 'ra', partition: 0, offset: 5n },
    { topic: 'ra', partition: 1, offset: 5n },
    { topic: 'rb', partition: 0, offset: 5n },
  ]);
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const committed = async (group: string): Promise<string[]> =>
  (await client.admin().committedOffsets(group)).map((o) => `${o.topic}-${o.partition}@${o.offset}`);

describe('groups', () => {
  it('an unknown group is an error with a non-zero exit, not state Dead', async () => {
    for (const cmd of [['groups', 'describe', 'nope'], ['groups', 'lag', 'nope'], ['groups', 'reset-offsets', 'nope', '--all-topics', '--to-earliest']]) {
      const r = await runCli([...b, ...cmd]);
      expect(r.code, cmd.join(' ')).toBe(1);
      expect(r.stderr).toBe('error: GROUP_ID_NOT_FOUND (code 69): consumer group "nope" does not exist\n');
    }
  });

  it('lag ends with a TOTAL row', async () => {
    const r = await runCli([...b, 'groups', 'lag', 'gr']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^TOTAL\s+-\s+-\s+-\s+15\s+-$/);
  });

  it('reset-offsets: several topics, --all-topics, --shift-by, --to-file then --from-file', async () => {
    const two = await runCli([...b, '-o', 'json', 'groups', 'reset-offsets', 'gr', '-t', 'ra', '-t', 'rb', '--shift-by', '-2']);
    expect(JSON.parse(two.stdout).offsets).toEqual([
      { topic: 'ra', partition: 0, current: '5', newOffset: '3' },
      { topic: 'ra', partition: 1, current: '5', newOffset: '3' },
      { topic: 'rb', partition: 0, current: '5', newOffset: '3' },
    ]);
    expect(await committed('gr')).toEqual(['ra-0@5', 'ra-1@5', 'rb-0@5']);

    const plan = join(dir, 'plan.csv');
    const all = await runCli([...b, 'groups', 'reset-offsets', 'gr', '--all-topics', '--shift-by', '+20', '--to-file', plan]);
    expect(all.code).toBe(0);
    // Clamped to the high watermark.
    expect(await readFile(plan, 'utf8')).toBe('ra,0,10\nra,1,10\nrb,0,10\n');
    await writeFile(plan, 'ra,0,1\nrb,0,2\n');
    const exec = await runCli([...b, 'groups', 'reset-offsets', 'gr', '--from-file', plan, '--execute']);
    expect(exec.stderr).toBe('');
    expect(exec.code).toBe(0);
    expect(await committed('gr')).toEqual(['ra-0@1', 'ra-1@5', 'rb-0@2']);

    const badCsv = join(dir, 'bad.csv');
    await writeFile(badCsv, 'ra;0;1\n');
    const bad = await runCli([...b, 'groups', 'reset-offsets', 'gr', '--from-file', badCsv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`error: ${badCsv} line 1: want topic,partition,offset (got "ra;0;1")\n`);
  });

  it('delete gives one result per group and fails when any did', async () => {
    await client.admin().alterGroupOffsets('gone', [{ topic: 'rb', partition: 0, offset: 1n }]);
    const r = await runCli([...b, '-o', 'json', 'groups', 'delete', 'nope', 'gone']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { group: 'nope', deleted: false, error: expect.stringMatching(/^GROUP_ID_NOT_FOUND: /) },
      { group: 'gone', deleted: true, error: null },
    ]);
    expect(r.stderr).toBe('error: 1 of 2 group(s) not deleted\n');
  });
});

describe('topics delete', () => {
  it('reports each topic; one missing topic does not hide the others', async () => {
    await client.admin().createTopics([{ name: 'del1', numPartitions: 1 }]);
    const r = await runCli([...b, 'topics', 'delete', 'del1', 'no-such']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/del1\s+true\s+-/);
    expect(r.stdout).toMatch(/no-such\s+false\s+UNKNOWN_TOPIC_OR_PARTITION: /);
    expect(r.stderr).toBe('error: 1 of 2 topic(s) not deleted\n');
    expect(await client.admin().listTopics()).not.toContain('del1');
  });
});

describe('usage errors', () => {
  it('a bad -b exits 2 with a plain message', async () => {
    for (const bad of ['nohost', '127.0.0.1:0', '127.0.0.1:99999', 'a:1,,b:2']) {
      const r = await runCli(['-b', bad, 'topics', 'list']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/^error: bad --bootstrap-server "[^"]*": .*\n$/);
      expect(r.stderr).not.toMatch(/Error\b/);
    }
  });
});

describe('profiles', () => {
  it('create/use/list/show/delete; the profile supplies the broker; -b and MQ_BOOTSTRAP win', async () => {
    const env = { MQ_CLI_CONFIG: join(dir, 'config.yaml') };
    expect((await runCli(['profile', 'create', 'local', '--brokers', `127.0.0.1:${broker.port}`], { env })).code).toBe(0);
    expect((await runCli(['profile', 'create', 'dead', '--brokers', '127.0.0.1:1', '--client-id', 'x'], { env })).code).toBe(0);
    const list = await runCli(['profile', 'list'], { env });
    expect(list.stdout).toMatch(/\*\s+local/);
    expect((await runCli(['topics', 'list'], { env })).code).toBe(0);
    expect((await runCli(['--profile', 'dead', 'topics', 'list'], { env })).stderr).toBe('error: cannot connect to 127.0.0.1:1: ECONNREFUSED\n');
    expect((await runCli(['profile', 'use', 'dead'], { env })).code).toBe(0);
    expect((await runCli(['topics', 'list'], { env })).code).toBe(1);
    expect((await runCli([...b, 'topics', 'list'], { env })).code).toBe(0);
    expect((await runCli(['topics', 'list'], { env: { ...env, MQ_BOOTSTRAP: `127.0.0.1:${broker.port}` } })).code).toBe(0);
    const show = await runCli(['-o', 'json', 'profile', 'show', 'dead'], { env });
    expect(JSON.parse(show.stdout)).toEqual({ profile: 'dead', 'bootstrap-server': '127.0.0.1:1', 'client-id': 'x' });
    const unknown = await runCli(['--profile', 'nope', 'topics', 'list'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`error: no profile "nope" in ${env.MQ_CLI_CONFIG} (have local, dead)\n`);
    expect((await runCli(['profile', 'delete', 'dead'], { env })).code).toBe(0);
    expect((await runCli(['profile', 'use', 'local'], { env })).code).toBe(0);
    expect((await runCli(['topics', 'list'], { env })).code).toBe(0);

    await writeFile(env.MQ_CLI_CONFIG, 'profiles:\n  x:\n    brokers: 1\n');
    const broken = await runCli(['topics', 'list'], { env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/profile "x" has unknown key "brokers"/);
    }, 120_000);
});

describe('completion', () => {
  it('bash completes commands, subcommands and options', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    const script = join(dir, 'mq.bash');
    await writeFile(script, r.stdout);
    const complete = async (...words: string[]): Promise<string[]> => {
      const { stdout } = await promisify(execFile)('bash', ['-c', `source '${script}'; COMP_WORDS=(mq ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _mq; printf '%s\\n' "\${COMPREPLY[@]}"`]);
      return stdout.trim().split('\n');
    };
    expect(await complete('to')).toEqual(['topics']);
    expect(await complete('topics', 'tr')).toEqual(['trim-prefix']);
    expect(await complete('-b', 'x:1', 'groups', 'reset-offsets', 'g', '--sh')).toEqual(['--shift-by']);
    const z = await runCli(['completion', 'zsh']);
    expect(z.stdout).toMatch(/bashcompinit/);
    const bad = await runCli(['completion', 'fish']);
    expect(bad.code).toBe(2);
    expect(cliShellCommand()).toMatch(/main\.(ts|js)'$/);
  });
});
