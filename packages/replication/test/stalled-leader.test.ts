// A follower whose leader stops answering (SIGSTOPped, or cut off: its socket stays open, no reply
// comes) must still take the next leadership at once: a leadership change waits for the answer
// being applied, never for a request in flight — which would hold it for replica.socket.timeout.ms.
// The manual clock is not advanced by those tests, so that timeout never fires: a stall would hang
// the test. The fetch deadline's tests advance it: a request the leader leaves unanswered is given
// up after replica.fetch.wait.max.ms + slack (not replica.socket.timeout.ms) and the fetcher
// reconnects; and a fetcher left without partitions closes its connection.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@mq/protocol';
import { TopicManager } from '@mq/partition';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplicaManager, replicaFetchDeadlineMs } from '../src/index';
import { LocalControlPlane } from './local-control-plane';

let dir: string;
let tm: TopicManager;
let rm1: ReplicaManager;
let cp: LocalControlPlane;
let silent: Server;
const sockets: Socket[] = [];
let requested: Promise<void>;
let clock: ManualClock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-replication-stalled-'));
  tm = await TopicManager.open({ dataDir: dir });
  await tm.createTopic('t', 1, {});
  // The "leader": accepts, reads, never answers.
  let gotRequest!: () => void;
  requested = new Promise<void>((r) => (gotRequest = r));
  silent = createServer((s) => {
    sockets.push(s);
    s.on('data', () => gotRequest());
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const { port } = silent.address() as { port: number };
  cp = new LocalControlPlane();
  clock = new ManualClock();
  rm1 = new ReplicaManager({
    nodeId: 1,
    topics: tm,
    clock,
    resolveBroker: (id) => (id === 2 ? { host: '127.0.0.1', port } : undefined),
    alterPartition: cp.alterPartition,
  });
  cp.managers.push(rm1);
});

afterEach(async () => {
  await rm1.close();
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a follower of a leader that stopped answering', () => {
  it('becomes leader in the next epoch without waiting for its request in flight', async () => {
    const topicId = tm.get('t')!.topicId;
    await cp.publish({ topicId, topic: 't', partition: 0, leader: 2, leaderEpoch: 4, partitionEpoch: 1, replicas: [2, 1], isr: [2, 1] });
    await requested; // its OffsetForLeaderEpoch is out, and will never be answered
    await cp.elect('t', 0, 1, [1]);
    expect(rm1.checkLeader('t', 0, 5)).toBe(ErrorCode.NONE);
    expect(tm.get('t')!.partitions[0]!.leaderEpoch).toBe(5);
  });

  it('leaves the replicas without waiting either', async () => {
    const topicId = tm.get('t')!.topicId;
    await cp.publish({ topicId, topic: 't', partition: 0, leader: 2, leaderEpoch: 4, partitionEpoch: 1, replicas: [2, 1], isr: [2, 1] });
    await requested;
    await rm1.removePartition('t', 0);
    expect(rm1.isReplicated('t', 0)).toBe(false);
  });
});

describe('the replica fetch deadline', () => {
  it('gives up a request the leader leaves unanswered after replica.fetch.wait.max.ms + slack, well before replica.socket.timeout.ms, and connects again', async () => {
    const deadline = replicaFetchDeadlineMs(rm1.config);
    expect(deadline).toBe(rm1.config.replicaFetchWaitMaxMs + 3_000);
    expect(deadline).toBeLessThan(rm1.config.replicaSocketTimeoutMs);
    const topicId = tm.get('t')!.topicId;
    await cp.publish({ topicId, topic: 't', partition: 0, leader: 2, leaderEpoch: 4, partitionEpoch: 1, replicas: [2, 1], isr: [2, 1] });
    await requested;
    expect(sockets).toHaveLength(1);
    const first = sockets[0]!;
    const closed = new Promise<void>((r) => first.once('close', () => r()));
    clock.advance(deadline);
    await closed;
    // After replica.fetch.backoff.ms on the clock, a new connection (to the endpoint read anew).
    await expect.poll(() => {
      clock.advance(100);
      return sockets.length;
    }).toBe(2);
  });

  it('closes its connection to a leader it no longer fetches from', async () => {
    const topicId = tm.get('t')!.topicId;
    await cp.publish({ topicId, topic: 't', partition: 0, leader: 2, leaderEpoch: 4, partitionEpoch: 1, replicas: [2, 1], isr: [2, 1] });
    await requested;
    const closed = new Promise<void>((r) => sockets[0]!.once('close', () => r()));
    await cp.elect('t', 0, 1, [1]);
    await closed;
    expect(sockets).toHaveLength(1);
  });
});
