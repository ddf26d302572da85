// `mq cluster brokers|health|elect-leaders|reassign|reassignments` through the spawned CLI against a
// real single broker (node 0; no controller process: it plans against its own image): a healthy
// broker exits 0, refusals are rows with the broker's Kafka error and exit 1, malformed arguments
// and plan files exit 2 before anything is sent. The same commands on a 3-broker cluster (moves,
// cancel, an unhealthy cluster): cli-cluster-ops.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
let dir: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
  dir = await mkdtemp(join(tmpdir(), 'mq-cli-cluster-'));
  const client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
  await client.admin().createTopics([{ name: 'orders', numPartitions: 2 }]);
  await client.close();
});
afterAll(async () => {
  await broker?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('mq cluster on one broker', { timeout: 120_000 }, () => {
  it('brokers and health: one online broker leading every partition, healthy (exit 0)', async () => {
    const brokers = await runCli([...b, '-o', 'json', 'cluster', 'brokers']);
    expect(brokers.code, brokers.stderr).toBe(0);
    const rows = JSON.parse(brokers.stdout) as { nodeId: number; status: string; leaders: number; replicas: number; outOfSync: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ nodeId: 0, status: 'online', outOfSync: 0 });
    expect(rows[0]!.leaders).toBeGreaterThanOrEqual(2);
    const table = await runCli([...b, 'cluster', 'health']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Controller: 0 {2}Brokers: 0 .*Offline: 0 {2}Under-replicated: 0/);
    const json = await runCli([...b, '-o', 'json', 'cluster', 'health']);
    expect(JSON.parse(json.stdout)).toMatchObject({ healthy: true, controllerId: 0, brokers: [0], offline: [], underReplicated: [], reasons: [] });
  });

  it('elect-leaders: nothing to elect is not an error; an unknown partition is (exit 1)', async () => {
    const all = await runCli([...b, 'cluster', 'elect-leaders', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/nothing to elect/);
    const topic = await runCli([...b, '-o', 'json', 'cluster', 'elect-leaders', '--topic', 'orders', '--type', 'unclean']);
    expect(topic.code, topic.stderr).toBe(0);
    expect((JSON.parse(topic.stdout) as { partition: number; result: string }[]).map((r) => [r.partition, r.result])).toEqual([
      [0, 'ELECTION_NOT_NEEDED'],
      [1, 'ELECTION_NOT_NEEDED'],
    ]);
    const unknown = await runCli([...b, 'cluster', 'elect-leaders', '--topic', 'orders', '-p', '9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/orders\s+9\s+UNKNOWN_TOPIC_OR_PARTITION/);
    expect(unknown.stderr.trim()).toBe('error: 1 of 1 election(s) failed');
    const noTopic = await runCli([...b, 'cluster', 'elect-leaders', '--topic', 'nope']);
    expect(noTopic.code).toBe(1);
    expect(noTopic.stderr).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
  });

  it('reassign: the broker refuses unknown brokers, duplicates, unknown partitions and a cancel of nothing (exit 1)', async () => {
    const unknownBroker = await runCli([...b, 'cluster', 'reassign', '--topic', 'orders', '-p', '0', '--replicas', '0,7']);
    expect(unknownBroker.code).toBe(1);
    expect(unknownBroker.stdout).toMatch(/orders\s+0\s+0\s+0,7\s+INVALID_REPLICA_ASSIGNMENT\s+.*unknown brokers: 7/);
    expect(unknownBroker.stderr.trim()).toBe('error: 1 of 1 reassignment(s) refused');
    const dup = await runCli([...b, '-o', 'json', 'cluster', 'reassign', '--topic', 'orders', '-p', '0', '--replicas', '0,0']);
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stdout)).toMatchObject([{ topic: 'orders', partition: 0, from: [0], to: [0, 0], result: 'INVALID_REPLICA_ASSIGNMENT' }]);
    const cancel = await runCli([...b, 'cluster', 'reassign', '--topic', 'orders', '-p', '1', '--cancel']);
    expect(cancel.code).toBe(1);
    expect(cancel.stdout).toMatch(/NO_REASSIGNMENT_IN_PROGRESS/);
    const plan = join(dir, 'plan.json');
    await writeFile(plan, JSON.stringify({ version: 1, partitions: [{ topic: 'orders', partition: 1, replicas: [0], log_dirs: ['any'] }, { topic: 'gone', partition: 0, replicas: [0] }] }));
    const mixed = await runCli([...b, '-o', 'json', 'cluster', 'reassign', '--reassignment-json-file', plan]);
    expect(mixed.code).toBe(1);
    expect((JSON.parse(mixed.stdout) as { topic: string; result: string }[]).map((r) => [r.topic, r.result])).toEqual([
      ['orders', 'started'],
      ['gone', 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    const list = await runCli([...b, '-o', 'json', 'cluster', 'reassignments']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(list.stderr).toMatch(/no reassignment in progress/);
  });

  it('reassign --additional --throttle with no move running: nothing to throttle (exit 1)', async () => {
    const r = await runCli([...b, 'cluster', 'reassign', '--topic', 'orders', '-p', '0', '--additional', '--throttle', '1000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no reassignment in progress for orders-0: nothing to throttle/);
  });

  it('usage errors exit 2 before anything is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['cluster', 'elect-leaders'], /--topic <name> \[--partition <n>\] or --all/],
      [['cluster', 'elect-leaders', '--all', '--type', 'random'], /must be one of preferred, unclean/],
      [['cluster', 'reassign', '--topic', 'orders'], /say what to move/],
      [['cluster', 'reassign', '--topic', 'orders', '-p', '0'], /exactly one of --replicas <ids> and --cancel/],
      [['cluster', 'reassign', '--topic', 'orders', '-p', '0', '--replicas', '1,x'], /not a comma-separated list of broker ids/],
      [['cluster', 'reassign', '--reassignment-json-file', join(dir ?? '/tmp', 'missing.json')], /cannot read .*ENOENT/],
      [['cluster', 'reassign', '--topic', 'orders', '-p', '0', '--additional'], /give --throttle/],
      [['cluster', 'reassign', '--topic', 'orders', '-p', '0', '--additional', '--throttle', '100', '--wait'], /nothing is started/],
      [['cluster', 'reassign', '--topic', 'orders', '-p', '0', '--additional', '--cancel'], /not to --cancel/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...b, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const bad = join(dir, 'bad.json');
    for (const [text, message] of [
      ['{"version":1,"partitions":[', /not JSON/],
      ['{"partitions":[{"topic":"orders","partition":-1,"replicas":[0]}]}', /"partition" must be a partition index/],
      ['{"partitions":[{"topic":"orders","partition":0,"replicas":[0],"log_dirs":["/data"]}]}', /log_dirs other than "any"/],
    ] as const) {
      await writeFile(bad, text);
      const r = await runCli([...b, 'cluster', 'reassign', '--reassignment-json-file', bad]);
      expect(r.code, `${text}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
