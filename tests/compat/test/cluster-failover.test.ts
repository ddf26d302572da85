// Failover under load, short version (the 10-kill run is scripts/cluster-failover.ts): 3 brokers,
// a topic with 3 partitions and replication factor 3, an idempotent acks=all kafkajs producer per
// partition at full speed; injected: SIGKILL of the leader of partition 0, then 1, then 2 (each
// restarted and back in the ISR before the next). The history checker must find every
// acknowledged (partition, offset, value) read back exactly once, in offset order. And no leader
// proposed a restarted follower for the ISR before seeing its registration (KIP-841): no ISR change
// refused INELIGIBLE_REPLICA in any broker's log.
import { type RunningCluster, startCluster } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLeaderKills } from '../src/cluster-failover';

/** `pnpm --filter @mq/compat-tests failover:10` sets 10 (the run); the suite runs 3. */
const KILLS = Number(process.env.MQ_FAILOVER_KILLS ?? 3);
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('leader SIGKILLed under acks=all load', () => {
  it(`${KILLS} kills: nothing acknowledged is lost, duplicated or reordered; producers resume`, async () => {
    const result = await runLeaderKills(cluster, { topic: 'failover', partitions: 3, kills: KILLS });
    console.log(`failover (SIGKILL → first acks=all ack on that partition), ms: ${result.failoverMs.join(', ')}; acknowledged ${result.acked}, failed sends ${result.unacked}`);
    expect(result.problems).toEqual([]);
    expect(result.failoverMs).toHaveLength(KILLS);
    expect(result.acked).toBeGreaterThan(100);
    const ineligible = cluster.brokers.flatMap((b) => b.logs().filter((l) => l.includes('ISR change refused') && l.includes('INELIGIBLE_REPLICA')));
    expect(ineligible).toEqual([]);
  }, 120_000 + KILLS * 60_000);
});
