// The transaction coordinator following __transaction_state leadership (a cluster's failover) on a
// real TopicManager with a leadership source the test drives (in a broker it is the ReplicaManager):
// no topic yet → COORDINATOR_NOT_AVAILABLE; led here → served; leadership gone → NOT_COORDINATOR and
// the EndTxn in flight is told so; the next coordinator loads the prepared commit and finishes it,
// its markers carrying the new leader epoch as coordinator epoch.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoordinatorLeadershipSource, type LeadershipChange, PartitionRecordWriter } from '@mq/coordinator';
import { type Partition, ProducerIdManager, TopicManager } from '@mq/partition';
import { ErrorCode as E } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTxnMarkerWriter, TRANSACTION_STATE_TOPIC, TransactionCoordinator, TxnState, type TxnMarkerRequest, type TxnMarkerWriter } from '../src/index';

const PARTITIONS = 2;
let dir: string;
let tm: TopicManager;
const clock = new SystemClock();
const open: TransactionCoordinator[] = [];

/** A broker's view of leadership, announced by the test. */
class TestSource implements CoordinatorLeadershipSource {
  private readonly listeners = new Set<(c: LeadershipChange) => void>();
  exists = false;
  watchLeadership(_topic: string, fn: (c: LeadershipChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  partitionCount(): number | undefined {
    return this.exists ? PARTITIONS : undefined;
  }
  writerFor(partition: Partition): PartitionRecordWriter {
    return new PartitionRecordWriter(partition, () => clock.now());
  }
  announce(change: LeadershipChange): void {
    for (const fn of this.listeners) fn(change);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-txn-leadership-'));
  tm = await TopicManager.open({ dataDir: dir });
  await tm.createTopic('data', 1);
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

async function coordinatorOn(source: TestSource, markers: TxnMarkerWriter): Promise<TransactionCoordinator> {
  const c = await TransactionCoordinator.open({
    topicManager: tm,
    producerIds: new ProducerIdManager(tm.store),
    markers,
    clock,
    groupPartitionFor: () => 0,
    config: { transactionStateLogNumPartitions: PARTITIONS },
    leadership: source,
  });
  open.push(c);
  return c;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('TransactionCoordinator with leadership', () => {
  it('serves where __transaction_state is led and, after a failover, the next coordinator completes the prepared commit', async () => {
    const first = new TestSource();
    const never: TxnMarkerWriter = { write: (_m, parts) => Promise.resolve(parts.map((p) => ({ ...p, errorCode: E.NOT_LEADER_OR_FOLLOWER }))) };
    const a = await coordinatorOn(first, never);
    // The controller has not created the topic yet: clients are told to come back.
    expect(a.coordinatorStatus('app')).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect((await a.initProducerId({ transactionalId: 'app', transactionTimeoutMs: 30_000, producerId: -1n, producerEpoch: -1 })).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);

    // What the controller does in a cluster: the topic appears in the metadata.
    const state = await tm.ensureInternalTopic(TRANSACTION_STATE_TOPIC, PARTITIONS, { 'cleanup.policy': 'compact' });
    first.exists = true;
    const index = a.partitionFor('app');
    const led = state.partitions[index]!;
    // Created, not led here (yet): NOT_COORDINATOR, as on every broker but the leader.
    expect(a.coordinatorStatus('app')).toBe(E.NOT_COORDINATOR);
    await led.makeLeader(3);
    first.announce({ partitionIndex: index, partition: led, leaderEpoch: 3 });
    await until(() => a.coordinatorStatus('app') === E.NONE);
    expect(a.coordinatorStatus('app')).toBe(E.NONE);

    const { errorCode, producerId, producerEpoch } = await a.initProducerId({ transactionalId: 'app', transactionTimeoutMs: 30_000, producerId: -1n, producerEpoch: -1 });
    expect(errorCode).toBe(E.NONE);
    const me = { transactionalId: 'app', producerId, producerEpoch };
    expect(await a.addPartitions(me, [{ topic: 'data', partition: 0 }])).toBe(E.NONE);
    const data = tm.get('data')!.partitions[0]!;
    await data.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }], producerId, producerEpoch, baseSequence: 0, transactional: true }));
    // The markers never get through: the commit stays PrepareCommit, EndTxn waits.
    const ending = a.endTxn(me, true);
    await until(() => a.metadata('app')?.state === TxnState.PrepareCommit);
    expect(a.metadata('app')?.state).toBe(TxnState.PrepareCommit);

    // Leadership moves away: A stops coordinating and answers the waiting EndTxn NOT_COORDINATOR.
    first.announce({ partitionIndex: index, partition: undefined, leaderEpoch: 4 });
    expect(await ending).toBe(E.NOT_COORDINATOR);
    expect(a.coordinatorStatus('app')).toBe(E.NOT_COORDINATOR);

    // B becomes the leader (epoch 4): it loads the PrepareCommit and re-sends the markers itself.
    const second = new TestSource();
    second.exists = true;
    const sent: TxnMarkerRequest[] = [];
    const local = new LocalTxnMarkerWriter(tm, () => undefined);
    const b = await coordinatorOn(second, { write: (m, parts) => (sent.push(m), local.write(m, parts)) });
    await led.makeLeader(4);
    second.announce({ partitionIndex: index, partition: led, leaderEpoch: 4 });
    await until(() => b.metadata('app')?.state === TxnState.CompleteCommit);
    expect(b.metadata('app')?.state).toBe(TxnState.CompleteCommit);
    expect(sent.map((m) => [m.commit, m.coordinatorEpoch, m.producerId])).toEqual([[true, 4, producerId]]);
    expect(data.lastStableOffset).toBe(data.highWatermark);
    expect(data.abortedTransactions(0n, 10n)).toEqual([]);
    // The client's retried EndTxn, now at B, is answered as the completed commit.
    expect(await b.endTxn(me, true)).toBe(E.NONE);
  });
});
