// Acceptance (#10 item 5): a data dir written by the broker with the coordinator runtime before
// KIP-848 groups wrote their target assignment (fixtures/runtime-offsets, made by its
// make-fixture.ts on that code) starts on today's broker: kafkajs reads every committed offset back,
// the KIP-848 group's members carry on at their epoch with their partitions (the target is computed
// once, for the same epoch), a classic consumer resumes after its commits, and a restart keeps it all.
import { cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { committedOffsets, consumeAfterCommits } from '../src/fixture-groups';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { waitUntil } from './groups-members';
import { WireClient } from './groups-wire-client';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'runtime-offsets', 'data');

const KIP848_OFFSETS = ['0:1:member-a', '1:1:member-a', '2:1:member-b', '3:1:member-b'];

describe('a data dir from the coordinator runtime before KIP-848 target records', () => {
  let dataDir: string | undefined;
  const brokers: BrokerProcess[] = [];
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dataDir);
  });

  async function checkOffsets(b: BrokerProcess): Promise<Kafka> {
    const kafka = new Kafka({ clientId: 'runtime', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await committedOffsets(admin, 'runtime-app', 'orders')).toEqual(['0:10', '1:10', '2:10']);
      expect(await committedOffsets(admin, 'runtime-admin', 'orders')).toEqual(['0:4', '1:-1', '2:8']);
      expect(await committedOffsets(admin, 'runtime-kip848', 'audit')).toEqual(KIP848_OFFSETS);
      expect((await admin.listGroups()).groups.map((g) => g.groupId).sort()).toEqual(['runtime-admin', 'runtime-app', 'runtime-kip848']);
    } finally {
      await admin.disconnect();
    }
    return kafka;
  }

  it('starts, keeps every committed offset, and the KIP-848 members carry on at their epoch', async () => {
    dataDir = await makeTempDir('runtime-offsets');
    await cp(FIXTURE, dataDir, { recursive: true });
    let broker = await BrokerProcess.start({ dataDir });
    brokers.push(broker);
    const kafka = await checkOffsets(broker);

    const wire = await WireClient.open(broker.port);
    const topicId = (await wire.call(ApiKey.Metadata, 12, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'audit' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false })).topics[0].topicId;
    const owning = (memberId: string, partitions: number[]) =>
      wire.call(ApiKey.ConsumerGroupHeartbeat, 1, {
        groupId: 'runtime-kip848', memberId, memberEpoch: 2, instanceId: null, rackId: null, rebalanceTimeoutMs: -1,
        subscribedTopicNames: null, subscribedTopicRegex: null, serverAssignor: null, topicPartitions: [{ topicId, partitions }],
      });
    const described = (await wire.call(ApiKey.DescribeGroups, 5, { groups: ['runtime-kip848'], includeAuthorizedOperations: false })).groups[0];
    expect(described.members.map((m: { memberId: string }) => m.memberId).sort()).toEqual(['member-a', 'member-b']);
    for (const [memberId, partitions] of [['member-a', [0, 1]], ['member-b', [2, 3]]] as const) {
      const res = await owning(memberId, [...partitions]);
      expect(res).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
      expect(res.assignment.topicPartitions.flatMap((t: { partitions: number[] }) => t.partitions).sort()).toEqual(partitions);
    }
    const stable = (await wire.call(ApiKey.DescribeGroups, 5, { groups: ['runtime-kip848'], includeAuthorizedOperations: false })).groups[0];
    expect(stable.groupState).toBe('Stable');
    wire.close();

    // The classic group's consumer resumes after what it committed: only the 3 new messages.
    expect(await consumeAfterCommits(kafka, 'runtime-app', 'orders')).toEqual(['new0', 'new1', 'new2']);

    // A restart reads what today's broker added (target records) beside the old ones: the group is Stable at once.
    expect(await broker.stop()).toBe(0);
    broker = await BrokerProcess.start({ dataDir });
    brokers.push(broker);
    const again = new Kafka({ clientId: 'runtime', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } }).admin();
    await again.connect();
    expect(await committedOffsets(again, 'runtime-app', 'orders')).toEqual(['0:11', '1:11', '2:11']);
    expect(await committedOffsets(again, 'runtime-kip848', 'audit')).toEqual(KIP848_OFFSETS);
    await again.disconnect();
    const wire2 = await WireClient.open(broker.port);
    const describe2 = async () => (await wire2.call(ApiKey.DescribeGroups, 5, { groups: ['runtime-kip848'], includeAuthorizedOperations: false })).groups[0];
    await waitUntil('the group coordinator to load', async () => (await describe2()).errorCode === ErrorCode.NONE, 30_000);
    expect((await describe2()).groupState).toBe('Stable');
    wire2.close();
  });
});
