// Acceptance (issue 13): share groups under load and failure, with @kafkats/client 0.12 share
// consumers as child processes on one partition. 3 consumers over 20,000 messages (100,000 under
// `pnpm chaos`), all three in the group before the first record: every message accepted exactly
// once (none released here). A consumer that holds locks is SIGKILLed: its records are delivered
// again after group.share.record.lock.duration.ms, to another consumer, with a higher delivery
// count. A broker restart keeps every acknowledgement: nothing accepted before it is delivered
// after it.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from './groups-members';
import { ShareHistory, ShareMemberProcess } from './share-members';

const LOCK_MS = 5_000;
// The suite's short run; `pnpm chaos` (MQ_CHAOS=1) runs the 100,000.
const HISTORY_MESSAGES = process.env.MQ_CHAOS === '1' ? 100_000 : 20_000;

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({ clientId: 'share-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

async function produce(bootstrap: string, topic: string, count: number): Promise<void> {
  await createTopic(bootstrap, topic);
  const kafka = new Kafka({ clientId: 'share-producer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < count; i += 5_000) {
    const n = Math.min(5_000, count - i);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ value: String(i + j) })) });
  }
  await producer.disconnect();
}

describe('share groups with @kafkats/client consumer processes', () => {
  const members: ShareMemberProcess[] = [];
  let broker: Awaited<ReturnType<typeof startBroker>> | undefined;

  afterEach(async () => {
    for (const m of members.splice(0)) await m.kill();
    await broker?.stop();
    broker = undefined;
  });

  it(`3 consumers on 1 partition, ${HISTORY_MESSAGES.toLocaleString('en')} messages: each accepted exactly once`, async () => {
    const N = HISTORY_MESSAGES;
    // Heartbeats every 500 ms (Kafka: 5 s): a member learns a new assignment within half a second.
    // The default lock settings: a member whose ShareFetch carries its acks acquires again in the same
    // request, and still the three share the partition's 200 locks (each fetching member's fair
    // share; parked fetches are woken when locks are freed).
    broker = await startBroker({ share: { autoOffsetReset: 'earliest', heartbeatIntervalMs: 500 }, http: { port: 0 } });
    const bootstrap = `127.0.0.1:${broker.port}`;
    await createTopic(bootstrap, 'history');
    const history = new ShareHistory();
    for (const name of ['c1', 'c2', 'c3']) members.push(ShareMemberProcess.start(name, { bootstrap, topic: 'history', groupId: 'history-workers' }, history));
    // All three in the group, each holding the assignment of the group's current epoch (its member
    // epoch caught up: its client has been told), before the first record — so each has its share
    // of the work to do. (Joined alone is not enough: on a quiet machine the first member learnt of
    // the partition only at its next heartbeat, after the other two had drained all 20,000.)
    const http = `http://127.0.0.1:${broker.http!.port}`;
    const clusterId = ((await (await fetch(`${http}/v3/clusters`)).json()) as { data: { cluster_id: string }[] }).data[0]!.cluster_id;
    const group = `${http}/v3/clusters/${clusterId}/share-groups/history-workers`;
    type GroupJson = { group_epoch: number; members?: { member_epoch: number; assignments: unknown[] }[] };
    const settled = async () => {
      const res = await fetch(group);
      if (res.status !== 200) return false;
      const g = (await res.json()) as GroupJson;
      return g.members?.length === 3 && g.members.every((m) => m.assignments.length > 0 && m.member_epoch === g.group_epoch);
    };
    for (let deadline = Date.now() + 120_000; !(await settled()); ) {
      if (Date.now() > deadline || history.crashes.length > 0) throw new Error(`the share group never had its 3 members, each told its assignment: ${history.crashes.join('; ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await produce(bootstrap, 'history', N);
    await waitUntil('every message accepted', () => history.accepted.size === N || history.crashes.length > 0, 600_000, 500);
    expect(history.crashes).toEqual([]);
    const twice = [...history.accepted].filter(([, by]) => by.length !== 1);
    expect(twice).toEqual([]);
    // All three took part; every message delivered to exactly one member (no lock ran out).
    const byMember = new Map<string, number>();
    for (const d of history.deliveries) byMember.set(d.member, (byMember.get(d.member) ?? 0) + 1);
    expect([...byMember.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
    expect(history.deliveries.length).toBe(N);
  }, 900_000);

  it('SIGKILL a consumer holding locks: its records come back after the lock with a higher delivery count', async () => {
    const N = 300;
    broker = await startBroker({ share: { autoOffsetReset: 'earliest', recordLockDurationMs: LOCK_MS } });
    const bootstrap = `127.0.0.1:${broker.port}`;
    await produce(bootstrap, 'locks', N);
    const history = new ShareHistory();
    const holder = ShareMemberProcess.start('holder', { bootstrap, topic: 'locks', groupId: 'lock-workers', mode: 'hold' }, history);
    members.push(holder);
    await waitUntil('the holder got records', () => history.deliveries.length > 0, 120_000);
    const held = new Set(history.deliveries.map((d) => d.offset));
    await holder.kill();
    members.push(ShareMemberProcess.start('rescuer', { bootstrap, topic: 'locks', groupId: 'lock-workers' }, history));
    await waitUntil('every message accepted', () => history.accepted.size === N || history.crashes.length > 0, 300_000);
    expect(history.crashes).toEqual([]);
    for (const offset of held) {
      const [first, ...later] = history.deliveriesOf(offset);
      expect(first!.member).toBe('holder');
      expect(later.length, `offset ${offset} delivered again`).toBeGreaterThan(0);
      expect(later.at(-1)!.member).toBe('rescuer');
      expect(later.at(-1)!.deliveryCount, `offset ${offset}`).toBeGreaterThan(first!.deliveryCount);
    }
    expect([...history.accepted.values()].every((by) => by.length === 1 && by[0] === 'rescuer')).toBe(true);
  }, 600_000);
});
