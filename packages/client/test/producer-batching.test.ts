// Producer batching edge cases against a real broker: linger flushed by close(), a batch over the
// topic's max.message.bytes (and the idempotent sequence rewound after it), pipelined batches kept
// in order, idempotent retries across dropped connections keeping order without duplicates, and
// records sent while a partition's in-flight slots are taken sharing one batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { ApiKey } from '@mq/protocol';
import { KafkaError, MqClient, type ConsumerRecord } from '../src/index';
import { DroppingProxy } from './dropping-proxy';
import { pollUntil, topicName } from './helpers';

let proxy: DroppingProxy;
let broker: RunningBroker;
let client: MqClient;
beforeAll(async () => {
  proxy = await DroppingProxy.start();
  broker = await startBroker({ port: 0, advertisedHost: '127.0.0.1', advertisedPort: proxy.port });
  proxy.target = broker.port;
  client = new MqClient({ bootstrapServers: `127.0.0.1:${proxy.port}`, retry: { retries: 8, initialBackoffMs: 20 } });
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
  await proxy?.close();
});

async function readAll(topic: string, n: number): Promise<ConsumerRecord[]> {
  const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  consumer.assign([{ topic, partition: 0 }]);
  try {
    return await pollUntil(() => consumer.poll(), n, 60_000);
  } finally {
    await consumer.close();
  }
}

describe('producer batching', () => {
  it('close() sends what is still lingering', async () => {
    const topic = topicName('linger-close');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ lingerMs: 600_000 });
    const sent = producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.close();
    expect((await sent).map((m) => m.offset)).toEqual([0n, 1n]);
    expect((await readAll(topic, 2)).map((r) => r.value!.toString())).toEqual(['a', 'b']);
    await expect(producer.send({ topic, messages: [{ value: 'late' }] })).rejects.toThrow(/closed/);
  });

  it.each([false, true])('a batch over max.message.bytes fails with MESSAGE_TOO_LARGE; later sends go on (idempotent=%s)', async (idempotent) => {
    const topic = topicName(`too-large-${idempotent}`);
    await client.admin().createTopics([{ name: topic, numPartitions: 1, configs: { 'max.message.bytes': '2000' } }]);
    const producer = client.producer({ idempotent, acks: -1, lingerMs: 0 });
    await producer.send({ topic, messages: [{ value: 'first' }] });
    const err = await producer.send({ topic, messages: [{ value: Buffer.alloc(5000, 7) }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaError);
    expect((err as KafkaError).errorName).toBe('MESSAGE_TOO_LARGE');
    // With idempotence the refused batch's sequence numbers are reused by the next batch.
    const metas = await producer.send({ topic, messages: [{ value: 'after' }, { value: 'after2' }] });
    expect(metas.map((m) => m.offset)).toEqual([1n, 2n]);
    expect((await readAll(topic, 3)).map((r) => r.value!.toString())).toEqual(['first', 'after', 'after2']);
    await producer.close();
  });

  it('pipelines many small batches per partition and keeps them in order', async () => {
    const topic = topicName('pipelined');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ idempotent: true, lingerMs: 0, batchBytes: 200, maxInFlight: 5 });
    const sends = Array.from({ length: 200 }, (_, i) => producer.send({ topic, messages: [{ value: `m${i}` }, { value: `n${i}` }] }));
    const metas = (await Promise.all(sends)).flat();
    expect(metas.map((m) => m.offset)).toEqual(Array.from({ length: 400 }, (_, i) => BigInt(i)));
    const got = await readAll(topic, 400);
    expect(got.map((r) => r.value!.toString())).toEqual(Array.from({ length: 200 }, (_, i) => [`m${i}`, `n${i}`]).flat());
    await producer.close();
  });

  it('idempotent retries after dropped connections keep order and leave no duplicates', async () => {
    const topic = topicName('retry-order');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ idempotent: true, lingerMs: 0, batchBytes: 300, maxInFlight: 5, retries: 20 });
    await producer.send({ topic, messages: [{ value: 'warm' }] });
    const total = 300;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      sends.push(producer.send({ topic, messages: [{ value: `v${i}` }] }));
      // Cut every connection (responses in flight are lost) a few times while batches are pipelined.
      if (i % 60 === 30) {
        await new Promise((r) => setImmediate(r));
        proxy.dropAll();
      }
      if (i % 60 === 45) proxy.dropNextResponse = true;
    }
    await Promise.all(sends);
    const got = await readAll(topic, total + 1);
    expect(got.map((r) => r.value!.toString())).toEqual(['warm', ...Array.from({ length: total }, (_, i) => `v${i}`)]);
    expect(got.map((r) => r.offset)).toEqual(Array.from({ length: total + 1 }, (_, i) => BigInt(i)));
    await producer.close();
  });

  it.each([
    [false, 1],
    [true, 2],
  ])('sends made while every in-flight slot waits share one batch (idempotent=%s, maxInFlight %i)', async (idempotent, maxInFlight) => {
    const topic = topicName(`held-${idempotent}`);
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ idempotent, acks: -1, lingerMs: 0, maxInFlight });
    await producer.send({ topic, messages: [{ value: 'warm' }] });
    // A slow broker: its answers wait at the proxy until released.
    proxy.holdResponses = true;
    const produced = (): number => proxy.requests.get(ApiKey.Produce) ?? 0;
    const before = produced();
    const first: Promise<unknown>[] = [];
    const later: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < maxInFlight; i++) {
        first.push(producer.send({ topic, messages: [{ value: `first${i}` }] }));
        // Each seals on its own linger (0: the next macrotask) and takes an in-flight slot.
        while (produced() < before + i + 1) await new Promise((r) => setTimeout(r, 1));
      }
      for (let i = 0; i < 10; i++) {
        later.push(producer.send({ topic, messages: [{ value: `later${i}` }] }));
        // Each send in its own macrotask, past the linger of the one before.
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(produced()).toBe(before + maxInFlight);
    } finally {
      proxy.release();
    }
    await Promise.all([...first, ...later]);
    // The ten later sends went as one batch, in one request, once a slot was free.
    expect(produced()).toBe(before + maxInFlight + 1);
    const got = await readAll(topic, 1 + maxInFlight + 10);
    expect(got.map((r) => r.value!.toString())).toEqual(['warm', ...Array.from({ length: maxInFlight }, (_, i) => `first${i}`), ...Array.from({ length: 10 }, (_, i) => `later${i}`)]);
    await producer.close();
  });
});
