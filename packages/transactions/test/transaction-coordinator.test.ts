// The transaction coordinator on a real TopicManager (__transaction_state on disk) with markers
// written in process into real partitions, time on a ManualClock: begin / commit / abort, epoch
// bumps and zombie fencing (KIP-360 retries), the transaction timeout aborting a stuck
// transaction, a reloaded coordinator finishing a prepared commit, id expiration, and the Kafka
// error codes for bad input.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProducerIdManager, TopicManager } from '@mq/partition';
import { ErrorCode as E } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTxnMarkerWriter, TransactionCoordinator, TxnState, type TxnMarkerWriter } from '../src/index';

let dir: string;
let tm: TopicManager;
let clock: ManualClock;
let coordinator: TransactionCoordinator;

const CONFIG = { transactionStateLogNumPartitions: 3, abortTimedOutTransactionsIntervalMs: 1_000, transactionalIdExpirationMs: 60_000, removeExpiredTransactionalIdsIntervalMs: 10_000 };

async function openCoordinator(markers: TxnMarkerWriter = new LocalTxnMarkerWriter(tm, () => undefined)): Promise<TransactionCoordinator> {
  return TransactionCoordinator.open({
    topicManager: tm,
    producerIds: new ProducerIdManager(tm.store),
    markers,
    clock,
    groupPartitionFor: () => 0,
    config: CONFIG,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-txn-coordinator-'));
  clock = new ManualClock({ wallMs: 1_700_000_000_000 });
  tm = await TopicManager.open({ dataDir: dir, clock });
  await tm.createTopic('data', 2);
  coordinator = await openCoordinator();
});

afterEach(async () => {
  await coordinator.close();
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

async function init(transactionalId: string, timeoutMs = 30_000, producerId = -1n, producerEpoch = -1) {
  return coordinator.initProducerId({ transactionalId, transactionTimeoutMs: timeoutMs, producerId, producerEpoch });
}

const data = (p: number) => tm.get('data')!.partitions[p]!;

async function produce(producerId: bigint, producerEpoch: number, partition: number, baseSequence: number): Promise<void> {
  await data(partition).append(
    await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }], producerId, producerEpoch, baseSequence, transactional: true }),
  );
}

describe('transaction lifecycle', () => {
  it('begins on AddPartitions, commits with markers in every partition, and is idle again', async () => {
    const { errorCode, producerId, producerEpoch } = await init('t1');
    expect(errorCode).toBe(E.NONE);
    const me = { transactionalId: 't1', producerId, producerEpoch };
    expect(await coordinator.addPartitions(me, [{ topic: 'data', partition: 0 }, { topic: 'data', partition: 1 }])).toBe(E.NONE);
    expect(coordinator.metadata('t1')?.state).toBe(TxnState.Ongoing);
    expect(coordinator.verify(me, [{ topic: 'data', partition: 1 }])).toBe(E.NONE);
    await produce(producerId, producerEpoch, 0, 0);
    await produce(producerId, producerEpoch, 1, 0);
    expect(data(0).lastStableOffset).toBe(0n);
    expect(await coordinator.endTxn(me, true)).toBe(E.NONE);
    expect(coordinator.metadata('t1')?.state).toBe(TxnState.CompleteCommit);
    expect(data(0).lastStableOffset).toBe(2n);
    expect(data(1).lastStableOffset).toBe(2n);
    // A retried EndTxn of the finished commit is answered NONE; ending it the other way is not allowed.
    expect(await coordinator.endTxn(me, true)).toBe(E.NONE);
    expect(await coordinator.endTxn(me, false)).toBe(E.INVALID_TXN_STATE);
    expect(coordinator.describe(['t1'])[0]).toMatchObject({ errorCode: E.NONE, transactionState: 'CompleteCommit', producerId, topics: [] });
  });

  it('an abort indexes the transaction in each partition', async () => {
    const { producerId, producerEpoch } = await init('t2');
    const me = { transactionalId: 't2', producerId, producerEpoch };
    await coordinator.addPartitions(me, [{ topic: 'data', partition: 0 }]);
    await produce(producerId, producerEpoch, 0, 0);
    expect(await coordinator.endTxn(me, false)).toBe(E.NONE);
    expect(data(0).abortedTransactions(0n, 10n)).toEqual([{ producerId, firstOffset: 0n, lastOffset: 1n, lastStableOffset: 2n }]);
  });

  it('a new instance fences the old one: its open transaction is aborted, its epoch refused', async () => {
    const old = await init('t3');
    const zombie = { transactionalId: 't3', producerId: old.producerId, producerEpoch: old.producerEpoch };
    await coordinator.addPartitions(zombie, [{ topic: 'data', partition: 0 }]);
    await produce(old.producerId, old.producerEpoch, 0, 0);
    const fresh = await init('t3');
    expect(fresh.producerId).toBe(old.producerId);
    expect(fresh.producerEpoch).toBeGreaterThan(old.producerEpoch + 1);
    expect(data(0).abortedTransactions(0n, 10n)).toHaveLength(1);
    expect(await coordinator.endTxn(zombie, true)).toBe(E.PRODUCER_FENCED);
    expect(await coordinator.addPartitions(zombie, [{ topic: 'data', partition: 1 }])).toBe(E.PRODUCER_FENCED);
    // KIP-360: the zombie's InitProducerId with its stale epoch is fenced too.
    expect((await init('t3', 30_000, old.producerId, old.producerEpoch)).errorCode).toBe(E.PRODUCER_FENCED);
    // The current instance re-initialising with its own id and epoch gets the next epoch.
    const again = await init('t3', 30_000, fresh.producerId, fresh.producerEpoch);
    expect(again).toEqual({ errorCode: E.NONE, producerId: fresh.producerId, producerEpoch: fresh.producerEpoch + 1 });
  });

  it('a transaction past transaction.timeout.ms is aborted on the timer and its producer fenced', async () => {
    const { producerId, producerEpoch } = await init('t4', 5_000);
    const me = { transactionalId: 't4', producerId, producerEpoch };
    await coordinator.addPartitions(me, [{ topic: 'data', partition: 1 }]);
    await produce(producerId, producerEpoch, 1, 0);
    clock.advance(4_000);
    await coordinator.idle();
    expect(coordinator.metadata('t4')?.state).toBe(TxnState.Ongoing);
    clock.advance(2_000);
    for (let i = 0; i < 50 && coordinator.metadata('t4')?.state !== TxnState.CompleteAbort; i++) await new Promise((r) => setTimeout(r, 20));
    expect(coordinator.metadata('t4')).toMatchObject({ state: TxnState.CompleteAbort, producerEpoch: producerEpoch + 1 });
    expect(data(1).lastStableOffset).toBe(data(1).highWatermark);
    expect(data(1).abortedTransactions(0n, 10n)).toHaveLength(1);
    expect(await coordinator.endTxn(me, true)).toBe(E.PRODUCER_FENCED);
  });

  it('forgets ids idle past transactional.id.expiration.ms', async () => {
    await init('t5');
    clock.advance(70_000);
    for (let i = 0; i < 50 && coordinator.metadata('t5') !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(coordinator.metadata('t5')).toBeUndefined();
    expect(coordinator.describe(['t5'])[0]!.errorCode).toBe(E.TRANSACTIONAL_ID_NOT_FOUND);
  });
});

describe('recovery', () => {
  it('a coordinator reloaded with a prepared commit writes its markers and completes it', async () => {
    await coordinator.close();
    // Markers that never get written: the commit stays PrepareCommit in the log.
    const stuck: TxnMarkerWriter = { write: (_m, parts) => Promise.resolve(parts.map((p) => ({ ...p, errorCode: E.NOT_LEADER_OR_FOLLOWER }))) };
    coordinator = await openCoordinator(stuck);
    const { producerId, producerEpoch } = await init('t6');
    const me = { transactionalId: 't6', producerId, producerEpoch };
    await coordinator.addPartitions(me, [{ topic: 'data', partition: 0 }]);
    await produce(producerId, producerEpoch, 0, 0);
    const ending = coordinator.endTxn(me, true);
    for (let i = 0; i < 50 && coordinator.metadata('t6')?.state !== TxnState.PrepareCommit; i++) await new Promise((r) => setTimeout(r, 20));
    expect(coordinator.metadata('t6')?.state).toBe(TxnState.PrepareCommit);
    await coordinator.close();
    expect(await ending).toBe(E.NOT_COORDINATOR);
    coordinator = await openCoordinator();
    for (let i = 0; i < 100 && coordinator.metadata('t6')?.state !== TxnState.CompleteCommit; i++) await new Promise((r) => setTimeout(r, 20));
    expect(coordinator.metadata('t6')?.state).toBe(TxnState.CompleteCommit);
    expect(data(0).lastStableOffset).toBe(data(0).highWatermark);
    expect(data(0).abortedTransactions(0n, 10n)).toEqual([]);
  });
});

describe('bad input gets the Kafka codes', () => {
  it('a timeout above transaction.max.timeout.ms (or not positive) is INVALID_TRANSACTION_TIMEOUT', async () => {
    expect((await init('b1', 900_001)).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT);
    expect((await init('b1', 0)).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT);
  });

  it('EndTxn for an unknown id or producer id is INVALID_PRODUCER_ID_MAPPING; without a transaction INVALID_TXN_STATE', async () => {
    expect(await coordinator.endTxn({ transactionalId: 'nobody', producerId: 1n, producerEpoch: 0 }, true)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    const { producerId, producerEpoch } = await init('b2');
    expect(await coordinator.endTxn({ transactionalId: 'b2', producerId: producerId + 1n, producerEpoch }, true)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.endTxn({ transactionalId: 'b2', producerId, producerEpoch }, true)).toBe(E.INVALID_TXN_STATE);
  });

  it('AddPartitionsToTxn without InitProducerId is INVALID_PRODUCER_ID_MAPPING; verify outside a transaction INVALID_TXN_STATE', async () => {
    expect(await coordinator.addPartitions({ transactionalId: 'b3', producerId: 5n, producerEpoch: 0 }, [{ topic: 'data', partition: 0 }])).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    const { producerId, producerEpoch } = await init('b3');
    expect(coordinator.verify({ transactionalId: 'b3', producerId, producerEpoch }, [{ topic: 'data', partition: 0 }])).toBe(E.INVALID_TXN_STATE);
  });
});
