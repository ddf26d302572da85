// A follower's broker process restarted while its old etcd lease is still alive, on a real 3-broker
// cluster (etcd + broker processes) under acks=all load (idempotent kafkajs). The lease TTL is 10 s
// (broker.session.timeout.ms) and replica.lag.time.max.ms 1 s, so the leader's lag rule, not lease
// expiry, takes the dead follower out of the ISR. Injected: SIGKILL of a follower (not the leader,
// not the controller when another follower is free); as soon as the leader has dropped it from the
// ISR — while Metadata still lists it, its registration held by the old lease — it is started again
// on the same port and data dir. Its new process fetches before it registers (replica epoch -1) and
// then under its new registration (KIP-903). Checked: the new registration carries another broker
// epoch; the leader adds it back to the ISR only under that epoch, never the old one (the
// "expanding ISR" log line names the epochs proposed); every acknowledged write is read back
// exactly once, in order (history checker), and no send failed.
import { type RunningCluster, startCluster } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, createSyncedTopic, readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

const LEASE_MS = 10_000;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'broker.session.timeout.ms': String(LEASE_MS), 'replica.lag.time.max.ms': '1000' } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

/** The broker epoch of a broker's last "broker registered in etcd" line (the lease id, as BrokerMembership derives it). */
function registeredEpoch(logs: readonly string[]): number {
  const line = logs.filter((l) => l.includes('"msg":"broker registered in etcd"')).at(-1);
  if (line === undefined) throw new Error('no "broker registered in etcd" line');
  const { lease } = JSON.parse(line) as { lease: string };
  return Number(BigInt(lease) & 0xfffffffffffffn);
}

interface IsrChange {
  time: number;
  topic: string;
  from: number[];
  to: number[];
  isrWithEpochs: { brokerId: number; brokerEpoch: number }[];
}

function expansions(logs: readonly string[], topic: string, replica: number, since: number): IsrChange[] {
  return logs
    .filter((l) => l.includes('"msg":"expanding ISR"'))
    .map((l) => JSON.parse(l) as IsrChange)
    .filter((e) => e.topic === topic && e.time >= since && e.to.includes(replica) && !e.from.includes(replica));
}

describe('a follower restarted inside its old lease', () => {
  it('rejoins the ISR under its new broker epoch; every acknowledged write is read back once, in order', async () => {
    const topic = 'restarted-follower';
    const [p] = await createSyncedTopic(cluster, topic, 1);
    const { controller } = await topicMetadata(cluster.bootstrap, topic);
    const followers = p!.replicas.filter((r) => r !== p!.leader);
    const victim = cluster.broker(followers.find((r) => r !== controller) ?? followers[0]!);
    const leader = cluster.broker(p!.leader);
    const oldEpoch = registeredEpoch(victim.logs());
    const live = bootstrapOf(cluster, [victim.nodeId]);
    const load = AckedLoad.start(live, { topic, partitions: 1 });
    let newEpoch = -1;
    let killedAt = 0;
    try {
      await until('load running', 30_000, () => load.ackedCount() > 50);
      await victim.kill('SIGKILL');
      killedAt = Date.now();
      await until(`broker ${victim.nodeId} out of the ISR`, LEASE_MS, async () => !(await topicMetadata(live, topic)).partitions[0]!.isr.includes(victim.nodeId));
      // Its old registration is still there: the lease it was registered under has not expired.
      const before = await topicMetadata(live, topic);
      expect(before.brokers).toContain(victim.nodeId);
      const shrunkAfterMs = Date.now() - killedAt;
      await victim.restart();
      const registeredAfterMs = Date.now() - killedAt;
      newEpoch = registeredEpoch(victim.logs());
      expect(newEpoch).not.toBe(oldEpoch);
      await until(`broker ${victim.nodeId} back in the ISR`, 30_000, async () => (await topicMetadata(live, topic)).partitions[0]!.isr.includes(victim.nodeId));
      console.log(`broker ${victim.nodeId}: out of the ISR ${shrunkAfterMs} ms after SIGKILL, registered again (epoch ${oldEpoch} → ${newEpoch}) after ${registeredAfterMs} ms, back in the ISR after ${Date.now() - killedAt} ms (lease ${LEASE_MS} ms)`);
      const ackedWhenBack = load.ackedCount();
      await until('acknowledgements go on with the follower back', 15_000, () => load.ackedCount() > ackedWhenBack + 50);
    } finally {
      await load.stop();
    }
    // The leader proposed it back, and only ever under the new registration's epoch.
    const joined = expansions(leader.logs(), topic, victim.nodeId, killedAt);
    expect(joined.length).toBeGreaterThan(0);
    for (const e of joined) expect(e.isrWithEpochs.find((m) => m.brokerId === victim.nodeId)).toEqual({ brokerId: victim.nodeId, brokerEpoch: newEpoch });
    expect(load.failures).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 120_000);
});
