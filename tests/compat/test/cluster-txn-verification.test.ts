// KIP-890 part 1 across brokers, on a real 3-broker cluster (etcd, brokers as processes): a
// transactional Produce to a partition whose leader is not the transactional id's coordinator is
// verified by that leader with the coordinator (AddPartitionsToTxn v4 verify_only between the
// brokers) before it is appended. Raw requests (@mq/client's Connection), so each refusal is seen
// with its code: a partition not added to the transaction is INVALID_TXN_STATE and nothing is
// stored; once added, the batch and the next ones are appended; a fenced epoch is
// INVALID_PRODUCER_EPOCH; an unknown producer id INVALID_PRODUCER_ID_MAPPING; pipelined batches of
// a transaction's start keep their order. Then the bad-input codes of the transaction APIs, a
// verified TxnOffsetCommit, and DescribeTransactions / ListTransactions / DescribeProducers.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Connection } from '@mq/client';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveKafka } from '../src/cluster-failover';

const TOPIC = 'txn-verify';
const PARTITIONS = 6;
let cluster: RunningCluster;
const connections = new Map<number, Connection>();

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': '3' } });
  const admin = liveKafka(cluster).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 2 }], waitForLeaders: true });
  await admin.disconnect();
}, 180_000);

afterAll(async () => {
  for (const c of connections.values()) c.close();
  await cluster?.stop();
});

async function connectionTo(nodeId: number): Promise<Connection> {
  let c = connections.get(nodeId);
  if (c === undefined) {
    const b = cluster.broker(nodeId);
    c = await Connection.connect({ host: b.host, port: b.port, clientId: 'txn-verify' });
    connections.set(nodeId, c);
  }
  return c;
}

async function leaders(): Promise<Map<number, number>> {
  const md = await (await connectionTo(cluster.brokers[0]!.nodeId)).request(ApiKey.Metadata, { topics: [{ name: TOPIC }], allowAutoTopicCreation: false }, { version: 9 });
  return new Map(md.topics[0]!.partitions.map((p) => [p.partitionIndex, p.leaderId]));
}

/** The coordinator's node id once __transaction_state is led (FindCoordinator retried meanwhile). */
async function coordinatorOf(transactionalId: string): Promise<number> {
  const conn = await connectionTo(cluster.brokers[0]!.nodeId);
  let nodeId = -1;
  await expect
    .poll(
      async () => {
        const r = await conn.request(ApiKey.FindCoordinator, { key: transactionalId, keyType: 1 }, { version: 2 });
        nodeId = r.errorCode === ErrorCode.NONE ? r.nodeId : -1;
        return nodeId;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBeGreaterThanOrEqual(0);
  return nodeId;
}

interface Producer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  coordinator: number;
}

async function initProducer(transactionalId: string, coordinator: number): Promise<Producer> {
  const conn = await connectionTo(coordinator);
  let r = { errorCode: -1, producerId: -1n, producerEpoch: -1 };
  await expect
    .poll(
      async () => {
        r = await conn.request(ApiKey.InitProducerId, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 }, { version: 3 });
        return r.errorCode;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe(ErrorCode.NONE);
  return { transactionalId, producerId: r.producerId, producerEpoch: r.producerEpoch, coordinator };
}

async function addPartition(p: Producer, partition: number): Promise<number> {
  const r = await (await connectionTo(p.coordinator)).request(
    ApiKey.AddPartitionsToTxn,
    { v3AndBelowTransactionalId: p.transactionalId, v3AndBelowProducerId: p.producerId, v3AndBelowProducerEpoch: p.producerEpoch, v3AndBelowTopics: [{ name: TOPIC, partitions: [partition] }] },
    { version: 3 },
  );
  return r.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode;
}

/** One transactional batch of one record to `partition` at its leader; the partition's error code. */
async function produce(p: Producer, leader: number, partition: number, baseSequence: number, value: string): Promise<number> {
  const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from(value) }], producerId: p.producerId, producerEpoch: p.producerEpoch, baseSequence, transactional: true });
  const r = await (await connectionTo(leader)).request(
    ApiKey.Produce,
    { transactionalId: p.transactionalId, acks: -1, timeoutMs: 30_000, topicData: [{ name: TOPIC, partitionData: [{ index: partition, records }] }] },
    { version: 9 },
  );
  return r.responses[0]!.partitionResponses[0]!.errorCode;
}

async function logEnd(leader: number, partition: number): Promise<bigint> {
  const r = await (await connectionTo(leader)).request(
    ApiKey.ListOffsets,
    { replicaId: -1, isolationLevel: 0, topics: [{ name: TOPIC, partitions: [{ partitionIndex: partition, timestamp: -1n, currentLeaderEpoch: -1 }] }] },
    { version: 5 },
  );
  return r.topics[0]!.partitions[0]!.offset;
}

describe('transactional produce verified with a coordinator on another broker', () => {
  it('INVALID_TXN_STATE before AddPartitionsToTxn, appended after it, INVALID_PRODUCER_EPOCH once fenced', async () => {
    const transactionalId = 'txn-verify-1';
    const coordinator = await coordinatorOf(transactionalId);
    const byLeader = await leaders();
    // Partitions led by the other brokers: their produce path must ask the coordinator remotely.
    const remote = [...byLeader].filter(([, leader]) => leader >= 0 && leader !== coordinator).map(([partition]) => partition);
    expect(remote.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = [remote[0]!, remote[1]!, remote[2]!];
    const leaderOf = (partition: number) => byLeader.get(partition)!;

    const p = await initProducer(transactionalId, coordinator);
    expect(await produce(p, leaderOf(first), first, 0, 'not-added')).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await logEnd(leaderOf(first), first)).toBe(0n);

    expect(await addPartition(p, first)).toBe(ErrorCode.NONE);
    expect(await produce(p, leaderOf(first), first, 0, 'added-1')).toBe(ErrorCode.NONE);
    expect(await produce(p, leaderOf(first), first, 1, 'added-2')).toBe(ErrorCode.NONE);
    expect(await logEnd(leaderOf(first), first)).toBe(2n);
    // Still outside the transaction: the second partition was never added.
    expect(await produce(p, leaderOf(second), second, 0, 'not-added')).toBe(ErrorCode.INVALID_TXN_STATE);

    // A new InitProducerId fences the epoch (its open transaction is aborted): the old epoch's
    // first write to a partition (verified remotely) is refused as fenced.
    const fresh = await initProducer(transactionalId, coordinator);
    expect(fresh.producerEpoch).toBeGreaterThan(p.producerEpoch);
    expect(await produce(p, leaderOf(second), second, 0, 'zombie')).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await logEnd(leaderOf(second), second)).toBe(0n);

    // A producer id the coordinator never gave this transactional id.
    expect(await produce({ ...fresh, producerId: fresh.producerId + 1_000n }, leaderOf(second), second, 0, 'unknown')).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    // The fresh epoch, once it added the partition, writes there.
    expect(await addPartition(fresh, second)).toBe(ErrorCode.NONE);
    expect(await produce(fresh, leaderOf(second), second, 0, 'fresh')).toBe(ErrorCode.NONE);
    // Pipelined batches (one connection, not awaited in between) of a transaction's start in a
    // partition: the later ones wait for the first one's verification and append in sequence order.
    expect(await addPartition(fresh, third)).toBe(ErrorCode.NONE);
    const pipelined = await Promise.all([0, 1, 2, 3].map((seq) => produce(fresh, leaderOf(third), third, seq, `pipelined-${seq}`)));
    expect(pipelined).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE]);
    expect(await logEnd(leaderOf(third), third)).toBe(4n);
  });

  it('bad input over the wire: EndTxn unknown or fenced, AddPartitionsToTxn before InitProducerId, a timeout above transaction.max.timeout.ms', async () => {
    const transactionalId = 'txn-verify-bad';
    const coordinator = await coordinatorOf(transactionalId);
    const conn = await connectionTo(coordinator);
    const endTxn = async (producerId: bigint, producerEpoch: number, version: number) =>
      (await conn.request(ApiKey.EndTxn, { transactionalId, producerId, producerEpoch, committed: true }, { version })).errorCode;
    // Nothing known about the id yet.
    expect(await endTxn(0n, 0, 3)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await addPartition({ transactionalId, producerId: 0n, producerEpoch: 0, coordinator }, 0)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    // transaction.max.timeout.ms is 900 000 by default.
    const tooLong = await conn.request(ApiKey.InitProducerId, { transactionalId, transactionTimeoutMs: 900_001, producerId: -1n, producerEpoch: -1 }, { version: 3 });
    expect(tooLong.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const old = await initProducer(transactionalId, coordinator);
    // No transaction open: EndTxn has nothing to end.
    expect(await endTxn(old.producerId, old.producerEpoch, 3)).toBe(ErrorCode.INVALID_TXN_STATE);
    const fresh = await initProducer(transactionalId, coordinator);
    // The fenced epoch: PRODUCER_FENCED from EndTxn v2 on, INVALID_PRODUCER_EPOCH before (KIP-588).
    expect(await endTxn(fresh.producerId, old.producerEpoch, 3)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await endTxn(fresh.producerId, old.producerEpoch, 1)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('TxnOffsetCommit at a group coordinator that is not the transaction coordinator is verified there', async () => {
    const transactionalId = 'txn-verify-offsets';
    const coordinator = await coordinatorOf(transactionalId);
    const conn = await connectionTo(cluster.brokers[0]!.nodeId);
    let groupId = '';
    let groupCoordinator = -1;
    for (let i = 0; groupCoordinator < 0 || groupCoordinator === coordinator; i++) {
      groupId = `txn-verify-group-${i}`;
      const r = await conn.request(ApiKey.FindCoordinator, { key: groupId, keyType: 0 }, { version: 2 });
      groupCoordinator = r.errorCode === ErrorCode.NONE ? r.nodeId : -1;
    }
    const p = await initProducer(transactionalId, coordinator);
    const txnOffsetCommit = async () => {
      const r = await (await connectionTo(groupCoordinator)).request(
        ApiKey.TxnOffsetCommit,
        {
          transactionalId,
          groupId,
          producerId: p.producerId,
          producerEpoch: p.producerEpoch,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }] }],
        },
        { version: 3 },
      );
      return r.topics[0]!.partitions[0]!.errorCode;
    };
    // No AddOffsetsToTxn: the group's offsets partition is not in the transaction.
    expect(await txnOffsetCommit()).toBe(ErrorCode.INVALID_TXN_STATE);
    const added = await (await connectionTo(coordinator)).request(ApiKey.AddOffsetsToTxn, { transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, groupId }, { version: 3 });
    expect(added.errorCode).toBe(ErrorCode.NONE);
    expect(await txnOffsetCommit()).toBe(ErrorCode.NONE);
    const ended = await (await connectionTo(coordinator)).request(ApiKey.EndTxn, { transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, committed: true }, { version: 3 });
    expect(ended.errorCode).toBe(ErrorCode.NONE);
  });

  it('DescribeTransactions, ListTransactions and DescribeProducers show an open transaction, then its end', async () => {
    const transactionalId = 'txn-verify-describe';
    const coordinator = await coordinatorOf(transactionalId);
    const leader = (await leaders()).get(0)!;
    const p = await initProducer(transactionalId, coordinator);
    expect(await addPartition(p, 0)).toBe(ErrorCode.NONE);
    const start = await logEnd(leader, 0);
    expect(await produce(p, leader, 0, 0, 'described')).toBe(ErrorCode.NONE);
    const conn = await connectionTo(coordinator);
    const describe = async () => (await conn.request(ApiKey.DescribeTransactions, { transactionalIds: [transactionalId] }, { version: 0 })).transactionStates[0]!;
    const open = await describe();
    expect([open.errorCode, open.transactionState, open.producerId, open.topics]).toEqual([ErrorCode.NONE, 'Ongoing', p.producerId, [{ topic: TOPIC, partitions: [0] }]]);
    const listed = await conn.request(ApiKey.ListTransactions, { stateFilters: ['Ongoing'], producerIdFilters: [p.producerId] }, { version: 0 });
    expect(listed.transactionStates).toEqual([{ transactionalId, producerId: p.producerId, transactionState: 'Ongoing' }]);
    const producers = await (await connectionTo(leader)).request(ApiKey.DescribeProducers, { topics: [{ name: TOPIC, partitionIndexes: [0] }] }, { version: 0 });
    const mine = producers.topics[0]!.partitions[0]!.activeProducers.find((a) => a.producerId === p.producerId);
    expect([mine?.producerEpoch, mine?.currentTxnStartOffset]).toEqual([p.producerEpoch, start]);

    const ended = await conn.request(ApiKey.EndTxn, { transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, committed: true }, { version: 3 });
    expect(ended.errorCode).toBe(ErrorCode.NONE);
    await expect.poll(async () => (await describe()).transactionState, { timeout: 30_000, interval: 200 }).toBe('CompleteCommit');
  });
});
