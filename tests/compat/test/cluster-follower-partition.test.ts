// A follower cut off from its leader only: 3 brokers behind TCP proxies (src/cluster-network.ts),
// replica.lag.time.max.ms 2000, a 15 s session (no lease runs out on a loaded machine), a 1-partition replication-factor-3 topic, an idempotent acks=all
// kafkajs load. Injected: the links between the partition's leader and one follower cut both ways
// (open connections go silent, new ones are blackholed); both keep etcd and the third broker, so
// the follower stays registered and only the lag rule can move the ISR. Checked: the ISR shrinks
// to leave the follower out, acknowledgements go on without it; after the heal it catches up and
// Metadata shows it back in the ISR; the leader never changed, and the history checker reads
// every acknowledged write back exactly once, in order.
import type { RunningCluster } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { type ClusterNetwork, startNetworkedCluster } from '../src/cluster-network';
import { createSyncedTopic, readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let network: ClusterNetwork;
let cluster: RunningCluster;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ cluster, network, stop } = await startNetworkedCluster({ brokers: 3, config: { 'replica.lag.time.max.ms': '2000', 'broker.session.timeout.ms': '15000' } }));
}, 180_000);

afterAll(async () => {
  await stop?.();
});

describe('a follower partitioned from its leader only', () => {
  it('leaves the ISR by the lag rule, writes go on; healed, it catches up and rejoins', async () => {
    const topic = 'partitioned-follower';
    const { leader, replicas } = (await createSyncedTopic(cluster, topic, 1))[0]!;
    const follower = replicas.find((r) => r !== leader)!;
    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 1 });
    let shrunkAfterMs = 0;
    let backAfterMs = 0;
    try {
      await until('load running', 30_000, () => load.ackedCount() > 50);
      network.cutBetween(leader, follower);
      const cutAt = Date.now();
      await until(`broker ${follower} out of the ISR`, 30_000, async () => !(await topicMetadata(cluster.bootstrap, topic)).partitions[0]!.isr.includes(follower));
      shrunkAfterMs = Date.now() - cutAt;
      const ackedWhenShrunk = load.ackedCount();
      await until('acknowledgements go on without the cut-off follower', 30_000, () => load.ackedCount() > ackedWhenShrunk + 50);
      network.heal();
      const healedAt = Date.now();
      await until(`broker ${follower} back in the ISR`, 30_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions[0]!.isr.includes(follower));
      backAfterMs = Date.now() - healedAt;
      const ackedWhenBack = load.ackedCount();
      await until('acknowledgements go on with the follower back', 30_000, () => load.ackedCount() > ackedWhenBack + 50);
    } finally {
      network.heal();
      await load.stop();
    }
    console.log(`follower ${follower} cut from leader ${leader}: out of the ISR ${shrunkAfterMs} ms after the cut, back ${backAfterMs} ms after the heal; ${load.ackedCount()} acks`);
    expect((await topicMetadata(cluster.bootstrap, topic)).partitions[0]!.leader).toBe(leader);
    expect(load.failures).toEqual([]);
    expect(checkHistory(load.acked, await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 120_000);
});
