// A share group across the death of the broker that serves it: 3 brokers (etcd + broker
// processes), one replicated partition whose leader is also the leader of __share_group_state (the
// share-partition and its state's coordinator on one broker), @kafkats/client share consumers as
// child processes. A 'holder' consumer acquires records and never acknowledges them; two more accept
// everything. Injected: SIGKILL of the holder, then SIGKILL of that broker while the others
// consume; once they consume from the new leader, a second holder joins, acquires and is SIGKILLed
// (its records come back only when their locks run out there). Checked by the share history
// checker: every record delivered and acknowledged at the broker (the share-partition start offset
// passes all), none accepted twice or delivered again after its accept was answered, and every
// record a holder held delivered again to a live consumer with a higher delivery count
// (at-least-once); the partition and its state moved. __share_group_state is pruned every 500 ms:
// its log start advances before the kill, and again past that at the new leader, so the state
// the new leader loaded came from a pruned log (and still redelivers no accepted record).
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient } from '@mq/client';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { bootstrapOf, topicMetadata, until } from '../src/cluster-probe';
import { checkShareHistory } from '../src/share-history-checker';
import { ShareHistory, ShareMemberProcess } from './share-members';

const TOPIC = 'tasks';
const STATE_TOPIC = '__share_group_state';
const OFFSETS_PARTITIONS = 3;
const N = 10_000;
const LOCK_MS = 5_000;
let cluster: RunningCluster;
const members: ShareMemberProcess[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'share.auto.offset.reset': 'earliest',
      'group.share.record.lock.duration.ms': String(LOCK_MS),
      // The holder's locks must not starve the others before it dies.
      'group.share.partition.max.record.locks': '2000',
      // One state partition: its leader is the share coordinator of the group's share-partition.
      'share.coordinator.state.topic.num.partitions': '1',
      'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
      'share.coordinator.state.topic.prune.interval.ms': '500',
    },
  });
}, 180_000);

afterAll(async () => {
  for (const m of members.splice(0)) await m.kill();
  await cluster?.stop();
});

const kafka = (): Kafka => new Kafka({ clientId: 'share-failover', brokers: bootstrapOf(cluster).split(','), logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 } });

/** The log start of __share_group_state-0 at its leader (ListOffsets earliest). */
async function stateLogStart(): Promise<bigint> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets(STATE_TOPIC);
    return BigInt(p!.low);
  } finally {
    await admin.disconnect();
  }
}

async function startOffset(group: string): Promise<bigint> {
  const client = new MqClient({ bootstrapServers: bootstrapOf(cluster), clientId: 'share-failover-check' });
  try {
    return (await client.admin().shareGroups().offsets(group)).find((o) => o.topic === TOPIC)?.startOffset ?? -1n;
  } finally {
    await client.close();
  }
}

describe('a share group when the broker leading its share-partition and its state is SIGKILLed', () => {
  it('@kafkats/client: every record acknowledged once, the dead holder’s records redelivered, nothing accepted delivered again', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().slice(-60).join('\n')}`);
    });
    let victim = -1;
    await until(`${STATE_TOPIC} led`, 60_000, async () => {
      victim = (await topicMetadata(cluster.bootstrap, STATE_TOPIC)).partitions[0]?.leader ?? -1;
      return victim > 0;
    });
    const others = cluster.brokers.map((b) => b.nodeId).filter((id) => id !== victim);
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: TOPIC, replicaAssignment: [{ partition: 0, replicas: [victim, ...others] }] }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    await until(`${TOPIC} in sync and led by broker ${victim}`, 60_000, async () => {
      const p = (await topicMetadata(cluster.bootstrap, TOPIC)).partitions[0];
      return p?.leader === victim && p.isr.length === 3;
    });
    // A group coordinated elsewhere: what dies is the share-partition and its state, not the membership.
    const offsetsLeaders = (await topicMetadata(cluster.bootstrap, CONSUMER_OFFSETS_TOPIC)).partitions.map((p) => p.leader);
    const group = Array.from({ length: 50 }, (_, i) => `task-workers-${i}`).find((g) => offsetsLeaders[partitionFor(g, OFFSETS_PARTITIONS)] !== victim)!;
    expect(group).toBeDefined();

    const producer = kafka().producer({ idempotent: true });
    await producer.connect();
    try {
      for (let i = 0; i < N; i += 2_000) await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 2_000 }, (_, j) => ({ value: String(i + j) })) });
    } finally {
      await producer.disconnect();
    }

    const history = new ShareHistory();
    const args = { bootstrap: cluster.bootstrap, topic: TOPIC, groupId: group };
    const holder = ShareMemberProcess.start('holder', { ...args, mode: 'hold' }, history);
    members.push(holder);
    await until('the holder acquired records', 120_000, () => history.deliveries.length > 0);
    for (const name of ['c1', 'c2']) members.push(ShareMemberProcess.start(name, args, history));
    await until('consuming', 120_000, () => history.accepted.size >= N / 5 || history.crashes.length > 0);
    expect(history.crashes).toEqual([]);
    const held = history.deliveries.filter((d) => d.member === 'holder').length;
    // Every acquisition and acceptance is a state write, snapshotted every 500 updates: the prunes move the log start.
    let prunedBeforeKill = 0n;
    await until(`${STATE_TOPIC} pruned`, 60_000, async () => {
      prunedBeforeKill = await stateLogStart();
      return prunedBeforeKill > 0n;
    });

    await holder.kill();
    await cluster.broker(victim).kill('SIGKILL');
    const killedAt = Date.now();
    const acceptedAtKill = history.accepted.size;

    // After the failover, a second holder takes records from the new leader and is SIGKILLed too:
    // those come back only when their locks run out there.
    await until('consuming again after the kill', 120_000, () => history.accepted.size > acceptedAtKill + 200 || history.crashes.length > 0);
    const heldAgainFrom = history.deliveries.length;
    const holder2 = ShareMemberProcess.start('holder2', { ...args, mode: 'hold' }, history);
    members.push(holder2);
    await until('the second holder acquired records', 120_000, () => history.deliveries.slice(heldAgainFrom).some((d) => d.member === 'holder2') || history.crashes.length > 0);
    await holder2.kill();
    const held2 = history.deliveries.filter((d) => d.member === 'holder2').length;

    await until('every record acknowledged at the broker', 300_000, async () => history.crashes.length > 0 || (await startOffset(group)) >= BigInt(N));
    const recoveredMs = Date.now() - killedAt;
    // A member reports its accept once the broker answered it: let the last reports arrive.
    const live = new Set(['c1', 'c2']);
    const unsettled = () => history.deliveries.filter((d) => live.has(d.member) && !history.accepted.has(d.offset) && !history.ackFailures.has(d.offset));
    await until('the members reported their accepts', 30_000, () => history.crashes.length > 0 || unsettled().length === 0);
    expect(history.crashes).toEqual([]);

    const after = await topicMetadata(bootstrapOf(cluster), TOPIC);
    const state = await topicMetadata(bootstrapOf(cluster), STATE_TOPIC);
    expect(after.partitions[0]!.leader).not.toBe(victim);
    expect(state.partitions[0]!.leader).not.toBe(victim);
    // The new leader snapshotted each share-partition it loaded and prunes up to it.
    let prunedAfter = 0n;
    await until(`${STATE_TOPIC} pruned at its new leader`, 60_000, async () => {
      prunedAfter = await stateLogStart().catch(() => 0n);
      return prunedAfter > prunedBeforeKill;
    });
    const problems = checkShareHistory({
      records: N,
      deliveries: history.deliveries,
      acceptances: history.acceptances,
      startOffset: await startOffset(group),
      dead: new Set(['holder', 'holder2']),
    });
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
    const redelivered = history.deliveries.length - N;
    console.log(
      `share failover: broker ${victim} → ${after.partitions[0]!.leader} (state → ${state.partitions[0]!.leader}); ${acceptedAtKill} accepted before the kill, ` +
        `holders held ${held} + ${held2}; ${STATE_TOPIC} log start ${prunedBeforeKill} before the kill, ${prunedAfter} at the end; ${history.deliveries.length} deliveries of ${N} (${redelivered} again), ${history.ackFailures.size} accepts in doubt; all acknowledged ${recoveredMs} ms after the kill`,
    );
  }, 600_000);
});
