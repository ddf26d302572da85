// Acceptance (issue 9 item 11): KIP-848 consumer groups with a current librdkafka (2.15.1 through
// @confluentinc/kafka-javascript, `group.protocol=consumer`). librdkafka ≥ 2.10 sends
// SubscribedTopicRegex "" on every join; mq used to answer INVALID_REQUEST and the consumer died.
// Three members share a 6-partition topic and consume each message exactly once while one leaves,
// one joins and the topic grows to 9 partitions; a second live member with a group.instance.id in use
// is refused while a static member closing (epoch -2) is replaced by one that keeps its partitions;
// a regex subscription picks up a topic created later.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './groups-members';
import { LIBRDKAFKA_VERSION, RdLedger, RdMember } from './librdkafka-members';

describe(`librdkafka ${LIBRDKAFKA_VERSION} KIP-848 consumer group`, () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let kafka: Kafka;
  let admin: Admin;
  let bootstrap: string;
  const members: RdMember[] = [];

  beforeAll(async () => {
    broker = await startBroker({ groups: { consumerHeartbeatIntervalMs: 300, consumerSessionTimeoutMs: 10_000 } });
    bootstrap = `127.0.0.1:${broker.port}`;
    kafka = new Kafka({ clientId: 'librdkafka-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    for (const m of members) await m.stop();
    await admin?.disconnect();
    await broker?.stop();
  });

  /** Keyed messages k<first>..k<first+count-1>, round-robin over `partitions` (a fresh producer sees every partition). */
  async function produce(topic: string, first: number, count: number, partitions: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, j) => ({ key: `${topic}/k${first + j}`, value: String(first + j), partition: (first + j) % partitions })),
    });
    await producer.disconnect();
  }

  async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions;
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.every((e) => committed.find((c) => c.partition === e.partition)?.offset === e.offset);
  }

  const partitionsOf = (ms: RdMember[]) => ms.flatMap((m) => m.assigned()).sort();
  const range = (topic: string, n: number) => Array.from({ length: n }, (_, p) => `${topic}:${p}`).sort();

  it('members share a topic exactly once through leave, join and added partitions', async () => {
    const topic = 'rd-orders';
    const groupId = 'rd-orders-group';
    const ledger = new RdLedger();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    const join = async (name: string) => {
      const m = await RdMember.start(name, { bootstrap, groupId, topics: [topic] }, ledger);
      members.push(m);
      return m;
    };
    const c1 = await join('c1');
    const c2 = await join('c2');
    const c3 = await join('c3');
    const settled = async (ms: RdMember[], partitions: number, what: string) => {
      await waitUntil(what, () => {
        const counts = ms.map((m) => m.assigned().length);
        return partitionsOf(ms).join() === range(topic, partitions).join() && Math.max(...counts) - Math.min(...counts) <= 1;
      }, 60_000);
    };
    await settled([c1, c2, c3], 6, '3 members holding 2 partitions each');
    expect([c1, c2, c3].map((m) => m.assigned().length)).toEqual([2, 2, 2]);

    let produced = 0;
    const phase = async (count: number, partitions: number) => {
      await produce(topic, produced, count, partitions);
      produced += count;
      await waitUntil(`${produced} messages consumed`, () => ledger.consumed.length >= produced, 60_000);
      await waitUntil('offsets committed to the end', () => committedToEnd(groupId, topic), 30_000);
    };
    await phase(300, 6);

    // c3 leaves (graceful close: leave heartbeat); c1 and c2 take its partitions.
    await c3.stop();
    members.splice(members.indexOf(c3), 1);
    await settled([c1, c2], 6, 'c1 and c2 holding 3 partitions each');
    await phase(300, 6);

    // c4 joins.
    const c4 = await join('c4');
    await settled([c1, c2, c4], 6, 'c1, c2, c4 holding 2 partitions each');
    await phase(300, 6);

    // The topic grows to 9 partitions: the group epoch moves and the new ones are handed out.
    await admin.createPartitions({ topicPartitions: [{ topic, count: 9 }] });
    await settled([c1, c2, c4], 9, 'c1, c2, c4 holding 9 partitions between them');
    await phase(450, 9);

    // Let a stray redelivery show before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(ledger.errors).toEqual([]);
    expect(ledger.consumed.length).toBe(produced);
    expect(ledger.duplicates()).toEqual([]);
    expect(new Set(ledger.keys()).size).toBe(1_350);
    expect(new Set(ledger.consumed.filter((c) => c.partition >= 6).map((c) => c.member)).size).toBeGreaterThan(0);
    for (const name of ['c1', 'c2', 'c3', 'c4']) expect(ledger.consumed.some((c) => c.member === name)).toBe(true);
  });

  it('static members: a reused live group.instance.id is refused; after a close the replacement keeps the partitions', async () => {
    const topic = 'rd-static';
    const groupId = 'rd-static-group';
    const ledger = new RdLedger();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const start = async (name: string, instanceId: string) => {
      const m = await RdMember.start(name, { bootstrap, groupId, topics: [topic], instanceId }, ledger);
      members.push(m);
      return m;
    };
    const s1 = await start('s1', 'instance-1');
    const s2 = await start('s2', 'instance-2');
    await waitUntil('2 + 2 partitions', () => s1.assigned().length === 2 && s2.assigned().length === 2, 60_000);
    const s1Had = s1.assigned();
    const s2Had = s2.assigned();

    // librdkafka keeps retrying the join it is refused (UNRELEASED_INSTANCE_ID) without an error event:
    // it must never become a member nor take partitions from s1.
    const dup = await start('dup', 'instance-1');
    await new Promise((r) => setTimeout(r, 3_000));
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]!.members.map((m) => m.clientId).sort()).toEqual(['s1', 's2']);
    expect(dup.assigned()).toEqual([]);
    expect(s1.assigned()).toEqual(s1Had);
    await dup.stop();

    await s1.stop();
    const s1b = await start('s1b', 'instance-1');
    await waitUntil('the replacement holding the partitions', () => s1b.assigned().length === 2, 60_000);
    expect(s1b.assigned()).toEqual(s1Had);
    expect(s2.assigned()).toEqual(s2Had);
  });

  it('a regex subscription picks up a topic created later, and only matching topics', async () => {
    const groupId = 'rd-regex-group';
    const ledger = new RdLedger();
    await admin.createTopics({ topics: [{ topic: 'rdx-a', numPartitions: 2 }, { topic: 'other-rdx', numPartitions: 1 }], waitForLeaders: true });
    await produce('rdx-a', 0, 20, 2);
    await produce('other-rdx', 0, 20, 1);
    const m = await RdMember.start('rx1', { bootstrap, groupId, topics: ['^rdx-.*'] }, ledger);
    members.push(m);
    await waitUntil('rdx-a consumed', () => ledger.consumed.length >= 20, 60_000);
    expect(m.assigned()).toEqual(['rdx-a:0', 'rdx-a:1']);

    await admin.createTopics({ topics: [{ topic: 'rdx-b', numPartitions: 3 }], waitForLeaders: true });
    await waitUntil('rdx-b assigned', () => m.assigned().join() === ['rdx-a:0', 'rdx-a:1', 'rdx-b:0', 'rdx-b:1', 'rdx-b:2'].join(), 60_000);
    await produce('rdx-b', 0, 30, 3);
    await waitUntil('rdx-b consumed', () => ledger.consumed.length >= 50, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(ledger.errors).toEqual([]);
    expect([...new Set(ledger.consumed.map((c) => c.topic))].sort()).toEqual(['rdx-a', 'rdx-b']);
    expect(ledger.consumed).toHaveLength(50);
    expect(ledger.duplicates()).toEqual([]);
  });
});
