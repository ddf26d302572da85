// Acceptance: a kafkajs consume-transform-produce pipeline over 100,000 input messages
// (MQ_TXN_PIPELINE_MESSAGES to change it) with exactly-once output: each input batch is transformed
// and produced in a transaction that also commits the group's input offsets (sendOffsets). Midway
// the first worker produces a batch and aborts instead of committing, then stops, as a crash would
// leave it; a second worker with the same transactional.id resumes from the committed offsets and
// reprocesses that batch. A read_committed reader must see every output exactly once; a
// read_uncommitted one also sees the aborted copies.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const TOTAL = Number(process.env.MQ_TXN_PIPELINE_MESSAGES ?? 100_000);
const PARTITIONS = 3;

let dataDir: string;
let broker: Broker;
let kafka: Kafka;

beforeAll(async () => {
  dataDir = await makeTempDir('transactions-pipeline');
  broker = await startBroker({ dataDir });
  kafka = new Kafka({ clientId: 'pipeline', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 2000 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'ctp-in', numPartitions: PARTITIONS }, { topic: 'ctp-out', numPartitions: PARTITIONS }] });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let start = 0; start < TOTAL; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, TOTAL - start) }, (_, i) => ({ key: String(start + i), value: String(start + i), partition: (start + i) % PARTITIONS }));
    await producer.send({ topic: 'ctp-in', messages });
  }
  await producer.disconnect();
}, 600_000);

afterAll(async () => {
  await broker?.stop();
  await removeDir(dataDir);
});

interface Worker {
  consumer: Consumer;
  producer: Producer;
  /** Settles when the worker stopped (crashAfter) or every input is committed. */
  done: Promise<void>;
}

/**
 * One pipeline worker. `crashAfter`: once this many inputs are committed, the next batch is produced
 * and aborted, and the worker stops (its offsets stay at the last commit).
 */
/** `committed`: input offsets committed through transactions (partition → next offset), shared by the workers. */
async function startWorker(committed: Map<number, bigint>, crashAfter: number | undefined): Promise<Worker> {
  const consumer = kafka.consumer({ groupId: 'ctp', readUncommitted: false, maxWaitTimeInMs: 200 });
  const producer = kafka.producer({ transactionalId: 'ctp-worker', idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: 'ctp-in', fromBeginning: true });
  let processed = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  // Inputs i go to partition i % PARTITIONS, so partition p holds offsets 0 .. count(p) - 1.
  const count = (p: number) => BigInt(Math.floor((TOTAL - p - 1) / PARTITIONS) + 1);
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const txn = await producer.transaction();
      await txn.send({ topic: 'ctp-out', messages: batch.messages.map((m) => ({ key: m.key, value: `out-${m.value?.toString()}`, partition: batch.partition })) });
      const next = BigInt(batch.lastOffset()) + 1n;
      if (crashAfter !== undefined && processed >= crashAfter) {
        await txn.abort();
        finish();
        return;
      }
      await txn.sendOffsets({ consumerGroupId: 'ctp', topics: [{ topic: 'ctp-in', partitions: [{ partition: batch.partition, offset: next.toString() }] }] });
      await txn.commit();
      processed += batch.messages.length;
      committed.set(batch.partition, next);
      if ([...Array(PARTITIONS).keys()].every((p) => (committed.get(p) ?? 0n) >= count(p))) finish();
    },
  });
  return { consumer, producer, done };
}

async function stop(w: Worker): Promise<void> {
  await w.consumer.disconnect();
  await w.producer.disconnect();
}

async function readOutput(readUncommitted: boolean, atLeast: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `ctp-reader-${readUncommitted}`, readUncommitted, maxWaitTimeInMs: 200 });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: 'ctp-out', fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) values.push(m.value?.toString() ?? '');
          if (values.length >= atLeast) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}

describe('consume-transform-produce', () => {
  it(`produces each of ${TOTAL} outputs exactly once across a worker that aborts and stops midway`, async () => {
    const committed = new Map<number, bigint>();
    const first = await startWorker(committed, Math.floor(TOTAL / 3));
    await first.done;
    await stop(first);
    const second = await startWorker(committed, undefined);
    await second.done;
    await stop(second);

    const out = await readOutput(false, TOTAL);
    expect(out.length).toBe(TOTAL);
    const distinct = new Set(out);
    expect(distinct.size).toBe(TOTAL);
    for (let i = 0; i < TOTAL; i += 997) expect(distinct.has(`out-${i}`)).toBe(true);
    // The aborted batch is in the log: a read_uncommitted reader sees more than TOTAL records.
    const raw = await readOutput(true, TOTAL + 1);
    expect(raw.length).toBeGreaterThan(TOTAL);
  }, 1_200_000);
});
