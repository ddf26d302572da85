// Acceptance (issue 10 item 5): a KIP-848 group's members, epochs, target and current assignments
// are records in __consumer_offsets, so a broker restarted on its data dir (SIGKILL and SIGTERM)
// has the group back as it was: members carry on with their epochs and partitions, the group is
// Stable from the start (no new target, no rebalance), and its epoch goes on from where it was.
// Then librdkafka KIP-848 members (group.protocol=consumer) across a SIGKILL on the same port keep
// their partitions and consume every message exactly once.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { waitUntil } from './groups-members';
import { WireClient } from './groups-wire-client';
import { RdLedger, RdMember } from './librdkafka-members';

type Assignment = { topicPartitions: { topicId: string; partitions: number[] }[] } | null;
const partitionsOf = (a: Assignment) => (a?.topicPartitions ?? []).flatMap((t) => t.partitions).sort((x, y) => x - y);

describe('a KIP-848 group across broker restarts', () => {
  let work: string;
  const brokers: BrokerProcess[] = [];
  const start = async (opts: { port?: number; configFile?: string } = {}) => {
    const b = await BrokerProcess.start({ dataDir: join(work, 'data'), ...opts });
    brokers.push(b);
    return b;
  };

  beforeEach(async () => {
    work = await makeTempDir('groups-kip848-restart');
  });
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(work);
  });

  async function createTopic(b: BrokerProcess, topic: string, numPartitions: number): Promise<void> {
    const admin = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    await admin.disconnect();
  }

  it('members keep their epochs and partitions; the group is Stable at once and its epoch goes on', async () => {
    const topic = 'kip848-restart';
    const groupId = 'kip848-restart-group';
    let broker = await start();
    await createTopic(broker, topic, 4);
    let wire = await WireClient.open(broker.port);
    const heartbeat = (over: Record<string, unknown>) =>
      wire.call(ApiKey.ConsumerGroupHeartbeat, 1, {
        groupId, memberId: randomUUID(), memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
        subscribedTopicNames: null, subscribedTopicRegex: null, serverAssignor: null, topicPartitions: null, ...over,
      });
    const owning = (memberId: string, memberEpoch: number, partitions: number[], topicId: string) =>
      heartbeat({ memberId, memberEpoch, topicPartitions: [{ topicId, partitions }] });
    const describe = async () => (await wire.call(ApiKey.DescribeGroups, 5, { groups: [groupId], includeAuthorizedOperations: false })).groups[0];

    // a takes every partition, then b joins: a gives half up, b gets it (epoch 2 for both).
    const a0 = await heartbeat({ memberId: 'member-a', subscribedTopicNames: [topic] });
    expect(a0).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 1 });
    const topicId: string = a0.assignment.topicPartitions[0].topicId;
    await owning('member-a', 1, [0, 1, 2, 3], topicId);
    const b0 = await heartbeat({ memberId: 'member-b', subscribedTopicNames: [topic] });
    expect(b0).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
    const a1 = await owning('member-a', 1, [0, 1, 2, 3], topicId);
    const aKeeps = partitionsOf(a1.assignment);
    expect(aKeeps).toHaveLength(2);
    expect(await owning('member-a', 1, aKeeps, topicId)).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
    const b1 = await owning('member-b', 2, [], topicId);
    const bGets = partitionsOf(b1.assignment);
    expect([...aKeeps, ...bGets].sort()).toEqual([0, 1, 2, 3]);
    expect(await owning('member-b', 2, bGets, topicId)).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
    expect((await describe()).groupState).toBe('Stable');

    let epoch = 2;
    for (const how of ['SIGKILL', 'SIGTERM'] as const) {
      wire.close();
      if (how === 'SIGKILL') await broker.kill();
      else await broker.stop();
      broker = await start();
      wire = await WireClient.open(broker.port);
      // Before any member is heard from: both members, the target current (not Assigning).
      await waitUntil('the group coordinator to load', async () => (await describe()).errorCode === ErrorCode.NONE, 30_000);
      const described = await describe();
      expect(described.groupState).toBe('Stable');
      expect(described.members.map((m: { memberId: string }) => m.memberId).sort()).toEqual(['member-a', 'member-b']);
      // Each carries on at its epoch with its partitions (sent again: a new coordinator tells them once).
      const a = await owning('member-a', epoch, aKeeps, topicId);
      expect(a).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: epoch });
      expect(partitionsOf(a.assignment)).toEqual(aKeeps);
      const b = await owning('member-b', epoch, bGets, topicId);
      expect(b).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: epoch });
      expect(partitionsOf(b.assignment)).toEqual(bGets);
      expect((await describe()).groupState).toBe('Stable');
      if (how === 'SIGKILL') {
        // The group epoch went on from 2: a third member joins at 3 (and leaves again, 4).
        const c = await heartbeat({ memberId: 'member-c', subscribedTopicNames: [topic] });
        expect(c).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 3 });
        expect(await heartbeat({ memberId: 'member-c', memberEpoch: -1 })).toMatchObject({ errorCode: ErrorCode.NONE });
        // a and b move to the target of epoch 4, which is what they already have.
        expect(await owning('member-a', epoch, aKeeps, topicId)).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 4 });
        expect(await owning('member-b', epoch, bGets, topicId)).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 4 });
        epoch = 4;
      }
    }
    wire.close();
  });

  it('librdkafka KIP-848 members keep their partitions across a SIGKILL and consume every message once', async () => {
    const topic = 'kip848-rd-restart';
    const groupId = 'kip848-rd-restart-group';
    const configFile = join(work, 'server.properties');
    await writeFile(configFile, ['group.consumer.heartbeat.interval.ms=300', 'group.consumer.session.timeout.ms=30000', ''].join('\n'));
    let broker = await start({ configFile });
    await createTopic(broker, topic, 4);
    const produce = async (first: number, count: number) => {
      const producer = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 20 } }).producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, j) => ({ key: `k${first + j}`, value: String(first + j), partition: (first + j) % 4 })) });
      await producer.disconnect();
    };
    const ledger = new RdLedger();
    const members = [
      await RdMember.start('rd-a', { bootstrap: broker.bootstrap, groupId, topics: [topic] }, ledger),
      await RdMember.start('rd-b', { bootstrap: broker.bootstrap, groupId, topics: [topic] }, ledger),
    ];
    try {
      const split = () => members.every((m) => m.assigned().length === 2);
      await waitUntil('both members to own two partitions', split, 60_000);
      await produce(0, 200);
      await waitUntil('the first 200 messages', () => ledger.consumed.length >= 200, 60_000);
      const before = members.map((m) => m.assigned());

      const port = broker.port;
      await broker.kill();
      broker = await start({ port, configFile });
      await produce(200, 200);
      await waitUntil('all 400 messages', () => new Set(ledger.keys()).size >= 400, 90_000);
      // Kept their partitions throughout: nothing was handed round again, so nothing was read twice.
      expect(members.map((m) => m.assigned())).toEqual(before);
      expect(ledger.duplicates()).toEqual([]);
      const wire = await WireClient.open(broker.port);
      const described = (await wire.call(ApiKey.DescribeGroups, 5, { groups: [groupId], includeAuthorizedOperations: false })).groups[0];
      wire.close();
      expect(described.groupState).toBe('Stable');
      expect(described.members).toHaveLength(2);
    } finally {
      for (const m of members) await m.stop();
    }
  });
});
