// ShareCoordinator on a real TopicManager in a temp dir with a ManualClock: membership and the
// broker's assignment, bad heartbeats, share sessions, fetch → acknowledge through the wire-shaped
// API, lock expiry with a higher delivery count, and a restart that keeps every acknowledgement.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcknowledgeType as A } from '../src/record-state';
import { ShareCoordinator } from '../src/share-coordinator';
import { ShareOffsetsAdmin } from '../src/share-offsets-admin';
import type { ShareFetchRequest } from '../src/share-protocol';

const meta = { clientId: 'test', clientHost: '127.0.0.1' };
let dir: string;
let clock: ManualClock;
let topics: TopicManager;

async function openAll(): Promise<ShareCoordinator> {
  topics = await TopicManager.open({ dataDir: dir, clock });
  return ShareCoordinator.open({ topicManager: topics, clock, config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 3, recordLockDurationMs: 1000, snapshotUpdateRecordsPerSnapshot: 3 } });
}

async function produce(topic: string, n: number): Promise<void> {
  const p = topics.partition(topic, 0);
  for (let i = 0; i < n; i++) await p.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from(`m${i}`) }] }));
}

function fetchReq(memberId: string, epoch: number, topicId: string, acks: { firstOffset: bigint; lastOffset: bigint; acknowledgeTypes: number[] }[] = []): ShareFetchRequest {
  return {
    groupId: 'g',
    memberId,
    shareSessionEpoch: epoch,
    maxRecords: 100,
    maxBytes: 1 << 20,
    isRenewAck: false,
    allowRenew: true,
    topics: [{ topicId, partitions: [{ partitionIndex: 0, acknowledgementBatches: acks }] }],
    forgottenTopicsData: [],
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-share-'));
  clock = new ManualClock();
});
afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ShareCoordinator', () => {
  it('assigns the subscribed partitions to every member; fences stale epochs; rejects unknown members', async () => {
    const share = await openAll();
    await topics.createTopic('t', 2);
    const a = share.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    expect(a.errorCode).toBe(ErrorCode.NONE);
    expect(a.assignment?.topicPartitions[0]?.partitions).toEqual([0, 1]);
    const b = share.heartbeat({ groupId: 'g', memberId: 'b', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    expect(b.assignment?.topicPartitions[0]?.partitions).toEqual([1]);
    const a2 = share.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: a.memberEpoch, rackId: null, subscribedTopicNames: null }, meta);
    expect(a2.memberEpoch).toBe(b.memberEpoch);
    expect(a2.assignment?.topicPartitions[0]?.partitions).toEqual([0]);
    expect(share.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: a.memberEpoch, rackId: null, subscribedTopicNames: null }, meta).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(share.heartbeat({ groupId: 'g', memberId: 'zz', memberEpoch: 3, rackId: null, subscribedTopicNames: null }, meta).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(share.heartbeat({ groupId: 'g', memberId: 'c', memberEpoch: 0, rackId: null, subscribedTopicNames: null }, meta).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(share.heartbeat({ groupId: 'g', memberId: '', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(share.heartbeat({ groupId: '', memberId: 'x', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    const [described] = share.describeGroups(['g']);
    expect(described).toMatchObject({ groupState: 'Stable', assignorName: 'simple' });
    expect(described!.members.map((m) => m.memberId).sort()).toEqual(['a', 'b']);
    expect(share.describeGroups(['nope'])[0]!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    // A member without heartbeats past the session timeout is removed.
    clock.advance(share.config.sessionTimeoutMs);
    expect(share.listGroups()).toEqual([{ groupId: 'g', groupState: 'Empty' }]);
    await share.close();
  });

  it('fetch acquires, piggybacked acks accept and release; session epochs are checked', async () => {
    const share = await openAll();
    const t = (await topics.createTopic('t', 1))!;
    await produce('t', 5);
    share.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    const first = await share.shareFetch(fetchReq('a', 0, t.topicId));
    expect(first.errorCode).toBe(ErrorCode.NONE);
    const part = first.responses[0]!.partitions[0]!;
    expect(part.acquiredRecords).toEqual([{ firstOffset: 0n, lastOffset: 4n, deliveryCount: 1 }]);
    expect(part.records!.length).toBe(5);
    expect((await share.shareFetch(fetchReq('a', 5, t.topicId))).errorCode).toBe(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    expect((await share.shareFetch(fetchReq('zz', 1, t.topicId))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await share.shareFetch(fetchReq('a', 0, t.topicId, [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [1] }]))).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    // The epoch-0 request above opened a new session: continue from 1.
    const second = await share.shareFetch(fetchReq('a', 1, t.topicId, [{ firstOffset: 0n, lastOffset: 4n, acknowledgeTypes: [A.ACCEPT, A.ACCEPT, A.RELEASE, A.ACCEPT, A.ACCEPT] }]));
    const p2 = second.responses[0]!.partitions[0]!;
    expect(p2.acknowledgeErrorCode).toBe(ErrorCode.NONE);
    expect(p2.acquiredRecords).toEqual([{ firstOffset: 2n, lastOffset: 2n, deliveryCount: 2 }]);
    const bad = await share.shareAcknowledge({ groupId: 'g', memberId: 'a', shareSessionEpoch: 2, allowRenew: false, topics: [{ topicId: t.topicId, partitions: [{ partitionIndex: 0, acknowledgementBatches: [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.ACCEPT] }] }] }] });
    expect(bad.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INVALID_RECORD_STATE);
    expect((await share.shareAcknowledge({ groupId: 'g', memberId: 'a', shareSessionEpoch: 0, allowRenew: false, topics: [] })).errorCode).toBe(ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    await share.close();
  });

  it('a ShareFetch its client gave up on (the member sent a newer request) acquires nothing for it', async () => {
    const share = await openAll();
    const t = (await topics.createTopic('t', 1))!;
    share.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    expect((await share.shareFetch(fetchReq('a', 0, t.topicId))).responses).toEqual([]);
    // A long poll at epoch 1 waits for records; meanwhile the member opens a new session (its client timed out).
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const polling = share.shareFetch(fetchReq('a', 1, t.topicId), async () => {
      await woken;
      return false;
    });
    expect((await share.shareFetch(fetchReq('a', 0, t.topicId))).responses).toEqual([]);
    await produce('t', 5);
    wake();
    expect((await polling).responses).toEqual([]);
    // Nothing stayed locked to the abandoned request: the new session gets every record, first delivery.
    const fresh = await share.shareFetch(fetchReq('a', 1, t.topicId));
    expect(fresh.responses[0]!.partitions[0]!.acquiredRecords).toEqual([{ firstOffset: 0n, lastOffset: 4n, deliveryCount: 1 }]);
    // The same for a request overtaken by the next epoch while it was still reading.
    await produce('t', 3);
    const overtaken = share.shareFetch(fetchReq('a', 2, t.topicId));
    const next = share.shareFetch(fetchReq('a', 3, t.topicId));
    expect((await overtaken).responses).toEqual([]);
    expect((await next).responses[0]!.partitions[0]!.acquiredRecords).toEqual([{ firstOffset: 5n, lastOffset: 7n, deliveryCount: 1 }]);
    await share.close();
  });

  it('three members on one partition share its record locks with the default config (parked fetches woken when locks free up)', async () => {
    topics = await TopicManager.open({ dataDir: dir, clock });
    const share = await ShareCoordinator.open({ topicManager: topics, clock, config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 1 } });
    expect(share.config.partitionMaxRecordLocks).toBe(200);
    expect(share.config.memberMaxRecordLocks).toBe(0);
    const t = (await topics.createTopic('t', 1))!;
    await topics.partition('t', 0).append(await buildRecordBatch({ records: Array.from({ length: 1000 }, (_, i) => ({ key: null, value: Buffer.from(`m${i}`) })) }));
    for (const m of ['a', 'b', 'c']) share.heartbeat({ groupId: 'g', memberId: m, memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    const req = (memberId: string, epoch: number, acks: { firstOffset: bigint; lastOffset: bigint; acknowledgeTypes: number[] }[] = []) => ({ ...fetchReq(memberId, epoch, t.topicId, acks), maxRecords: 500 });
    const count = (res: Awaited<ReturnType<ShareCoordinator['shareFetch']>>) =>
      (res.responses[0]?.partitions[0]?.acquiredRecords ?? []).reduce((n, r) => n + Number(r.lastOffset - r.firstOffset + 1n), 0);
    // Alone, a member may take every lock of the share-partition.
    const a0 = await share.shareFetch(req('a', 0));
    expect(count(a0)).toBe(200);
    // b and c long-poll: nothing free. Their waits end on `woken` (locks freed) or when the test gives up.
    let giveUp = () => {};
    const gaveUp = new Promise<void>((resolve) => {
      giveUp = resolve;
    });
    const parkedMembers: string[] = [];
    const longPoll = (memberId: string) =>
      share.shareFetch(req(memberId, 0), async (_partitions, woken) => {
        parkedMembers.push(memberId);
        await Promise.race([gaveUp, new Promise<void>((resolve) => woken.addEventListener('abort', () => resolve(), { once: true }))]);
        return woken.aborted;
      });
    const b = longPoll('b');
    const c = longPoll('c');
    while (parkedMembers.length < 2) await new Promise((r) => setImmediate(r));
    // a accepts all 200 and fetches again in the same request: it gets its third, the parked ones the rest.
    const a1 = await share.shareFetch(req('a', 1, [{ firstOffset: 0n, lastOffset: 199n, acknowledgeTypes: [A.ACCEPT] }]));
    giveUp();
    const [b1, c1] = await Promise.all([b, c]);
    expect(a1.responses[0]!.partitions[0]!.acknowledgeErrorCode).toBe(ErrorCode.NONE);
    // Each at most its third (ceil(200 / 3) = 67): which one gets 66 depends on who acquires last.
    expect([count(a1), count(b1), count(c1)].sort()).toEqual([66, 67, 67]);
    const sp = share.sharePartitionOf('g', t.topicId, 0)!;
    expect([sp.acquiredBy('a'), sp.acquiredBy('b'), sp.acquiredBy('c')]).toEqual([count(a1), count(b1), count(c1)]);
    // b and c close their sessions (their records go back); a alone may hold all 200 locks again.
    await share.shareFetch({ ...req('b', -1), topics: [] });
    await share.shareFetch({ ...req('c', -1), topics: [] });
    const held = a1.responses[0]!.partitions[0]!.acquiredRecords;
    const a2 = await share.shareFetch(req('a', 2, held.map((r) => ({ firstOffset: r.firstOffset, lastOffset: r.lastOffset, acknowledgeTypes: [A.ACCEPT] }))));
    expect(count(a2)).toBe(200);
    await share.close();
  });

  it('__share_group_state is pruned to the earliest snapshot still needed (a quiet share-partition snapshotted afresh); a reopen loads the same state', async () => {
    // Locks outlast the test's clock: b's records are still held when the broker stops.
    const config = { autoOffsetReset: 'earliest' as const, stateTopicNumPartitions: 1, recordLockDurationMs: 3_600_000, snapshotUpdateRecordsPerSnapshot: 3, stateTopicPruneIntervalMs: 60_000 };
    topics = await TopicManager.open({ dataDir: dir, clock });
    let share = await ShareCoordinator.open({ topicManager: topics, clock, config });
    const t = (await topics.createTopic('t', 1))!;
    await produce('t', 40);
    // A quiet share-partition (group q): its first write, a snapshot, comes first; b accepts 0-1 and holds 2-3.
    expect((await share.acquire('q', 'b', 't', 0, 4)).acquired).toEqual([{ firstOffset: 0n, lastOffset: 3n, deliveryCount: 1 }]);
    expect(await share.acknowledge('q', 'b', 't', 0, [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    // A busy one (group g): 40 records acquired and accepted two at a time, a snapshot every 3 updates.
    for (let o = 0n; o < 40n; o += 2n) {
      expect((await share.acquire('g', 'a', 't', 0, 2)).acquired).toEqual([{ firstOffset: o, lastOffset: o + 1n, deliveryCount: 1 }]);
      expect(await share.acknowledge('g', 'a', 't', 0, [{ firstOffset: o, lastOffset: o + 1n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    }
    const state = topics.partition('__share_group_state', 0);
    const written = state.highWatermark;
    expect(written).toBeGreaterThan(40n);
    // The first prune (on its timer): q's snapshot at the start holds everything after it back.
    clock.advance(60_000);
    await share.pruneState();
    expect(state.logStartOffset).toBeLessThan(3n);
    expect(state.highWatermark).toBe(written);
    // Nothing written since: nothing to delete, no snapshot taken afresh.
    clock.advance(60_000);
    expect(await share.pruneState()).toEqual([]);
    expect(state.highWatermark).toBe(written);
    // g works on (records 40-41, two updates). The next prune snapshots q and g afresh (both last
    // snapshotted before the previous prune) and deletes everything before those two snapshots.
    await produce('t', 2);
    expect((await share.acquire('g', 'a', 't', 0, 2)).acquired).toEqual([{ firstOffset: 40n, lastOffset: 41n, deliveryCount: 1 }]);
    expect(await share.acknowledge('g', 'a', 't', 0, [{ firstOffset: 40n, lastOffset: 41n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    clock.advance(60_000);
    const [moved] = await share.pruneState();
    const end = state.highWatermark;
    expect(end).toBe(written + 4n);
    expect(moved).toEqual({ partition: 0, logStartOffset: end - 2n });
    expect(state.logStartOffset).toBe(end - 2n);
    // Idle again: the two snapshots stay, nothing moves.
    clock.advance(60_000);
    expect(await share.pruneState()).toEqual([]);
    expect(state.highWatermark).toBe(end);
    await share.close();
    await topics.close();
    // Reopened from the pruned log: g is done, q's accepted records stay accepted, its held ones come back.
    topics = await TopicManager.open({ dataDir: dir, clock });
    share = await ShareCoordinator.open({ topicManager: topics, clock, config });
    expect(topics.partition('__share_group_state', 0).logStartOffset).toBe(end - 2n);
    expect(share.startOffsetOf({ groupId: 'g', topicId: t.topicId, partition: 0 })).toBe(42n);
    expect(share.startOffsetOf({ groupId: 'q', topicId: t.topicId, partition: 0 })).toBe(2n);
    expect((await share.acquire('g', 'a2', 't', 0, 10)).acquired).toEqual([]);
    expect((await share.acquire('q', 'b2', 't', 0, 4)).acquired).toEqual([
      { firstOffset: 2n, lastOffset: 3n, deliveryCount: 2 },
      { firstOffset: 4n, lastOffset: 5n, deliveryCount: 1 },
    ]);
    await share.close();
  });

  it('a restart keeps every acknowledgement; acquired records come back with their delivery count', async () => {
    let share = await openAll();
    const t = (await topics.createTopic('t', 1))!;
    await produce('t', 10);
    const got = await share.acquire('g', 'a', 't', 0, 6);
    expect(got.acquired).toEqual([{ firstOffset: 0n, lastOffset: 5n, deliveryCount: 1 }]);
    // Several acknowledgements: updates, then a snapshot (every 3 updates here), then updates again.
    for (const o of [0n, 1n, 3n, 4n]) expect(await share.acknowledge('g', 'a', 't', 0, [{ firstOffset: o, lastOffset: o, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    await share.close();
    await topics.close();

    share = await openAll();
    expect(share.listGroups()).toEqual([{ groupId: 'g', groupState: 'Empty' }]);
    const again = await share.acquire('g', 'b', 't', 0, 100);
    // 0, 1, 3, 4 accepted before the restart; 2 and 5 were acquired and are delivered a second time.
    expect(again.acquired).toEqual([
      { firstOffset: 2n, lastOffset: 2n, deliveryCount: 2 },
      { firstOffset: 5n, lastOffset: 5n, deliveryCount: 2 },
      { firstOffset: 6n, lastOffset: 9n, deliveryCount: 1 },
    ]);
    const sp = share.sharePartitionOf('g', t.topicId, 0)!;
    expect(sp.startOffset).toBe(2n);
    // The lock runs out on the ManualClock: available again, third delivery.
    clock.advance(1000);
    const third = await share.acquire('g', 'c', 't', 0, 1);
    expect(third.acquired).toEqual([{ firstOffset: 2n, lastOffset: 2n, deliveryCount: 3 }]);
    await share.close();
  });

  it('offsets admin: describe, alter (empty groups only), delete', async () => {
    const share = await openAll();
    const admin = new ShareOffsetsAdmin(share, topics);
    await topics.createTopic('t', 1);
    await produce('t', 4);
    await share.acquire('g', 'a', 't', 0, 2);
    await share.acknowledge('g', 'a', 't', 0, [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }]);
    expect((await admin.describe('g', null)).topics).toEqual([{ topicName: 't', topicId: topics.get('t')!.topicId, partitions: [{ partitionIndex: 0, startOffset: 2n, errorCode: 0, errorMessage: null }] }]);
    expect((await admin.describe('nope', null)).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    const altered = await admin.alter('g', [{ topicName: 't', partitions: [{ partitionIndex: 0, startOffset: 3n }, { partitionIndex: 9, startOffset: 0n }] }]);
    expect(altered.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect((await share.acquire('g', 'a', 't', 0, 10)).acquired).toEqual([{ firstOffset: 3n, lastOffset: 3n, deliveryCount: 1 }]);
    share.heartbeat({ groupId: 'g', memberId: 'm', memberEpoch: 0, rackId: null, subscribedTopicNames: ['t'] }, meta);
    expect((await admin.alter('g', [{ topicName: 't', partitions: [{ partitionIndex: 0, startOffset: 0n }] }])).errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);
    share.heartbeat({ groupId: 'g', memberId: 'm', memberEpoch: -1, rackId: null, subscribedTopicNames: null }, meta);
    expect((await admin.delete('g', ['t'])).topics[0]!.errorCode).toBe(ErrorCode.NONE);
    expect((await admin.describe('g', null)).topics).toEqual([]);
    expect(await share.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(share.listGroups()).toEqual([]);
    await share.close();
  });
});
