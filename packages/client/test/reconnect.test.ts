// Fault injection on real sockets: a TCP proxy in front of the broker (advertised as the broker's
// address) drops every connection; producer, consumer and admin reconnect and carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '../src/index';
import { DroppingProxy } from './dropping-proxy';
import { pollUntil, topicName } from './helpers';

let proxy: DroppingProxy;
let broker: RunningBroker;
let client: MqClient;
beforeAll(async () => {
  proxy = await DroppingProxy.start();
  broker = await startBroker({ port: 0, advertisedHost: '127.0.0.1', advertisedPort: proxy.port });
  proxy.target = broker.port;
  client = new MqClient({ bootstrapServers: `127.0.0.1:${proxy.port}`, retry: { retries: 5, initialBackoffMs: 20 } });
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
  await proxy?.close();
});

describe('reconnect', () => {
  it.each([
    [true, 1],
    [false, 2],
  ] as const)('a Produce whose response is lost is retried; idempotent=%s leaves %i copies', async (idempotent, copies) => {
    const topic = topicName(`lost-${idempotent}`);
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ idempotent, acks: -1, lingerMs: 0 });
    await producer.send({ topic, messages: [{ value: 'warm-up' }] }); // producer id, metadata, connection
    proxy.dropResponseTo = 0; // Produce
    const [meta] = await producer.send({ topic, messages: [{ value: 'once' }] });
    expect(proxy.dropResponseTo).toBeUndefined(); // the Produce response really was dropped
    // Idempotent: the broker recognised the resent sequence and answered with the original offset.
    expect(meta!.offset).toBe(idempotent ? 1n : 2n);
    const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 });
    consumer.assign([{ topic, partition: 0 }]);
    const got = await pollUntil(() => consumer.poll(), 1 + copies);
    await new Promise((r) => setTimeout(r, 100));
    got.push(...(await consumer.poll()));
    expect(got.map((r) => r.value!.toString())).toEqual(['warm-up', ...Array<string>(copies).fill('once')]);
    await consumer.close();
  });

  it('producer, consumer and admin survive dropped connections', async () => {
    const topic = topicName('drop');
    await client.admin().createTopics([{ name: topic, numPartitions: 2 }]);
    const producer = client.producer({ lingerMs: 1 });
    await producer.send({ topic, messages: [{ value: 'before', partition: 0 }] });

    const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 });
    consumer.assign([{ topic, partition: 0 }, { topic, partition: 1 }]);
    expect((await pollUntil(() => consumer.poll(), 1)).map((r) => r.value!.toString())).toEqual(['before']);

    expect(proxy.dropAll()).toBeGreaterThan(0);
    const metas = await producer.send({ topic, messages: [{ value: 'after', partition: 1 }] });
    expect(metas[0]!.offset).toBe(0n);

    proxy.dropAll();
    const got = await pollUntil(() => consumer.poll(), 1);
    expect(got.map((r) => [r.partition, r.value!.toString()])).toEqual([[1, 'after']]);

    proxy.dropAll();
    expect(await client.admin().listTopics()).toContain(topic);
    await consumer.close();
  });
});
