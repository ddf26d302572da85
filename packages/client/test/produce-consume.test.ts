// Producer and plain consumer against a real broker: exact round trips, murmur2 placement,
// every codec, every acks mode, idempotence, and start positions (earliest, offset, timestamp, latest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murmur2Partition, type CompressionName, type ConsumerRecord } from '../src/index';
import { type Harness, pollUntil, startHarness, topicName } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function readAll(topic: string, partitions: number, n: number): Promise<ConsumerRecord[]> {
  const consumer = h.client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  try {
    return await pollUntil(() => consumer.poll(), n);
  } finally {
    await consumer.close();
  }
}

describe('produce → consume', () => {
  it('round-trips keys, values, headers, nulls and timestamps exactly', async () => {
    const topic = topicName('exact');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = h.client.producer();
    const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const metas = await producer.send({
      topic,
      messages: [
        { key: 'k1', value: 'v1', headers: { a: '1', b: Buffer.from([0xff]) }, timestamp: 1_600_000_000_000n },
        { key: null, value: binary },
        { key: 'k3', value: null, headers: [{ key: 'dup', value: 'x' }, { key: 'dup', value: null }] },
        { value: '' },
      ],
    });
    expect(metas.map((m) => m.offset)).toEqual([0n, 1n, 2n, 3n]);
    const got = await readAll(topic, 1, 4);
    expect(got.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n]);
    expect(got[0]!.key!.toString()).toBe('k1');
    expect(got[0]!.value!.toString()).toBe('v1');
    expect(got[0]!.timestamp).toBe(1_600_000_000_000n);
    expect(got[0]!.headers.map((x) => [x.key, x.value])).toEqual([['a', Buffer.from('1')], ['b', Buffer.from([0xff])]]);
    expect(got[1]!.key).toBeNull();
    expect(Buffer.compare(got[1]!.value!, binary)).toBe(0);
    expect(got[2]!.value).toBeNull();
    expect(got[2]!.headers).toEqual([{ key: 'dup', value: Buffer.from('x') }, { key: 'dup', value: null }]);
    expect(got[3]!.value!.length).toBe(0);
  });

  it('puts keyed records where Kafka murmur2 puts them and keeps per-key order', async () => {
    const topic = topicName('keyed');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 6 }]);
    const producer = h.client.producer({ lingerMs: 2 });
    const messages = Array.from({ length: 300 }, (_, i) => ({ key: `user-${i % 17}`, value: `${i}` }));
    const metas = await producer.send({ topic, messages });
    for (let i = 0; i < messages.length; i++) {
      expect(metas[i]!.partition).toBe(murmur2Partition(Buffer.from(messages[i]!.key), 6));
    }
    const got = await readAll(topic, 6, 300);
    const perKey = new Map<string, number[]>();
    for (const r of got) {
      const k = r.key!.toString();
      perKey.set(k, [...(perKey.get(k) ?? []), Number(r.value!.toString())]);
    }
    for (const [k, values] of perKey) {
      expect(values, k).toEqual([...values].sort((a, b) => a - b));
    }
    expect(got).toHaveLength(300);
  });

  it.each<CompressionName>(['gzip', 'snappy', 'lz4', 'zstd'])('round-trips %s batches', async (compression) => {
    const topic = topicName(`codec-${compression}`);
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = h.client.producer({ compression, lingerMs: 5 });
    const values = Array.from({ length: 200 }, (_, i) => `value ${i} ${'x'.repeat(i % 50)}`);
    await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
    const got = await readAll(topic, 1, 200);
    expect(got.map((r) => r.value!.toString())).toEqual(values);
  });

  it.each([0, 1, -1] as const)('acks=%s delivers', async (acks) => {
    const topic = topicName(`acks${acks}`);
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = h.client.producer({ acks });
    const metas = await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    expect(metas.map((m) => m.offset)).toEqual(acks === 0 ? [-1n, -1n] : [0n, 1n]);
    const got = await readAll(topic, 1, 2);
    expect(got.map((r) => r.value!.toString())).toEqual(['a', 'b']);
  });

  it('idempotent producer gets a producer id and writes in sequence', async () => {
    const topic = topicName('idem');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 2 }]);
    const producer = h.client.producer({ idempotent: true, lingerMs: 1 });
    for (let round = 0; round < 3; round++) {
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: `${i}`, value: `${round}-${i}` })) });
    }
    expect(await readAll(topic, 2, 30)).toHaveLength(30);
  });

  it('auto-creates a topic on first send (broker default partitions)', async () => {
    const topic = topicName('auto');
    const metas = await h.client.producer().send({ topic, messages: [{ value: 'first' }] });
    expect(metas[0]!.offset).toBe(0n);
    expect(await h.client.admin().listTopics()).toContain(topic);
  });

  it('starts at an offset, at a timestamp, or at the end', async () => {
    const topic = topicName('positions');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = h.client.producer();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `${i}`, timestamp: 1_000_000n + BigInt(i) * 1000n })) });

    const fromOffset = h.client.consumer({ maxWaitMs: 100 });
    fromOffset.assign([{ topic, partition: 0, offset: 7n }]);
    expect((await pollUntil(() => fromOffset.poll(), 3)).map((r) => r.offset)).toEqual([7n, 8n, 9n]);

    const fromTime = h.client.consumer({ maxWaitMs: 100 });
    fromTime.assign([{ topic, partition: 0, offset: { timestamp: 1_004_500n } }]);
    expect((await pollUntil(() => fromTime.poll(), 5))[0]!.offset).toBe(5n);

    const fromEnd = h.client.consumer({ maxWaitMs: 100 });
    fromEnd.assign([{ topic, partition: 0, offset: 'latest' }]);
    expect(await fromEnd.poll()).toEqual([]);
    await producer.send({ topic, messages: [{ value: 'new' }] });
    const fresh = await pollUntil(() => fromEnd.poll(), 1);
    expect(fresh.map((r) => [r.offset, r.value!.toString()])).toEqual([[10n, 'new']]);
    expect(fromEnd.highWatermark(topic, 0)).toBe(11n);
  });

  it('carries a record larger than batchBytes and partitionMaxBytes intact', async () => {
    const topic = topicName('big');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const big = Buffer.alloc(900 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await h.client.producer({ batchBytes: 16_384 }).send({ topic, messages: [{ value: 'small' }, { value: big }, { value: 'after' }] });
    const c = h.client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50, partitionMaxBytes: 64 * 1024 });
    c.assign([{ topic, partition: 0 }]);
    const got = await pollUntil(() => c.poll(), 3);
    expect(got.map((r) => r.value!.length)).toEqual([5, big.length, 5]);
    expect(Buffer.compare(got[1]!.value!, big)).toBe(0);
  });

  it('resets an out-of-range position with autoOffsetReset', async () => {
    const topic = topicName('oor');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    await h.client.producer().send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    const c = h.client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 });
    c.assign([{ topic, partition: 0, offset: 999n }]);
    const got = await pollUntil(() => c.poll(), 2);
    expect(got.map((r) => r.offset)).toEqual([0n, 1n]);
  });

  it('rejects a partition the topic does not have and an unknown topic for consumers', async () => {
    const topic = topicName('bad-partition');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 2 }]);
    await expect(h.client.producer().send({ topic, messages: [{ value: 'x', partition: 5 }] })).rejects.toMatchObject({ errorCode: 3 });
    const c = h.client.consumer();
    c.assign([{ topic: topicName('missing'), partition: 0 }]);
    await expect(c.poll()).rejects.toMatchObject({ errorCode: 3, errorName: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
