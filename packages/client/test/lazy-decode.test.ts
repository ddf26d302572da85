// Lazy decoding of fetched record batches: compressed and plain batches side by side, a control
// batch (transaction marker) skipped, records before the fetch offset inside a compressed batch
// skipped, a trailing partial batch left for the next fetch, fields read only when touched; and
// through a real broker, a seek into the middle of a compressed batch.
import { Compression, buildEndTxnMarker, buildRecordBatch } from '@mq/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecords } from '../src/consumer/fetcher';
import { type Harness, pollUntil, startHarness, topicName } from './helpers';

const rec = (i: number) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: [{ key: 'i', value: Buffer.from(String(i)) }], timestamp: 1000n + BigInt(i) });

describe('decodeRecords (lazy)', () => {
  it('skips control batches and records before the fetch offset, keeps a partial batch for later', async () => {
    // No broker yet, so plain-JS codecs (zstd decodes only): the compressed batch here is snappy.
    const snappy = await buildRecordBatch({ records: [0, 1, 2, 3, 4].map(rec), baseOffset: 10n, compression: Compression.snappy });
    const marker = await buildEndTxnMarker({ baseOffset: 15n, producerId: 7n, producerEpoch: 0, coordinatorEpoch: 0, commit: true, timestamp: 2000n });
    const plain = await buildRecordBatch({ records: [{ key: null, value: null, timestamp: 3000n }, rec(17)], baseOffset: 16n });
    const next = await buildRecordBatch({ records: [rec(18)], baseOffset: 18n, compression: Compression.lz4 });
    const data = Buffer.concat([snappy, marker, plain, next.subarray(0, next.length - 3)]);
    const { records, nextOffset } = await decodeRecords('t', 3, data, 12n);
    expect(nextOffset).toBe(18n);
    expect(records.map((r) => r.offset)).toEqual([12n, 13n, 14n, 16n, 17n]);
    // Values first, keys later: each field is read from the buffer on its own.
    expect(records.map((r) => r.value?.toString() ?? null)).toEqual(['v2', 'v3', 'v4', null, 'v17']);
    expect(records.map((r) => r.key?.toString() ?? null)).toEqual(['k2', 'k3', 'k4', null, 'k17']);
    expect(records.map((r) => r.timestamp)).toEqual([1002n, 1003n, 1004n, 3000n, 1017n]);
    expect(records[0]!.headers).toEqual([{ key: 'i', value: Buffer.from('2') }]);
    expect(records[3]!.headers).toEqual([]);
    expect([records[4]!.topic, records[4]!.partition]).toEqual(['t', 3]);
  });

  it('reads timestamp deltas of every varlong length, negative ones included, without losing precision', async () => {
    const timestamps = [5_000_000_000n, 1000n, 5_000_000_000n + 2n ** 40n, 5_000_000_000n + 134_217_727n, 5_000_000_000n - 134_217_728n];
    const b = await buildRecordBatch({ records: timestamps.map((timestamp) => ({ key: null, value: Buffer.from('x'), timestamp })) });
    const { records } = await decodeRecords('t', 0, b, 0n);
    expect(records.map((r) => r.timestamp)).toEqual(timestamps);
  });

  it('reads LogAppendTime batches as their maxTimestamp', async () => {
    const b = await buildRecordBatch({ records: [rec(0), rec(1)], timestampType: 'LogAppendTime' });
    const { records } = await decodeRecords('t', 0, b, 0n);
    expect(records.map((r) => r.timestamp)).toEqual([1001n, 1001n]);
  });

  it('rejects a batch whose CRC does not match', async () => {
    const b = await buildRecordBatch({ records: [rec(0)] });
    b.writeUInt8(b.readUInt8(b.length - 1) ^ 0xff, b.length - 1);
    await expect(decodeRecords('t', 0, b, 0n)).rejects.toThrow(/CRC/);
  });
});

describe('consumer over compressed batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a seek into the middle of a compressed batch starts exactly there', async () => {
    const topic = topicName('lazy-zstd');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = h.client.producer({ compression: 'zstd', lingerMs: 50 });
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    const consumer = h.client.consumer({ maxWaitMs: 100 });
    consumer.assign([{ topic, partition: 0, offset: 37n }]);
    const got = await pollUntil(() => consumer.poll(), 13);
    expect(got.map((r) => `${r.offset}:${r.key!.toString()}:${r.value!.toString()}`)).toEqual(Array.from({ length: 13 }, (_, i) => `${37 + i}:k${37 + i}:v${37 + i}`));
    await consumer.close();
    await producer.close();
  });
});
