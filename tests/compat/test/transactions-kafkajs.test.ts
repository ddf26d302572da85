// Acceptance: transactions with the kafkajs 2.2.4 transactional producer against a real broker —
// a transaction over several partitions committed and one aborted, read by read_committed consumers
// (only committed records, each once) and read_uncommitted ones (both); sendOffsets commits a
// group's offsets only with the transaction; a second producer with the same transactional.id
// fences the first. kafkajs sends EndTxn v1, older than PRODUCER_FENCED (v2, KIP-588), so — as from
// Kafka — the fenced zombie is told INVALID_PRODUCER_EPOCH (non-retriable, the producer is dead).
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

let dataDir: string;
let broker: Broker;
let kafka: Kafka;

beforeAll(async () => {
  dataDir = await makeTempDir('transactions-kafkajs');
  broker = await startBroker({ dataDir, config: { autoCreateTopicsEnable: false } });
  kafka = new Kafka({ clientId: 'txn', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'txn-out', numPartitions: 3 }, { topic: 'txn-offsets', numPartitions: 1 }, { topic: 'txn-zombie', numPartitions: 1 }] });
  await admin.disconnect();
}, 120_000);

afterAll(async () => {
  await broker?.stop();
  await removeDir(dataDir);
});

/** Reads `topic` from the beginning until `expected` values arrived (or `settleMs` of silence after a high-watermark end marker). */
async function readAll(topic: string, readUncommitted: boolean, until: (values: string[]) => boolean): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${topic}-${readUncommitted}-${Math.random()}`, readUncommitted, maxWaitTimeInMs: 200 });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }: EachMessagePayload) => {
          values.push(message.value?.toString() ?? '');
          if (until(values)) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}

describe('kafkajs transactions', () => {
  it('commits and aborts across partitions; read_committed sees only committed records, once', async () => {
    const producer = kafka.producer({ transactionalId: 'tx-multi', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committed = await producer.transaction();
    for (let p = 0; p < 3; p++) await committed.send({ topic: 'txn-out', messages: [{ value: `c${p}-a`, partition: p }, { value: `c${p}-b`, partition: p }] });
    await committed.commit();
    const aborted = await producer.transaction();
    for (let p = 0; p < 3; p++) await aborted.send({ topic: 'txn-out', messages: [{ value: `x${p}`, partition: p }] });
    await aborted.abort();
    // A last committed transaction: readers stop once they saw it, so the aborted one lies before.
    const last = await producer.transaction();
    for (let p = 0; p < 3; p++) await last.send({ topic: 'txn-out', messages: [{ value: `end${p}`, partition: p }] });
    await last.commit();
    await producer.disconnect();

    const ends = (vs: string[]) => [0, 1, 2].every((p) => vs.includes(`end${p}`));
    const committedView = await readAll('txn-out', false, ends);
    expect([...committedView].sort()).toEqual(['c0-a', 'c0-b', 'c1-a', 'c1-b', 'c2-a', 'c2-b', 'end0', 'end1', 'end2']);
    const uncommittedView = await readAll('txn-out', true, ends);
    expect([...uncommittedView].sort()).toEqual(['c0-a', 'c0-b', 'c1-a', 'c1-b', 'c2-a', 'c2-b', 'end0', 'end1', 'end2', 'x0', 'x1', 'x2']);
  });

  it('sendOffsets: the group sees the offsets only when the transaction commits', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ transactionalId: 'tx-offsets', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const groupOffset = async () => (await admin.fetchOffsets({ groupId: 'g-txn', topics: ['txn-offsets'] }))[0]!.partitions[0]!.offset;
    try {
      const t1 = await producer.transaction();
      await t1.send({ topic: 'txn-offsets', messages: [{ value: 'v1' }] });
      await t1.sendOffsets({ consumerGroupId: 'g-txn', topics: [{ topic: 'txn-offsets', partitions: [{ partition: 0, offset: '5' }] }] });
      expect(await groupOffset()).toBe('-1');
      await t1.abort();
      expect(await groupOffset()).toBe('-1');
      const t2 = await producer.transaction();
      await t2.sendOffsets({ consumerGroupId: 'g-txn', topics: [{ topic: 'txn-offsets', partitions: [{ partition: 0, offset: '7' }] }] });
      await t2.commit();
      expect(await groupOffset()).toBe('7');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('a second producer with the same transactional.id fences the first', async () => {
    const zombie = kafka.producer({ transactionalId: 'tx-zombie', idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 50 } });
    await zombie.connect();
    const open = await zombie.transaction();
    await open.send({ topic: 'txn-zombie', messages: [{ value: 'zombie-1' }] });
    const fresh = kafka.producer({ transactionalId: 'tx-zombie', idempotent: true, maxInFlightRequests: 1 });
    await fresh.connect();
    try {
      const t = await fresh.transaction();
      await t.send({ topic: 'txn-zombie', messages: [{ value: 'fresh-1' }] });
      await t.commit();
      const err = await open.commit().then(
        () => new Error('the zombie committed'),
        (e: unknown) => e as Error & { type?: string },
      );
      expect(err).toMatchObject({ name: 'KafkaJSProtocolError', type: 'INVALID_PRODUCER_EPOCH', retriable: false });
      const seen = await readAll('txn-zombie', false, (vs) => vs.includes('fresh-1'));
      expect(seen).toEqual(['fresh-1']);
    } finally {
      await fresh.disconnect();
      await zombie.disconnect().catch(() => undefined);
    }
  });
});
