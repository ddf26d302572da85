// One queue seen from both APIs (issue 13): an HTTP consumer (receive / ack over fetch()) and an
// @kafkats/client ShareConsumer (ShareFetch / ShareAcknowledge) in one share group on one topic —
// every one of 10,000 messages is accepted exactly once, by one side or the other, and both got some.
import { startBroker } from '@mq/broker';
import { KafkaClient } from '@kafkats/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './groups-members';

const TOPIC = 'shared-queue';
const GROUP = 'both-sides';
const N = 10_000;

let broker: Awaited<ReturnType<typeof startBroker>>;
let client: KafkaClient;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 }, share: { autoOffsetReset: 'earliest' } });
  client = new KafkaClient({ clientId: 'shared-queue-test', brokers: [`127.0.0.1:${broker.port}`] });
  await client.connect();
  await client.admin().createTopics([{ name: TOPIC, numPartitions: 2 }]);
  const producer = client.producer();
  for (let i = 0; i < N; i += 1000) {
    await producer.send(TOPIC, Array.from({ length: 1000 }, (_, j) => ({ value: Buffer.from(String(i + j)) })));
  }
  await producer.disconnect();
});

afterAll(async () => {
  await client?.disconnect();
  await broker?.stop();
});

describe('an HTTP consumer and a Kafka share consumer on one share group', () => {
  it('accept each of 10,000 messages exactly once between them', async () => {
    const accepted = new Map<number, string[]>();
    const take = (n: number, by: string) => accepted.set(n, [...(accepted.get(n) ?? []), by]);
    const consumer = client.shareConsumer({ groupId: GROUP, maxWaitMs: 200 });
    const run = consumer.runEach(TOPIC, async (message) => {
      await message.ack();
      take(Number(message.value?.toString()), 'kafka');
    });
    const base = `http://127.0.0.1:${broker.http!.port}/v1/queues/${GROUP}/topics/${TOPIC}`;
    let httpDone = false;
    const http = (async () => {
      while (!httpDone) {
        const res = await fetch(`${base}/receive`, { method: 'POST', body: JSON.stringify({ max_messages: 100, wait_ms: 500, encoding: 'string', consumer_id: 'http-side' }) });
        expect(res.status).toBe(200);
        const { messages } = (await res.json()) as { messages: { receipt: string; value: { data: string } }[] };
        if (messages.length === 0) continue;
        const ack = await fetch(`${base}/ack`, { method: 'POST', body: JSON.stringify({ receipts: messages.map((m) => m.receipt) }) });
        const body = (await ack.json()) as { results: { error_code: number }[] };
        // A receipt is settled only when its result says so; a 410 (lock ended) leaves it to a redelivery.
        messages.forEach((m, i) => {
          if (body.results[i]!.error_code === 0) take(Number(m.value.data), 'http');
        });
      }
    })();
    await waitUntil('every message accepted', () => accepted.size === N, 170_000);
    httpDone = true;
    await http;
    await consumer.stop();
    await run.catch(() => undefined);
    const twice = [...accepted].filter(([, by]) => by.length > 1);
    expect(twice, 'accepted more than once').toEqual([]);
    const bySide = { kafka: 0, http: 0 };
    for (const [, [by]] of accepted) bySide[by as 'kafka' | 'http']++;
    expect(bySide.kafka + bySide.http).toBe(N);
    expect(bySide.kafka, 'the Kafka consumer took part').toBeGreaterThan(0);
    expect(bySide.http, 'the HTTP consumer took part').toBeGreaterThan(0);
  });
});
