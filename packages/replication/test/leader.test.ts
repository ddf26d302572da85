// The leader's side of ReplicaManager on real partitions with a manual clock: the high watermark is
// min LEO over the ISR, acks=all waits for it, min.insync.replicas refuses before and flags after
// the append, the ISR shrinks after replica.lag.time.max.ms and expands when a follower catches up,
// epochs fence requests, stale or repeated partition states change nothing, and a leader whose
// membership lease is lost steps back once its followers stop fetching (and only then).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@mq/protocol';
import { type Partition, TopicManager } from '@mq/partition';
import { buildRecordBatch } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplicaManager } from '../src/index';
import { LocalControlPlane } from './local-control-plane';

const LAG_MS = 10_000;
let dir: string;
let tm: TopicManager;
let clock: ManualClock;
let cp: LocalControlPlane;
let rm1: ReplicaManager;
let p: Partition;
/** The broker registrations the leader sees (resolveBroker): followers 2 and 3, each with a broker epoch. */
let registered: Map<number, { host: string; port: number; brokerEpoch: number }>;

const batch = (n: number) => buildRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-replication-leader-'));
  tm = await TopicManager.open({ dataDir: dir, defaults: { 'flush.messages': '1' } });
  p = (await tm.createTopic('t', 1, { 'min.insync.replicas': '2' }))!.partitions[0]!;
  clock = new ManualClock();
  cp = new LocalControlPlane();
  registered = new Map([
    [2, { host: '127.0.0.1', port: 1, brokerEpoch: 20 }],
    [3, { host: '127.0.0.1', port: 1, brokerEpoch: 30 }],
  ]);
  rm1 = new ReplicaManager({
    nodeId: 1,
    topics: tm,
    clock,
    resolveBroker: (id) => registered.get(id),
    brokerEpoch: () => 10,
    alterPartition: cp.alterPartition,
    config: { replicaLagTimeMaxMs: LAG_MS },
  });
  cp.managers.push(rm1);
  await cp.publish({ topicId: tm.get('t')!.topicId, topic: 't', partition: 0, leader: 1, leaderEpoch: 3, partitionEpoch: 7, replicas: [1, 2, 3], isr: [1, 2, 3] });
});

afterEach(async () => {
  await rm1.close();
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('leader', () => {
  it('moves the HW to the lowest ISR log end and completes acks=all only then', async () => {
    expect(p.leaderEpoch).toBe(3);
    const a = await p.append(await batch(5));
    expect(p.highWatermark).toBe(0n);
    let answered: number | undefined;
    const waiting = rm1.awaitIsr('t', 0, a.lastOffset, 30_000).then((c) => (answered = c));
    expect(rm1.recordFollowerFetch('t', 0, 2, 5n, 3)).toBe(ErrorCode.NONE);
    expect(p.highWatermark).toBe(0n); // follower 3 has not fetched in this epoch
    expect(rm1.recordFollowerFetch('t', 0, 3, 2n, 3)).toBe(ErrorCode.NONE);
    expect(p.highWatermark).toBe(2n);
    await Promise.resolve();
    expect(answered).toBeUndefined();
    rm1.recordFollowerFetch('t', 0, 3, 5n, 3);
    expect(p.highWatermark).toBe(5n);
    expect(await waiting).toBe(ErrorCode.NONE);
    // Consumers read only below the HW.
    const b = await p.append(await batch(1));
    expect(b.baseOffset).toBe(5n);
    expect(p.highWatermark).toBe(5n);
    expect((await p.read(5n, 1 << 20)).length).toBe(0);
  });

  it('shrinks the ISR after the lag time, then acks=all answers NOT_ENOUGH_REPLICAS(_AFTER_APPEND)', async () => {
    const a = await p.append(await batch(2));
    const waiting = rm1.awaitIsr('t', 0, a.lastOffset, 60_000);
    rm1.recordFollowerFetch('t', 0, 2, 0n, 3);
    rm1.recordFollowerFetch('t', 0, 3, 0n, 3);
    clock.advance(LAG_MS + LAG_MS / 2 + 1);
    await expect.poll(() => cp.states.get('t-0')!.isr).toEqual([1]);
    expect(cp.proposals.at(-1)).toMatchObject({ leaderEpoch: 3, partitionEpoch: 7, isr: [1] });
    // The HW moved to the leader's end once the shrink committed; the write reached too few replicas.
    expect(p.highWatermark).toBe(2n);
    expect(await waiting).toBe(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    expect(rm1.checkProduce('t', 0, -1)).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(rm1.checkProduce('t', 0, 1)).toBe(ErrorCode.NONE);
  });

  it('keeps a follower that keeps catching up, expands the ISR when one returns', async () => {
    await p.append(await batch(3));
    for (let i = 0; i < 4; i++) {
      rm1.recordFollowerFetch('t', 0, 2, 3n, 3);
      clock.advance(LAG_MS / 2);
    }
    await expect.poll(() => cp.states.get('t-0')!.isr).toEqual([1, 2]);
    // Follower 3 comes back and catches up to the HW: proposed and committed back into the ISR.
    rm1.recordFollowerFetch('t', 0, 3, 1n, 3);
    expect(cp.states.get('t-0')!.isr).toEqual([1, 2]);
    rm1.recordFollowerFetch('t', 0, 3, 3n, 3);
    await expect.poll(() => cp.states.get('t-0')!.isr).toEqual([1, 2, 3]);
    expect(cp.states.get('t-0')!.partitionEpoch).toBe(9);
    // One shrink, one expansion, each counted once (the commit's answer and its watch both reach the leader).
    await expect.poll(() => rm1.stats.isrExpands).toBe(1);
    expect(rm1.stats.isrShrinks).toBe(1);
  });

  it('reports each follower\'s lag behind the leader\'s log end in records and ms', async () => {
    await p.append(await batch(5));
    rm1.recordFollowerFetch('t', 0, 2, 5n, 3);
    rm1.recordFollowerFetch('t', 0, 3, 2n, 3);
    clock.advance(700);
    const lag = new Map([...rm1.followerLag()].map((l) => [l.replica, l]));
    expect(lag.get(2)).toMatchObject({ topic: 't', partition: 0, lagRecords: 0n, lagMs: 0 });
    // Follower 3 last had everything when this leadership began (it was in the ISR then): 700 ms ago.
    expect(lag.get(3)).toMatchObject({ lagRecords: 3n, lagMs: 700 });
    rm1.recordFollowerFetch('t', 0, 3, 5n, 3);
    expect([...rm1.followerLag()].find((l) => l.replica === 3)).toMatchObject({ lagRecords: 0n, lagMs: 0 });
  });

  it('proposes no ISR expansion for a caught-up follower whose broker is not registered; once it is, proposes with the broker epochs it saw (KIP-841)', async () => {
    await cp.publish({ ...cp.states.get('t-0')!, partitionEpoch: 8, isr: [1, 2] });
    registered.delete(3);
    await p.append(await batch(3));
    rm1.recordFollowerFetch('t', 0, 2, 3n, 3);
    for (let i = 0; i < 5; i++) {
      rm1.recordFollowerFetch('t', 0, 3, 3n, 3);
      clock.advance(600); // past the retry backoff of a refused proposal: there is none to retry
    }
    expect(cp.proposals.filter((q) => q.isr.includes(3))).toEqual([]);
    expect(rm1.partitionState('t', 0)!.isr).toEqual([1, 2]);
    // Its registration arrives: the next fetch proposes it, naming the epochs this leader saw.
    registered.set(3, { host: '127.0.0.1', port: 1, brokerEpoch: 31 });
    rm1.recordFollowerFetch('t', 0, 3, 3n, 3);
    await expect.poll(() => cp.states.get('t-0')!.isr).toEqual([1, 2, 3]);
    expect(cp.proposals.filter((q) => q.isr.includes(3))).toHaveLength(1);
    expect(cp.proposals.at(-1)).toMatchObject({
      isr: [1, 2, 3],
      brokerEpoch: 10,
      isrWithEpochs: [
        { brokerId: 1, brokerEpoch: 10 },
        { brokerId: 2, brokerEpoch: 20 },
        { brokerId: 3, brokerEpoch: 31 },
      ],
    });
  });

  it('v15 fetches: proposes a follower under the broker epoch it fetched with, not a restart\'s old registration; refuses an older epoch (KIP-903)', async () => {
    await cp.publish({ ...cp.states.get('t-0')!, partitionEpoch: 8, isr: [1, 2] });
    await p.append(await batch(3));
    expect(rm1.recordFollowerFetch('t', 0, 2, 3n, 3, 20)).toBe(ErrorCode.NONE);
    // Broker 3 restarted: its old registration (epoch 30) is still in the leader's image, the new
    // process fetches before it registered (replica_epoch -1) and catches up — not proposed.
    for (let i = 0; i < 3; i++) {
      expect(rm1.recordFollowerFetch('t', 0, 3, 3n, 3, -1)).toBe(ErrorCode.NONE);
      clock.advance(600);
    }
    // Registered as 31 in etcd, the leader's image still at 30: still not proposed.
    expect(rm1.recordFollowerFetch('t', 0, 3, 3n, 3, 31)).toBe(ErrorCode.NONE);
    clock.advance(600);
    expect(cp.proposals.filter((q) => q.isr.includes(3))).toEqual([]);
    // The image catches up: a fetch naming an older epoch is a gone incarnation's — refused, not recorded.
    registered.set(3, { host: '127.0.0.1', port: 1, brokerEpoch: 31 });
    expect(rm1.recordFollowerFetch('t', 0, 3, 3n, 3, 30)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(cp.proposals.filter((q) => q.isr.includes(3))).toEqual([]);
    // The new incarnation's next fetch proposes it under its own epoch.
    expect(rm1.recordFollowerFetch('t', 0, 3, 3n, 3, 31)).toBe(ErrorCode.NONE);
    await expect.poll(() => cp.states.get('t-0')!.isr).toEqual([1, 2, 3]);
    expect(cp.proposals.filter((q) => q.isr.includes(3))).toHaveLength(1);
    expect(cp.proposals.at(-1)).toMatchObject({ isrWithEpochs: [{ brokerId: 1, brokerEpoch: 10 }, { brokerId: 2, brokerEpoch: 20 }, { brokerId: 3, brokerEpoch: 31 }] });
  });

  it('answers acks=all REQUEST_TIMED_OUT on its timeout and NOT_LEADER_OR_FOLLOWER when leadership moves', async () => {
    const a = await p.append(await batch(1));
    const timedOut = rm1.awaitIsr('t', 0, a.lastOffset, 1_000);
    clock.advance(1_000);
    expect(await timedOut).toBe(ErrorCode.REQUEST_TIMED_OUT);
    const moved = rm1.awaitIsr('t', 0, a.lastOffset, 30_000);
    await cp.elect('t', 0, 2);
    expect(await moved).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.checkProduce('t', 0, 1)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.currentLeader('t', 0)).toEqual({ leaderId: 2, leaderEpoch: 4 });
  });

  it('with its membership lease lost, steps back once its followers stop fetching: nothing answered as leader, no ISR proposal', async () => {
    // The ISR shrink is due (no follower fetched for the lag time) but the control plane is out of
    // reach: the followers have gone to the leader the controller elected when this lease ran out.
    const a = await p.append(await batch(2));
    const waiting = rm1.awaitIsr('t', 0, a.lastOffset, 60_000);
    rm1.recordFollowerFetch('t', 0, 2, 0n, 3);
    rm1.recordFollowerFetch('t', 0, 3, 0n, 3);
    rm1.controlPlaneLost(true);
    expect(rm1.checkProduce('t', 0, 1)).toBe(ErrorCode.NONE); // its followers fetched just now
    clock.advance(LAG_MS + LAG_MS / 2 + 1);
    expect(await waiting).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(cp.proposals).toEqual([]);
    expect(rm1.isStranded('t', 0)).toBe(true);
    expect(rm1.checkProduce('t', 0, 1)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.checkProduce('t', 0, -1)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.recordFollowerFetch('t', 0, 2, 2n, 3)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    // No KIP-951 hint naming itself: the client should ask another broker.
    expect(rm1.currentLeader('t', 0)).toEqual({ leaderId: -1, leaderEpoch: -1 });
    expect(await rm1.awaitIsr('t', 0, a.lastOffset, 60_000)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    // Registered again with its image caught up, and still the leader there: it leads again.
    rm1.controlPlaneLost(false);
    expect(rm1.checkProduce('t', 0, 1)).toBe(ErrorCode.NONE);
    expect(rm1.currentLeader('t', 0)).toEqual({ leaderId: 1, leaderEpoch: 3 });
  });

  it('with its membership lease lost but its followers fetching (etcd down, every broker alive), goes on leading', async () => {
    const a = await p.append(await batch(2));
    rm1.controlPlaneLost(true);
    for (let i = 0; i < 4; i++) {
      rm1.recordFollowerFetch('t', 0, 2, a.lastOffset + 1n, 3);
      rm1.recordFollowerFetch('t', 0, 3, a.lastOffset + 1n, 3);
      clock.advance(LAG_MS / 2);
    }
    expect(rm1.isStranded('t', 0)).toBe(false);
    expect(rm1.checkProduce('t', 0, -1)).toBe(ErrorCode.NONE);
    expect(await rm1.awaitIsr('t', 0, a.lastOffset, 60_000)).toBe(ErrorCode.NONE);
  });

  it('fences requests by leader epoch and ignores stale or repeated states', async () => {
    expect(rm1.checkLeader('t', 0, 2)).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect(rm1.checkLeader('t', 0, 4)).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect(rm1.checkLeader('t', 0, 3)).toBe(ErrorCode.NONE);
    expect(rm1.checkLeader('t', 0)).toBe(ErrorCode.NONE);
    expect(rm1.checkLeader('t', 1)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.recordFollowerFetch('t', 0, 9, 0n, 3)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER); // not a replica
    expect(rm1.recordFollowerFetch('t', 0, 2, 99n, 3)).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const state = cp.states.get('t-0')!;
    await rm1.applyPartitionState(state);
    await rm1.applyPartitionState({ ...state, leader: 2, leaderEpoch: 2 });
    expect(rm1.partitionState('t', 0)).toBe(state);
    expect(rm1.checkLeader('t', 0)).toBe(ErrorCode.NONE);
    expect(p.leaderEpochs).toEqual([{ epoch: 3, startOffset: 0n }]);
    await expect(rm1.applyPartitionState({ ...state, topic: 'nope' })).rejects.toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  });

  it('answers OffsetForLeaderEpoch from the checkpoint, only as leader', async () => {
    await p.append(await batch(4));
    await cp.elect('t', 0, 1);
    await p.append(await batch(2));
    expect(rm1.offsetForLeaderEpoch('t', 0, 4, 3, 2)).toEqual({ errorCode: ErrorCode.NONE, leaderEpoch: 3, endOffset: 4n });
    expect(rm1.offsetForLeaderEpoch('t', 0, 4, 4, 2)).toEqual({ errorCode: ErrorCode.NONE, leaderEpoch: 4, endOffset: 6n });
    expect(rm1.offsetForLeaderEpoch('t', 0, 3, 4, 2).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    await cp.elect('t', 0, 2);
    expect(rm1.offsetForLeaderEpoch('t', 0, -1, 4, -1).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(rm1.offsetForLeaderEpoch('t', 0, -1, 4, -2)).toEqual({ errorCode: ErrorCode.NONE, leaderEpoch: 4, endOffset: 6n });
  });
});
