// A classic group through a broker crash mid-rebalance (issue 10 §5): what the coordinator
// persists is the GroupMetadata record of a settled generation (the leader's SyncGroup, an Empty
// generation), never the rebalance in flight. Injected: SIGKILL of the broker process (1) while a
// new member's JoinGroup is parked (PreparingRebalance), (2) after the join phase completed a new
// generation whose SyncGroup never came (CompletingRebalance), (3) once that generation synced.
// Each restart on the same data dir must give a consistent group: the last generation written,
// with its members and assignments; members of an unwritten generation are told to rejoin
// (ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID); committed offsets stay; and a kafkajs consumer of the
// group afterwards resumes after the commit. Requests are raw frames built with @mq/protocol.
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { waitUntil } from './groups-members';
import { WireClient } from './groups-wire-client';

const TOPIC = 'rebalance-kill';
const GROUP = 'crashers';
// ConsumerProtocolSubscription v0 of [TOPIC] (what a Java consumer sends): the group's protocol metadata.
const subscription = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 1, 0, TOPIC.length]), Buffer.from(TOPIC), Buffer.from([0xff, 0xff, 0xff, 0xff])]);

interface Described {
  groupState: string;
  members: { memberId: string; memberAssignment: Buffer }[];
}

describe('a classic group across a broker SIGKILL mid-rebalance', () => {
  let dataDir: string | undefined;
  const brokers: BrokerProcess[] = [];
  const wires: WireClient[] = [];

  afterEach(async () => {
    for (const w of wires.splice(0)) w.close();
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dataDir);
  });

  async function start(): Promise<BrokerProcess> {
    const b = await BrokerProcess.start({ dataDir: dataDir! });
    brokers.push(b);
    return b;
  }

  async function wire(b: BrokerProcess): Promise<WireClient> {
    const w = await WireClient.open(b.port);
    wires.push(w);
    return w;
  }

  /** SIGKILL, then a broker on the same data dir with fresh connections. */
  async function crashAndRestart(b: BrokerProcess): Promise<BrokerProcess> {
    for (const w of wires.splice(0)) w.close();
    await b.kill();
    return start();
  }

  const join = (w: WireClient, memberId: string) =>
    w.call(ApiKey.JoinGroup, 5, {
      groupId: GROUP, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId: null,
      protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription }],
    });

  /** The two-step join: MEMBER_ID_REQUIRED, then the join with that id (returned unawaited: it may park). */
  async function joinNew(w: WireClient): Promise<{ memberId: string; joined: Promise<{ errorCode: number; generationId: number; leader: string; memberId: string }> }> {
    const first = await join(w, '');
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    return { memberId: first.memberId as string, joined: join(w, first.memberId as string) };
  }

  const sync = (w: WireClient, generationId: number, memberId: string, assignments: { memberId: string; assignment: Buffer }[]) =>
    w.call(ApiKey.SyncGroup, 3, { groupId: GROUP, generationId, memberId, groupInstanceId: null, assignments });
  const heartbeat = async (w: WireClient, generationId: number, memberId: string): Promise<number> =>
    (await w.call(ApiKey.Heartbeat, 3, { groupId: GROUP, generationId, memberId, groupInstanceId: null })).errorCode;
  const describe_ = async (w: WireClient): Promise<Described> => (await w.call(ApiKey.DescribeGroups, 4, { groups: [GROUP], includeAuthorizedOperations: false })).groups[0];
  const membersOf = (d: Described) => d.members.map((m) => `${m.memberId}=${m.memberAssignment.toString()}`).sort();
  const committed = async (w: WireClient): Promise<bigint> =>
    (await w.call(ApiKey.OffsetFetch, 7, { groupId: GROUP, topics: [{ name: TOPIC, partitionIndexes: [0] }], requireStable: false })).topics[0].partitions[0].committedOffset;

  it('restarts at the last generation written each time; its members carry on, the others rejoin; offsets stay', async () => {
    dataDir = await makeTempDir('groups-rebalance-kill');
    let broker = await start();
    const admin = new Kafka({ clientId: 'rebalance-kill', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    // Generation 1: member a alone, synced (its GroupMetadata record), with a commit.
    let wa = await wire(broker);
    const a = await joinNew(wa);
    expect(await a.joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: a.memberId });
    expect((await sync(wa, 1, a.memberId, [{ memberId: a.memberId, assignment: Buffer.from('a1') }])).errorCode).toBe(ErrorCode.NONE);
    const commit = await wa.call(ApiKey.OffsetCommit, 7, {
      groupId: GROUP, generationIdOrMemberEpoch: 1, memberId: a.memberId, groupInstanceId: null,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 4n, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);

    // (1) b's JoinGroup is parked: the group prepares a rebalance a has not rejoined yet. SIGKILL.
    let wb = await wire(broker);
    let look = await wire(broker);
    const b = await joinNew(wb);
    await waitUntil('PreparingRebalance', async () => (await describe_(look)).groupState === 'PreparingRebalance', 10_000, 20);
    broker = await crashAndRestart(broker);
    look = await wire(broker);
    let d = await describe_(look);
    expect(d.groupState).toBe('Stable');
    expect(membersOf(d)).toEqual([`${a.memberId}=a1`]);
    expect(await heartbeat(look, 1, a.memberId)).toBe(ErrorCode.NONE);
    expect(await heartbeat(look, 1, b.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await committed(look)).toBe(4n);

    // (2) b joins again and a rejoins: generation 2 completes its join phase; nobody syncs. SIGKILL.
    wa = await wire(broker);
    wb = await wire(broker);
    const b2 = await joinNew(wb);
    await waitUntil('PreparingRebalance', async () => (await describe_(look)).groupState === 'PreparingRebalance', 10_000, 20);
    const a2 = await join(wa, a.memberId);
    const b2joined = await b2.joined;
    expect([a2.generationId, b2joined.generationId]).toEqual([2, 2]);
    expect((await describe_(look)).groupState).toBe('CompletingRebalance');
    broker = await crashAndRestart(broker);
    look = await wire(broker);
    d = await describe_(look);
    expect(d.groupState).toBe('Stable');
    expect(membersOf(d)).toEqual([`${a.memberId}=a1`]);
    // Generation 2 was never written: a is told to rejoin, b is unknown.
    expect(await heartbeat(look, 2, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await heartbeat(look, 2, b2.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await committed(look)).toBe(4n);

    // (3) They rejoin and the leader syncs generation 2. SIGKILL: generation 2 is what comes back.
    wa = await wire(broker);
    wb = await wire(broker);
    const b3 = await joinNew(wb);
    await waitUntil('PreparingRebalance', async () => (await describe_(look)).groupState === 'PreparingRebalance', 10_000, 20);
    const a3 = await join(wa, a.memberId);
    const b3joined = await b3.joined;
    expect([a3.generationId, b3joined.generationId]).toEqual([2, 2]);
    const leader = a3.leader as string;
    const [lw, fw, follower] = leader === a.memberId ? [wa, wb, b3.memberId] : [wb, wa, a.memberId];
    const followerSync = sync(fw, 2, follower, []);
    expect((await sync(lw, 2, leader, [{ memberId: a.memberId, assignment: Buffer.from('a2') }, { memberId: b3.memberId, assignment: Buffer.from('b2') }])).errorCode).toBe(ErrorCode.NONE);
    expect((await followerSync).errorCode).toBe(ErrorCode.NONE);
    broker = await crashAndRestart(broker);
    look = await wire(broker);
    d = await describe_(look);
    expect(d.groupState).toBe('Stable');
    expect(membersOf(d)).toEqual([`${a.memberId}=a2`, `${b3.memberId}=b2`].sort());
    expect(await heartbeat(look, 2, a.memberId)).toBe(ErrorCode.NONE);
    expect(await heartbeat(look, 2, b3.memberId)).toBe(ErrorCode.NONE);
    expect(await committed(look)).toBe(4n);

    // Both leave (the last leave writes the Empty generation 3); a kafkajs consumer of the group then resumes after the commit.
    const left = await look.call(ApiKey.LeaveGroup, 3, { groupId: GROUP, members: [{ memberId: a.memberId, groupInstanceId: null }, { memberId: b3.memberId, groupInstanceId: null }] });
    expect(left.members.map((m: { errorCode: number }) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect((await describe_(look)).groupState).toBe('Empty');
    const kafka = new Kafka({ clientId: 'rebalance-kill', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.key!.toString()) });
    await waitUntil('6 messages after offset 4', () => got.length >= 6, 30_000);
    await consumer.disconnect();
    expect(got).toEqual(['k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });
});
