// ElectLeaders, partition reassignment and the leader-imbalance check on a real etcd with three
// in-process control nodes: a request submitted on a broker that is not the controller is executed
// by the controller (one etcd txn with its answer) and answered per partition; a reassignment shows
// its adding/removing replicas until the target is in the ISR (the leader's AlterPartition), then
// completes; the rebalance check (on a ManualClock) moves leadership back to preferred replicas.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataRecord, PartitionState } from '@mq/metadata';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';
import { ErrorCode } from '@mq/protocol';
import { ManualClock, SystemClock } from '@mq/timerwheel';
import { ClusterOperations, ElectionType } from '../src/index';
import { startControlNode, type ControlNode } from './control-node';

let etcd: EtcdServer;
let nodes: ControlNode[] = [];
let prefixN = 0;
const clock = new SystemClock();

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

async function cluster(opts: Parameters<typeof startControlNode>[3] = {}): Promise<ControlNode[]> {
  const prefix = `/ops${prefixN++}/`;
  for (let id = 1; id <= 3; id++) nodes.push(await startControlNode(etcd.endpoint, prefix, id, opts));
  await expect.poll(() => nodes.every((x) => x.store.image.brokers.size === 3 && x.controller.isActive === (x.store.image.controller?.nodeId === x.nodeId) && x.store.image.controller !== undefined)).toBe(true);
  return [...nodes];
}

const controllerOf = (ns: ControlNode[]) => ns.find((n) => n.controller.isActive)!;
const notController = (ns: ControlNode[]) => ns.find((n) => !n.controller.isActive)!;
const ops = (n: ControlNode) => new ClusterOperations({ store: n.store, nodeId: n.nodeId, clock, viaController: true });
const state = (n: ControlNode, topic: string, p: number): PartitionState => n.store.image.topics.get(topic)!.partitions[p]!;

/** A topic whose partitions are led by `leaders[i]` (not necessarily the preferred, first, replica). */
async function createTopic(ctl: ControlNode, name: string, replicas: number[][], leaders: number[]): Promise<void> {
  const topicId = `${name.padEnd(21, 'A').slice(0, 21)}Q`;
  const records: MetadataRecord[] = [{ type: 'topic', name, topicId, configs: {} }];
  replicas.forEach((r, i) => records.push({ type: 'partition', state: { topicId, topic: name, partition: i, leader: leaders[i]!, leaderEpoch: 0, partitionEpoch: 0, replicas: r, isr: r } }));
  await ctl.store.commit(records);
}

describe('ElectLeaders through the controller', () => {
  it('elects preferred leaders for a request sent to another broker, and answers each partition', async () => {
    const ns = await cluster();
    await createTopic(controllerOf(ns), 'e', [[1, 2, 3], [2, 3, 1], [3, 1, 2]], [2, 2, 1]);
    const asker = notController(ns);
    const outcomes = await ops(asker).run({ op: 'electLeaders', electionType: ElectionType.PREFERRED, partitions: [{ topic: 'e', partitions: [0, 1, 2, 7] }, { topic: 'nope', partitions: [0] }] }, 10_000);
    expect(outcomes.map((o) => [o.topic, o.partition, o.errorCode])).toEqual([
      ['e', 0, ErrorCode.NONE],
      ['e', 1, ErrorCode.ELECTION_NOT_NEEDED],
      ['e', 2, ErrorCode.NONE],
      ['e', 7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['nope', 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    // The answer came after the controller's txn: every broker's image has the new leaders.
    expect([0, 1, 2].map((p) => state(asker, 'e', p).leader)).toEqual([1, 2, 3]);
    expect(state(asker, 'e', 0).leaderEpoch).toBe(1);
    // Request and answer are removed from the store once answered.
    await expect.poll(() => [...asker.store.image.entries.keys()].filter((k) => k.startsWith('controller-'))).toEqual([]);
    // All partitions (null): nothing left to elect, so nothing is named.
    expect(await ops(asker).run({ op: 'electLeaders', electionType: ElectionType.PREFERRED, partitions: null }, 10_000)).toEqual([]);
  });

  it('PREFERRED_LEADER_NOT_AVAILABLE when the preferred replica is out of the ISR; UNCLEAN leaves a live leader alone', async () => {
    const ns = await cluster();
    const ctl = controllerOf(ns);
    await createTopic(ctl, 'p', [[1, 2, 3]], [2]);
    const s = state(ctl, 'p', 0);
    await ctl.store.commit([{ type: 'partition', state: { ...s, isr: [2, 3], partitionEpoch: s.partitionEpoch + 1 } }]);
    const [preferred] = await ops(notController(ns)).run({ op: 'electLeaders', electionType: ElectionType.PREFERRED, partitions: [{ topic: 'p', partitions: [0] }] }, 10_000);
    expect(preferred).toMatchObject({ errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE });
    expect(preferred!.errorMessage).toMatch(/not in the ISR/);
    const [unclean] = await ops(notController(ns)).run({ op: 'electLeaders', electionType: ElectionType.UNCLEAN, partitions: [{ topic: 'p', partitions: [0] }] }, 10_000);
    expect(unclean).toMatchObject({ errorCode: ErrorCode.ELECTION_NOT_NEEDED });
  });
});

describe('partition reassignment (KIP-455)', () => {
  it('adds the target replicas, waits for them in the ISR, then drops the leaving ones and moves the leader', async () => {
    const ns = await cluster();
    const ctl = controllerOf(ns);
    await createTopic(ctl, 'r', [[1]], [1]);
    const asker = notController(ns);
    const [started] = await ops(asker).run({ op: 'alterReassignments', partitions: [{ topic: 'r', partition: 0, replicas: [3] }] }, 10_000);
    expect(started).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(state(asker, 'r', 0)).toMatchObject({ replicas: [3, 1], addingReplicas: [3], removingReplicas: [1], leader: 1, isr: [1] });
    // The leader (1) sees 3 catch up and proposes it into the ISR; the controller then completes.
    const s = state(ctl, 'r', 0);
    await ctl.store.alterPartition({ topic: 'r', partition: 0, leaderEpoch: s.leaderEpoch, partitionEpoch: s.partitionEpoch, isr: [1, 3] });
    await expect.poll(() => state(asker, 'r', 0)).toMatchObject({ replicas: [3], isr: [3], leader: 3, leaderEpoch: s.leaderEpoch + 1 });
    expect(state(asker, 'r', 0).addingReplicas).toBeUndefined();
  });

  it('refuses bad targets per partition and cancels a reassignment in progress back to the original replicas', async () => {
    const ns = await cluster();
    const ctl = controllerOf(ns);
    await createTopic(ctl, 'c', [[1, 2], [2, 3]], [1, 2]);
    const run = (partitions: { topic: string; partition: number; replicas: number[] | null }[]) => ops(notController(ns)).run({ op: 'alterReassignments', partitions }, 10_000);
    const bad = await run([
      { topic: 'c', partition: 0, replicas: [1, 9] },
      { topic: 'c', partition: 0, replicas: [2, 2] },
      { topic: 'c', partition: 0, replicas: [] },
      { topic: 'c', partition: 1, replicas: null },
      { topic: 'c', partition: 5, replicas: [1] },
    ]);
    expect(bad.map((o) => o.errorCode)).toEqual([
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect(bad[0]!.errorMessage).toMatch(/unknown brokers: 9/);
    expect(await run([{ topic: 'c', partition: 0, replicas: [1, 2, 3] }])).toMatchObject([{ errorCode: ErrorCode.NONE }]);
    expect(state(ctl, 'c', 0)).toMatchObject({ replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [] });
    expect(await run([{ topic: 'c', partition: 0, replicas: null }])).toMatchObject([{ errorCode: ErrorCode.NONE }]);
    expect(state(ctl, 'c', 0)).toMatchObject({ replicas: [1, 2], isr: [1, 2], leader: 1 });
    expect(state(ctl, 'c', 0).addingReplicas).toBeUndefined();
    // A pure removal (rf 2 → 1, the target in the ISR already) completes at once.
    expect(await run([{ topic: 'c', partition: 1, replicas: [3] }])).toMatchObject([{ errorCode: ErrorCode.NONE }]);
    expect(state(ctl, 'c', 1)).toMatchObject({ replicas: [3], isr: [3], leader: 3 });
  });
});

describe('automatic leader rebalancing', () => {
  it('moves leadership back to preferred replicas at the check interval, not before', async () => {
    const manual = new ManualClock();
    const ns = await cluster({ clock: manual, leaderRebalance: { enabled: true, checkIntervalMs: 5_000, imbalancePercentage: 10 } });
    const ctl = controllerOf(ns);
    await createTopic(ctl, 'b', [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 3, 2]], [2, 2, 1, 1]);
    manual.advance(4_999);
    await new Promise((r) => setTimeout(r, 200));
    expect([0, 1, 2, 3].map((p) => state(ctl, 'b', p).leader)).toEqual([2, 2, 1, 1]);
    manual.advance(1);
    // Broker 1 leads 1 of its 2 preferred partitions (50 % > 10 %), broker 3 none of its 1: both fixed.
    await expect.poll(() => [0, 1, 2, 3].map((p) => state(ns[0]!, 'b', p).leader)).toEqual([1, 2, 3, 1]);
  });
});
