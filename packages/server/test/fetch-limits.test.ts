// Fetch size limits over real sockets: KIP-74 (only the first batch of a response may exceed
// max_bytes / partition_max_bytes), the broker's fetch.max.bytes cap, and that a consumer paging
// with a limit below its batch size still reads everything.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, readBatchHeader, splitBatches } from '@mq/records';
import { ApiKey } from '@mq/protocol';
import type { BrokerConfig } from '../src/index';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker?.stop();
  broker = undefined;
});

async function start(config: Partial<BrokerConfig> = {}): Promise<{ b: TestBroker; c: RawClient }> {
  broker = await startTestBroker(config);
  const c = await RawClient.connect(broker.port);
  clients.push(c);
  return { b: broker, c };
}

/** One batch of one incompressible record of `valueBytes`. */
function bigBatch(valueBytes: number): Promise<Buffer> {
  return buildRecordBatch({ records: [{ key: null, value: randomBytes(valueBytes) }] });
}

async function produce(c: RawClient, topic: string, partition: number, records: Buffer): Promise<void> {
  const res = (await c.send(ApiKey.Produce, 7, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  })) as { responses: { partitionResponses: { errorCode: number }[] }[] };
  expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
}

interface FetchedPartition {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  records: Buffer;
}

async function fetch(
  c: RawClient,
  topic: string,
  maxBytes: number,
  partitions: { partition: number; fetchOffset: bigint; partitionMaxBytes: number }[],
): Promise<FetchedPartition[]> {
  const res = (await c.send(ApiKey.Fetch, 11, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: partitions.map((p) => ({ ...p, currentLeaderEpoch: -1, logStartOffset: -1n })) }],
    forgottenTopicsData: [],
    rackId: '',
  })) as { responses: { partitions: FetchedPartition[] }[] };
  return res.responses[0]!.partitions;
}

function batchCount(records: Buffer): number {
  return splitBatches(records).batches.length;
}

const MIB = 1 << 20;
const ALL_THREE = [0, 1, 2].map((partition) => ({ partition, fetchOffset: 0n, partitionMaxBytes: MIB }));

async function threePartitionsOf920KB(c: RawClient, b: TestBroker): Promise<number> {
  await b.topics.createTopic('big', 3);
  const batch = await bigBatch(920_000);
  for (const p of [0, 1, 2]) await produce(c, 'big', p, batch);
  return batch.length;
}

describe('Fetch max_bytes (KIP-74)', () => {
  it('max_bytes 1,000,000 over three partitions of ~920 KB batches: the first batch only, the others empty', async () => {
    const { b, c } = await start();
    const batchBytes = await threePartitionsOf920KB(c, b);
    const parts = await fetch(c, 'big', 1_000_000, ALL_THREE);
    expect(parts.map((p) => p.errorCode)).toEqual([0, 0, 0]);
    expect(parts.map((p) => p.highWatermark)).toEqual([1n, 1n, 1n]);
    expect(parts.map((p) => p.records.length)).toEqual([batchBytes, 0, 0]);
  });

  it('the broker caps a Fetch asking for 2^31-1 with fetch.max.bytes', async () => {
    const { b, c } = await start({ fetchMaxBytes: 1_000_000 });
    const batchBytes = await threePartitionsOf920KB(c, b);
    const parts = await fetch(c, 'big', 0x7fffffff, ALL_THREE);
    expect(parts.map((p) => p.records.length)).toEqual([batchBytes, 0, 0]);
    // With the default cap (55 MiB) the same request gets all three.
    await b.stop();
    const again = await start();
    await threePartitionsOf920KB(again.c, again.b);
    const all = await fetch(again.c, 'big', 0x7fffffff, ALL_THREE);
    expect(all.map((p) => p.records.length)).toEqual([batchBytes, batchBytes, batchBytes]);
  });

  it('the first batch goes out whole above max_bytes and partition_max_bytes; an empty partition does not count as first', async () => {
    const { b, c } = await start();
    await b.topics.createTopic('big', 3);
    const batch = await bigBatch(50_000);
    await produce(c, 'big', 1, batch);
    await produce(c, 'big', 2, batch);
    const parts = await fetch(c, 'big', 100, ALL_THREE.map((p) => ({ ...p, partitionMaxBytes: 10 })));
    expect(parts.map((p) => p.records.length)).toEqual([0, batch.length, 0]);
  });

  it('honours partition_max_bytes per partition and max_bytes across them, in whole batches', async () => {
    const { b, c } = await start();
    await b.topics.createTopic('small', 2);
    const batch = await bigBatch(1_000);
    for (let i = 0; i < 4; i++) {
      await produce(c, 'small', 0, batch);
      await produce(c, 'small', 1, batch);
    }
    const n = batch.length;
    // Partition 0: two batches fit in 2.5 batches. Partition 1: one fits in what is left of 3.5.
    const parts = await fetch(c, 'small', Math.floor(3.5 * n), [
      { partition: 0, fetchOffset: 0n, partitionMaxBytes: Math.floor(2.5 * n) },
      { partition: 1, fetchOffset: 0n, partitionMaxBytes: MIB },
    ]);
    expect(parts.map((p) => batchCount(p.records))).toEqual([2, 1]);
    // A later partition whose next batch is larger than its partition_max_bytes gets nothing.
    const capped = await fetch(c, 'small', MIB, [
      { partition: 0, fetchOffset: 0n, partitionMaxBytes: MIB },
      { partition: 1, fetchOffset: 0n, partitionMaxBytes: n - 1 },
    ]);
    expect(capped.map((p) => batchCount(p.records))).toEqual([4, 0]);
  });

  it('a consumer paging with max_bytes below two batches reads every batch of every partition', async () => {
    const { b, c } = await start({ fetchMaxBytes: 1_000_000 });
    await b.topics.createTopic('page', 3);
    const batch = await bigBatch(400_000);
    for (let i = 0; i < 3; i++) for (const p of [0, 1, 2]) await produce(c, 'page', p, batch);
    const next = [0n, 0n, 0n];
    for (let round = 0; round < 20 && next.some((o) => o < 3n); round++) {
      const parts = await fetch(
        c,
        'page',
        0x7fffffff,
        next.map((fetchOffset, partition) => ({ partition, fetchOffset, partitionMaxBytes: MIB })),
      );
      const total = parts.reduce((s, p) => s + p.records.length, 0);
      expect(total).toBeLessThanOrEqual(1_000_000);
      for (const p of parts) {
        for (const { batch: got } of splitBatches(p.records).batches) {
          const h = readBatchHeader(got);
          expect(h.baseOffset).toBe(next[p.partitionIndex]);
          next[p.partitionIndex] = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
        }
      }
    }
    expect(next).toEqual([3n, 3n, 3n]);
  });
});
