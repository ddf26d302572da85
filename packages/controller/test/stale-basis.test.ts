// A controller decision computed from a stale view of membership must not be written: the commit
// compares the registrations it was computed from (its basis) in the etcd txn. Injected: the
// victim broker's lease expires (as on SIGKILL), and while the controller holds its decision — the
// victim's ISR membership and leadership gone — the victim registers again (a new lease, as a
// restarted broker does). etcd refuses the commit, the controller recomputes from the newer image
// and changes nothing; once the victim's new lease is revoked it elects and shrinks as it should.
import type { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient, type MetadataRecord } from '@mq/metadata';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';
import { startControlNode, type ControlNode } from './control-node';

let etcd: EtcdServer;
let client: Etcd3;
let nodes: ControlNode[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  client = await createEtcdClient([etcd.endpoint], { callTimeoutMs: 1_000 });
});

afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

afterAll(async () => {
  client.close();
  await etcd.stop();
});

describe('a controller commit computed from a stale membership basis', () => {
  it('is refused by etcd and recomputed: no ISR shrink and no election from the stale set', async () => {
    const prefix = '/stale/';
    let armed: ((records: readonly MetadataRecord[]) => Promise<void>) | undefined;
    const beforeCommit = async (records: readonly MetadataRecord[]): Promise<void> => {
      const hook = armed;
      armed = undefined;
      await hook?.(records);
    };
    for (let id = 1; id <= 3; id++) nodes.push(await startControlNode(etcd.endpoint, prefix, id, { beforeCommit }));
    await expect.poll(() => nodes.filter((n) => n.controller.isActive).length).toBe(1);
    const ctl = nodes.find((n) => n.controller.isActive)!;
    await expect.poll(() => ctl.store.image.brokers.size).toBe(3);
    const victim = nodes.find((n) => n !== ctl)!;
    const third = nodes.find((n) => n !== ctl && n !== victim)!;
    const topicId = 'staleBasisAAAAAAAAAAAQ';
    const replicas = [
      [victim.nodeId, ctl.nodeId, third.nodeId],
      [ctl.nodeId, victim.nodeId, third.nodeId],
    ];
    await ctl.store.commit([
      { type: 'topic', name: 'basis', topicId, configs: {} },
      ...replicas.map((r, i): MetadataRecord => ({ type: 'partition', state: { topicId, topic: 'basis', partition: i, leader: r[0]!, leaderEpoch: 0, partitionEpoch: 0, replicas: r, isr: r } })),
    ]);
    const before = ctl.store.image.topics.get('basis')!.partitions;

    // While the controller holds its decision, the victim registers again under a new lease.
    let decided: readonly MetadataRecord[] = [];
    const lease = client.lease(1);
    armed = async (records) => {
      decided = records;
      await lease.put(ctl.store.keys.broker(victim.nodeId)).value(JSON.stringify({ nodeId: victim.nodeId, host: '127.0.0.1', port: 9100, epoch: 4242 }));
    };
    await victim.crash();
    await expect.poll(() => ctl.controller.staleBasisRefusals, { timeout: 10_000 }).toBe(1);
    // What it had decided from the stale set: victim out of both ISRs, partition 0 led elsewhere.
    const stale = decided.flatMap((r) => (r.type === 'partition' ? [r.state] : []));
    expect(stale.map((s) => s.isr.includes(victim.nodeId))).toEqual([false, false]);
    expect(stale[0]!.leader).not.toBe(victim.nodeId);
    // Recomputed from the image that has the new registration: nothing to change; etcd holds the states as they were.
    await expect.poll(() => ctl.store.image.brokers.get(victim.nodeId)?.epoch).toBe(4242);
    for (const s of before) {
      const stored = (await client.get(ctl.store.keys.partition('basis', s.partition)).json()) as { leader: number; isr: number[]; partitionEpoch: number };
      expect(stored).toMatchObject({ leader: s.leader, isr: s.isr, partitionEpoch: s.partitionEpoch });
    }

    // The victim really goes: the recomputed decision is made and committed.
    await lease.revoke();
    await expect.poll(() => ctl.store.image.topics.get('basis')!.partitions.every((s) => !s.isr.includes(victim.nodeId)), { timeout: 10_000 }).toBe(true);
    const after = ctl.store.image.topics.get('basis')!.partitions;
    expect(after[0]).toMatchObject({ leader: ctl.nodeId, leaderEpoch: 1, isr: [ctl.nodeId, third.nodeId] });
    expect(after[1]).toMatchObject({ leader: ctl.nodeId, leaderEpoch: 0, isr: [ctl.nodeId, third.nodeId] });
    expect(ctl.controller.staleBasisRefusals).toBe(1);
  });
});
