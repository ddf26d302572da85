// A zombie leader: 3 brokers (1 s etcd lease), a 3-partition replication-factor-3 topic, an idempotent
// acks=all kafkajs load over every broker (5 s request timeout) plus a "zombie-side" acks=all producer that knows only the
// paused broker. Injected: SIGSTOP of partition 0's leader for longer than its lease (≥ 3 s): its
// lease expires, the controller fences it with a new leader epoch; then SIGCONT — whatever it had
// queued it may append but must not acknowledge. Checked: leaderships moved while it slept, it came
// back as a follower of the new epoch (truncating any divergent tail) and rejoined every ISR, no two
// brokers led one partition in one epoch, and the history checker reads every acknowledged write back.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { bootstrapOf, leaderClaims, readBack, splitBrains, topicMetadata, truncations, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the leader paused with SIGSTOP past its etcd lease', () => {
  it('is fenced by a new leader epoch: on SIGCONT it acknowledges nothing stale, truncates and rejoins as follower', async () => {
    const topic = 'zombie';
    const admin = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    await until('all replicas in sync', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
    const before = (await topicMetadata(cluster.bootstrap, topic)).partitions;
    const victim = cluster.broker(before[0]!.leader);
    const led = before.filter((p) => p.leader === victim.nodeId).map((p) => p.partition);

    // A request parked on the paused broker times out after 5 s (kafkajs's 30 s would outlast the test).
    const load = AckedLoad.start(cluster.bootstrap, { topic, partitions: 3, timeoutMs: 4_000, requestTimeoutMs: 5_000 });
    // Knows only the victim, never retries elsewhere by itself: its writes land on the zombie if any do.
    const zombieSide = AckedLoad.start(`${victim.host}:${victim.port}`, { topic, partitions: 1, prefix: 'z', retries: 0, idempotent: false, timeoutMs: 4_000, requestTimeoutMs: 5_000 });
    let pausedMs = 0;
    try {
      await until('load running', 30_000, () => load.ackedCount() > 60 && zombieSide.ackedCount() > 10);
      await victim.kill('SIGSTOP');
      const stoppedAt = Date.now();
      const others = bootstrapOf(cluster, [victim.nodeId]);
      await until(`broker ${victim.nodeId}'s leaderships moved`, 30_000, async () =>
        (await topicMetadata(others, topic)).partitions.every((p) => p.leader > 0 && p.leader !== victim.nodeId && !p.isr.includes(victim.nodeId)),
      );
      // kafkajs keeps retrying a silent broker until its metadata changes (a request timeout does not
      // refresh it), so the paused leader's own partitions resume on SIGCONT; the others go on now.
      const elsewhere = [0, 1, 2].filter((p) => !led.includes(p));
      await until('the load acknowledged on the partitions the paused broker did not lead', 30_000, () => elsewhere.every((p) => load.lastAckAt(p) > stoppedAt));
      await new Promise((r) => setTimeout(r, Math.max(0, 3_000 - (Date.now() - stoppedAt))));
      pausedMs = Date.now() - stoppedAt;
      await victim.kill('SIGCONT');
      await until(`broker ${victim.nodeId} back in every ISR`, 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
      const back = Date.now();
      await until('the load acknowledged after the zombie returned', 30_000, () => [0, 1, 2].every((p) => load.lastAckAt(p) > back));
    } finally {
      await victim.kill('SIGCONT');
      await Promise.all([load.stop(), zombieSide.stop()]);
    }
    const after = (await topicMetadata(cluster.bootstrap, topic)).partitions;
    const cut = truncations(victim.logs(), topic);
    console.log(
      `paused ${pausedMs} ms; partitions ${led.join(',')} moved off broker ${victim.nodeId}; zombie-side acks ${zombieSide.ackedCount()}, ` +
        `failed ${zombieSide.failures.length}; truncated on return: ${cut.map((c) => `${c.partition}: ${c.from}→${c.to}`).join(', ') || 'nothing'}`,
    );
    for (const p of led) expect(after[p]!.leader === victim.nodeId ? -1 : after[p]!.leader).toBeGreaterThan(0);
    expect(victim.logs().some((l) => l.includes('"msg":"became follower"') && l.includes(`"partition":${led[0]}`) && l.includes(`"leader":${after[led[0]!]!.leader}`))).toBe(true);
    expect(load.failures).toEqual([]);
    expect(splitBrains(leaderClaims(cluster))).toEqual([]);
    expect(checkHistory([...load.acked, ...zombieSide.acked], await readBack(cluster.bootstrap, topic))).toEqual([]);
  }, 150_000);
});
