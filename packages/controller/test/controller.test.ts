// The control plane on a real etcd: membership under leases, exactly one controller (elected
// through etcd, epoch moving on), a new one when it dies, and leader election from the ISR when a
// broker's lease expires (clean), from any live replica only with unclean.leader.election.enable.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { placeReplicas, type MetadataRecord } from '@mq/metadata';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';
import { startControlNode, type ControlNode } from './control-node';

let etcd: EtcdServer;
let nodes: ControlNode[] = [];
let prefixN = 0;

beforeAll(async () => {
  etcd = await startEtcd();
});

afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

afterAll(async () => {
  await etcd.stop();
});

async function cluster(n: number): Promise<ControlNode[]> {
  const prefix = `/c${prefixN++}/`;
  for (let id = 1; id <= n; id++) nodes.push(await startControlNode(etcd.endpoint, prefix, id));
  await expect.poll(() => nodes.every((x) => x.store.image.brokers.size === n && x.store.image.controller !== undefined)).toBe(true);
  return [...nodes];
}

function activeOf(ns: ControlNode[]): ControlNode[] {
  return ns.filter((x) => x.controller.isActive);
}

async function createTopic(ctl: ControlNode, name: string, partitions: number, rf: number, configs: Record<string, string> = {}): Promise<void> {
  const topicId = `${name.padEnd(21, 'A').slice(0, 21)}Q`;
  const lists = placeReplicas([...ctl.store.image.brokers.values()], partitions, rf);
  const records: MetadataRecord[] = [{ type: 'topic', name, topicId, configs }];
  for (const [i, r] of lists.entries()) records.push({ type: 'partition', state: { topicId, topic: name, partition: i, leader: r[0]!, leaderEpoch: 0, partitionEpoch: 0, replicas: r, isr: r } });
  await ctl.store.commit(records);
}

describe('membership and controller election', () => {
  it('registers every broker and elects exactly one controller; its death elects another with a higher epoch', async () => {
    const ns = await cluster(3);
    await expect.poll(() => activeOf(ns).length).toBe(1);
    const first = activeOf(ns)[0]!;
    expect(ns.every((x) => x.store.image.controller?.nodeId === first.nodeId)).toBe(true);
    const epoch = first.controller.epoch!;
    expect([...first.store.image.brokers.values()].map((b) => [b.nodeId, b.port]).sort()).toEqual([
      [1, 9001],
      [2, 9002],
      [3, 9003],
    ]);
    await first.crash();
    const rest = ns.filter((x) => x !== first);
    // Its lease expires (1 s TTL), its registration and controller key go, another is elected.
    await expect.poll(() => activeOf(rest).length, { timeout: 10_000 }).toBe(1);
    const second = activeOf(rest)[0]!;
    expect(second.controller.epoch).toBe(epoch + 1);
    await expect.poll(() => rest.every((x) => x.store.image.controller?.nodeId === second.nodeId && !x.store.image.brokers.has(first.nodeId))).toBe(true);
    // Metadata changes still work through the new controller; the others are refused.
    await createTopic(second, 'after-failover', 1, 2);
    const other = rest.find((x) => x !== second)!;
    await expect(createTopic(other, 'not-here', 1, 1)).rejects.toThrow(/is not the controller/);
  });
});

describe('leader election on broker death', () => {
  it('moves leadership to an ISR member, shrinks the ISR and bumps the epochs', async () => {
    const ns = await cluster(3);
    await expect.poll(() => activeOf(ns).length).toBe(1);
    const ctl = activeOf(ns)[0]!;
    await createTopic(ctl, 'spread', 3, 3);
    await expect.poll(() => ns.every((x) => x.store.image.topics.has('spread'))).toBe(true);
    const leaders = ctl.store.image.topics.get('spread')!.partitions.map((s) => s.leader);
    expect(new Set(leaders).size).toBe(3);
    // Kill a broker that is not the controller (the controller's death is the test above).
    const victim = ns.find((x) => x !== ctl)!;
    const led = ctl.store.image.topics.get('spread')!.partitions.find((s) => s.leader === victim.nodeId)!;
    await victim.crash();
    await expect.poll(() => ctl.store.image.topics.get('spread')!.partitions[led.partition]!.leader, { timeout: 10_000 }).not.toBe(victim.nodeId);
    await expect.poll(() => ctl.store.image.topics.get('spread')!.partitions.every((s) => !s.isr.includes(victim.nodeId))).toBe(true);
    const after = ctl.store.image.topics.get('spread')!.partitions;
    for (const s of after) {
      expect(s.replicas).toContain(victim.nodeId);
      expect(s.isr).toContain(s.leader);
    }
    const moved = after[led.partition]!;
    expect(moved.leaderEpoch).toBe(1);
    expect(moved.partitionEpoch).toBeGreaterThanOrEqual(1);
    expect(moved.leader).toBe(led.replicas.find((id) => id !== victim.nodeId && led.isr.includes(id)));
    // Partitions it did not lead keep their leader and epoch; only the ISR shrank.
    for (const s of after.filter((x) => x.partition !== led.partition)) expect(s.leaderEpoch).toBe(0);
  });

  it('with every ISR member dead the partition goes offline (leader -1) unless unclean election is enabled', async () => {
    const ns = await cluster(3);
    await expect.poll(() => activeOf(ns).length).toBe(1);
    const ctl = activeOf(ns)[0]!;
    const a = ns.find((x) => x !== ctl)!;
    const topicId = 'offlineAAAAAAAAAAAAAAQ';
    const uncleanId = 'uncleanAAAAAAAAAAAAAAQ';
    // ISR = [a] only: the controller's broker is a replica but out of sync.
    await ctl.store.commit([
      { type: 'topic', name: 'clean', topicId, configs: {} },
      { type: 'partition', state: { topicId, topic: 'clean', partition: 0, leader: a.nodeId, leaderEpoch: 0, partitionEpoch: 0, replicas: [a.nodeId, ctl.nodeId], isr: [a.nodeId] } },
      { type: 'topic', name: 'unclean', topicId: uncleanId, configs: { 'unclean.leader.election.enable': 'true' } },
      { type: 'partition', state: { topicId: uncleanId, topic: 'unclean', partition: 0, leader: a.nodeId, leaderEpoch: 0, partitionEpoch: 0, replicas: [a.nodeId, ctl.nodeId], isr: [a.nodeId] } },
    ]);
    await a.crash();
    await expect.poll(() => ctl.store.image.topics.get('clean')!.partitions[0]!.leader, { timeout: 10_000 }).toBe(-1);
    expect(ctl.store.image.topics.get('clean')!.partitions[0]).toMatchObject({ leader: -1, leaderEpoch: 1, isr: [a.nodeId] });
    await expect.poll(() => ctl.store.image.topics.get('unclean')!.partitions[0]!.leader).toBe(ctl.nodeId);
    expect(ctl.store.image.topics.get('unclean')!.partitions[0]).toMatchObject({ leaderEpoch: 1, isr: [ctl.nodeId] });
  });
});
