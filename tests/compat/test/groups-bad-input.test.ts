// Acceptance (issue 4): bad group requests get Kafka's error codes (unknown group, wrong
// generation, unknown member, oversized metadata, unknown partition, bad session timeout,
// inconsistent protocol, non-empty delete, transaction coordinator) and the coordinator keeps
// serving: afterwards a kafkajs group still consumes. Requests are raw frames built with @mq/protocol.
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from './groups-wire-client';

const TOPIC = 'bad-input-topic';
const subscription = Buffer.from('0000000000010000000f6261642d696e7075742d746f706963ffffffff', 'hex');

describe('group coordinator: bad input', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let wire: WireClient;

  beforeAll(async () => {
    broker = await startBroker({ groups: { initialRebalanceDelayMs: 100 } });
    const admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    wire = await WireClient.open(broker.port);
  });

  afterAll(async () => {
    wire?.close();
    await broker?.stop();
  });

  it('answers every bad request with the right error code and keeps working', async () => {
    const join = (over: Record<string, unknown>) =>
      wire.call(ApiKey.JoinGroup, 5, {
        groupId: 'g', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: null,
        protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription }], ...over,
      });
    // A real member: two-step join, leader, sync → Stable.
    const first = await join({});
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const joined = await join({ memberId: first.memberId });
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: first.memberId });
    const memberId = joined.memberId as string;
    const synced = await wire.call(ApiKey.SyncGroup, 3, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, assignments: [{ memberId, assignment: Buffer.from('x') }] });
    expect(synced.errorCode).toBe(ErrorCode.NONE);

    // Join: bad group id, bad session timeout, inconsistent protocol.
    expect((await join({ groupId: '' })).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await join({ sessionTimeoutMs: 10 })).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await join({ protocolType: 'connect' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await join({ memberId: 'not-a-member' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    // Unknown group / member, wrong generation.
    const hb = (over: Record<string, unknown>) => wire.call(ApiKey.Heartbeat, 3, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, ...over });
    expect((await hb({})).errorCode).toBe(ErrorCode.NONE);
    expect((await hb({ groupId: 'no-such-group' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await hb({ generationId: 99 })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await hb({ memberId: 'ghost' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const badSync = await wire.call(ApiKey.SyncGroup, 3, { groupId: 'g', generationId: 99, memberId, groupInstanceId: null, assignments: [] });
    expect(badSync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);

    // OffsetCommit: wrong generation for all; then per-partition errors in one request.
    const commit = (generationIdOrMemberEpoch: number, partitions: Record<string, unknown>[], topic = TOPIC) =>
      wire.call(ApiKey.OffsetCommit, 7, { groupId: 'g', generationIdOrMemberEpoch, memberId, groupInstanceId: null, topics: [{ name: topic, partitions }] });
    const p = (partitionIndex: number, committedMetadata: string | null = null) => ({ partitionIndex, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata });
    const stale = await commit(99, [p(0)]);
    expect(stale.topics[0].partitions[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const mixed = await commit(1, [p(0, 'ok'), p(1, 'x'.repeat(5000)), p(17)]);
    expect(mixed.topics[0].partitions.map((x: { errorCode: number }) => x.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const unknownTopic = await commit(1, [p(0)], 'no-such-topic');
    expect(unknownTopic.topics[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const simpleToLiveGroup = await wire.call(ApiKey.OffsetCommit, 2, { groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n, topics: [{ name: TOPIC, partitions: [p(0)] }] });
    expect(simpleToLiveGroup.topics[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    // OffsetFetch (v8, batched): the good commit is there, the unknown group has nothing.
    const fetched = await wire.call(ApiKey.OffsetFetch, 8, {
      groups: [{ groupId: 'g', topics: [{ name: TOPIC, partitionIndexes: [0, 1] }] }, { groupId: 'no-such-group', topics: null }],
      requireStable: true,
    });
    expect(fetched.groups[0].topics[0].partitions.map((x: { committedOffset: bigint; metadata: string }) => [x.committedOffset, x.metadata])).toEqual([[1n, 'ok'], [-1n, '']]);
    expect(fetched.groups[1]).toMatchObject({ groupId: 'no-such-group', errorCode: ErrorCode.NONE, topics: [] });

    // DeleteGroups: unknown and non-empty groups.
    const del = await wire.call(ApiKey.DeleteGroups, 2, { groupsNames: ['no-such-group', 'g'] });
    expect(del.results.map((r: { errorCode: number }) => r.errorCode)).toEqual([ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.NON_EMPTY_GROUP]);

    // FindCoordinator(TRANSACTION) names this broker, whose InitProducerId then refuses the
    // transactional.id with a non-retriable error (no transactions yet: transactions-refused.test.ts).
    const txn = await wire.call(ApiKey.FindCoordinator, 2, { key: 'tx-1', keyType: 1 });
    expect([txn.errorCode, txn.port]).toEqual([ErrorCode.NONE, broker.port]);
    const grp = await wire.call(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g', 'h'] });
    expect(grp.coordinators.map((c: { port: number; errorCode: number }) => [c.port, c.errorCode])).toEqual([[broker.port, 0], [broker.port, 0]]);

    // The member leaves (v3 batch with a ghost), the group becomes Empty and can be deleted.
    const left = await wire.call(ApiKey.LeaveGroup, 3, { groupId: 'g', members: [{ memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] });
    expect(left.members.map((m: { errorCode: number }) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    const described = await wire.call(ApiKey.DescribeGroups, 4, { groups: ['g', 'no-such-group'], includeAuthorizedOperations: false });
    expect(described.groups.map((g: { groupState: string }) => g.groupState)).toEqual(['Empty', 'Dead']);
    const described6 = await wire.call(ApiKey.DescribeGroups, 6, { groups: ['no-such-group'], includeAuthorizedOperations: false });
    expect(described6.groups[0]).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'Group no-such-group not found.' });
    const del2 = await wire.call(ApiKey.DeleteGroups, 2, { groupsNames: ['g'] });
    expect(del2.results[0].errorCode).toBe(ErrorCode.NONE);

    // Still serving: a kafkajs group consumes.
    const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'v' })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'after-bad-input', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let n = 0;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`consumed ${n} of 20`)), 60_000);
      void consumer.run({ eachMessage: async () => void (++n === 20 && (clearTimeout(t), resolve())) });
    });
    await consumer.disconnect();
    expect(n).toBe(20);
  });
});
