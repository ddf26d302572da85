// `mq cluster` on a real 3-broker cluster (etcd + broker processes, @mq/broker's startCluster):
// a reassignment moved with --wait, a plan file that reorders the replicas and an elect-leaders
// that then moves leadership to the new preferred replica, a reassignment held in progress by
// SIGSTOPping the added replica's broker, listed and cancelled; then a broker SIGKILLed: health
// exits 1 naming the under-replicated partitions and brokers shows it offline.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient } from '@mq/client';
import { runCli } from './run-cli';

let cluster: RunningCluster;
let b: string[];
let dir: string;
let client: MqClient;

// A 15 s broker lease: a paused broker stays registered while the CLI (a second or two per run, several on a loaded machine) reassigns to it.
beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'broker.session.timeout.ms': '15000' } });
  b = ['-b', cluster.bootstrap];
  dir = await mkdtemp(join(tmpdir(), 'mq-cli-cluster-ops-'));
  client = new MqClient({ bootstrapServers: cluster.bootstrap });
  await client.admin().createTopics([{ name: 'moving', numPartitions: 1, replicationFactor: 2 }]);
  const producer = client.producer({ lingerMs: 0, acks: -1 });
  await producer.send({ topic: 'moving', messages: Array.from({ length: 50 }, (_, i) => ({ value: `m${i}`, partition: 0 })) });
}, 180_000);
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function partition0(): Promise<{ leaderId: number; replicas: readonly number[]; isr: readonly number[] }> {
  const [t] = await client.admin().describeTopics(['moving']);
  return t!.partitions[0]!;
}

describe('mq cluster on 3 brokers', { timeout: 180_000 }, () => {
  it('reassign --wait, a reordering plan file, elect-leaders to the new preferred replica', async () => {
    const healthy = await runCli([...b, 'cluster', 'health']);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    const before = await partition0();
    const spare = [1, 2, 3].find((id) => !before.replicas.includes(id))!;
    const target = [before.replicas[1]!, spare];
    const moved = await runCli([...b, '-o', 'json', 'cluster', 'reassign', '--topic', 'moving', '-p', '0', '--replicas', target.join(','), '--wait']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toEqual([{ topic: 'moving', partition: 0, from: before.replicas, to: target, result: 'completed', error: null }]);
    const after = await partition0();
    expect(after.replicas).toEqual(target);
    expect([...after.isr].sort()).toEqual([...target].sort());

    // The same replicas in the other order: the preferred leader changes, then elect-leaders moves leadership to it.
    const plan = join(dir, 'reorder.json');
    const reordered = [target[1]!, target[0]!];
    await writeFile(plan, JSON.stringify({ version: 1, partitions: [{ topic: 'moving', partition: 0, replicas: reordered }] }));
    const applied = await runCli([...b, 'cluster', 'reassign', '--reassignment-json-file', plan, '--wait']);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await partition0()).replicas).toEqual(reordered);
    const elected = await runCli([...b, '-o', 'json', 'cluster', 'elect-leaders', '--topic', 'moving', '-p', '0']);
    expect(elected.code, elected.stderr).toBe(0);
    // The leader is target[0] (the leaving replica's leadership went to the first target in the ISR), so an election is needed.
    expect(JSON.parse(elected.stdout)).toEqual([{ topic: 'moving', partition: 0, result: 'elected', error: null }]);
    const deadline = Date.now() + 10_000;
    while ((await partition0()).leaderId !== reordered[0]) {
      if (Date.now() > deadline) throw new Error(`broker ${reordered[0]} does not lead moving-0 after the election`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('a reassignment held in progress is listed and cancelled back to its replicas', async () => {
    let before = await partition0();
    // The paused broker must not be the controller (it holds the reassignment): keep the controller among the replicas.
    const { controllerId } = await client.admin().describeCluster();
    if (!before.replicas.includes(controllerId)) {
      const moved = await runCli([...b, 'cluster', 'reassign', '--topic', 'moving', '-p', '0', '--replicas', `${controllerId},${before.replicas[0]}`, '--wait']);
      expect(moved.code, moved.stderr).toBe(0);
      before = await partition0();
    }
    const spare = cluster.broker([1, 2, 3].find((id) => !before.replicas.includes(id))!);
    // Only the others are asked: a paused broker accepts connections and never answers them.
    const others = ['-b', cluster.brokers.filter((x) => x !== spare).map((x) => `${x.host}:${x.port}`).join(',')];
    await spare.kill('SIGSTOP');
    try {
      const started = await runCli([...others, 'cluster', 'reassign', '--topic', 'moving', '-p', '0', '--replicas', `${before.replicas[0]},${spare.nodeId}`]);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toMatch(/moving\s+0\s+\S+\s+\S+\s+started/);
      const listed = await runCli([...others, '-o', 'json', 'cluster', 'reassignments']);
      expect(JSON.parse(listed.stdout)).toEqual([
        { topic: 'moving', partition: 0, replicas: [before.replicas[0], spare.nodeId, before.replicas[1]], addingReplicas: [spare.nodeId], removingReplicas: [before.replicas[1]] },
      ]);
      const table = await runCli([...others, 'cluster', 'reassignments', '--topic', 'moving']);
      expect(table.stdout).toMatch(new RegExp(`moving\\s+0\\s+${before.replicas[0]},${spare.nodeId},${before.replicas[1]}\\s+${spare.nodeId}\\s+${before.replicas[1]}`));
      const cancelled = await runCli([...others, 'cluster', 'reassign', '--topic', 'moving', '-p', '0', '--cancel']);
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.stdout).toMatch(/cancelled/);
    } finally {
      await spare.kill('SIGCONT');
    }
    const none = await runCli([...b, '-o', 'json', 'cluster', 'reassignments']);
    expect(JSON.parse(none.stdout)).toEqual([]);
    expect((await partition0()).replicas).toEqual(before.replicas);
  });

  it('a broker killed: health exits 1 naming the under-replicated partitions; brokers shows it offline', async () => {
    const p = await partition0();
    const victim = cluster.broker(p.replicas.find((id) => id !== p.leaderId)!);
    await victim.kill('SIGKILL');
    const survivors = cluster.brokers.filter((x) => x.running).map((x) => `${x.host}:${x.port}`).join(',');
    let health = await runCli(['-b', survivors, '-o', 'json', 'cluster', 'health']);
    const deadline = Date.now() + 60_000;
    // Until the victim is gone from the brokers and its leaderships have moved (for a moment after its lease ends its partitions are offline).
    const settled = (stdout: string) => {
      const r = JSON.parse(stdout) as { brokers: number[]; offline: unknown[] };
      return !r.brokers.includes(victim.nodeId) && r.offline.length === 0;
    };
    while (health.code === 0 || !settled(health.stdout)) {
      if (Date.now() > deadline) throw new Error(`health never saw broker ${victim.nodeId} gone: ${health.stdout}`);
      health = await runCli(['-b', survivors, '-o', 'json', 'cluster', 'health']);
    }
    expect(health.code).toBe(1);
    expect(health.stderr).toMatch(/^error: cluster unhealthy: .*under-replicated partition\(s\)/);
    const report = JSON.parse(health.stdout) as { healthy: boolean; underReplicated: { topic: string; partition: number; offlineReplicas: number[] }[] };
    expect(report.healthy).toBe(false);
    expect(report.underReplicated).toContainEqual(expect.objectContaining({ topic: 'moving', partition: 0, offlineReplicas: [victim.nodeId] }));
    const table = await runCli(['-b', survivors, 'cluster', 'health']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/moving\s+0\s+under-replicated/);
    const brokers = await runCli(['-b', survivors, '-o', 'json', 'cluster', 'brokers']);
    expect(brokers.code, brokers.stderr).toBe(0);
    expect(JSON.parse(brokers.stdout)).toContainEqual(expect.objectContaining({ nodeId: victim.nodeId, status: 'offline', host: null }));
    await victim.restart();
  });
});
