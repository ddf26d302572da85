// Expiry and priority lanes (issue 13) with @kafkats/client's ShareConsumer (npm): records whose
// mq-ttl-ms ran out are never delivered (kcat finds them in `<topic>.dlq`, reason expired), and a
// share consumer fetching one record at a time gets the mq-priority 0 records before the older
// background ones (mq.priority.strict=true); plain Fetch (kafkajs) still reads in offset order.
import { startBroker } from '@mq/broker';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcat } from '../src/kcat';
import { waitUntil } from './groups-members';

describe('share consumers: expiry and priority lanes', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let bootstrap: string;
  let client: KafkaClient;
  const kafka = () => new Kafka({ clientId: 'lanes-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });

  async function createTopic(topic: string, configEntries: { name: string; value: string }[] = []): Promise<void> {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }], waitForLeaders: true });
    await admin.disconnect();
  }

  async function send(topic: string, messages: { value: string; headers?: Record<string, string>; timestamp?: string }[]): Promise<void> {
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();
  }

  beforeAll(async () => {
    broker = await startBroker({ share: { autoOffsetReset: 'earliest' } });
    bootstrap = `127.0.0.1:${broker.port}`;
    client = new KafkaClient({ clientId: 'lanes-share', brokers: [bootstrap] });
    await client.connect();
  });

  afterAll(async () => {
    await client?.disconnect();
    await broker?.stop();
  });

  it('never delivers a record past its mq-ttl-ms; it is dead-lettered with reason expired', async () => {
    await createTopic('ttl-jobs');
    const old = String(Date.now() - 60_000);
    await send(
      'ttl-jobs',
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? { value: String(i), headers: { 'mq-ttl-ms': '1000' }, timestamp: old } : { value: String(i), headers: { 'mq-ttl-ms': '600000' } })),
    );
    const consumer = client.shareConsumer({ groupId: 'ttl-workers', maxWaitMs: 200 });
    const got = new Set<number>();
    const run = consumer.runEach('ttl-jobs', async (m) => {
      got.add(Number(m.value?.toString()));
      await m.ack();
    });
    await waitUntil('the live records delivered', () => got.size >= 5, 60_000);
    const res = await kcat(['-C', '-b', bootstrap, '-t', 'ttl-jobs.dlq', '-o', 'beginning', '-c', '5', '-e', '-q', '-f', '%s %h\\n'], 60_000);
    await consumer.stop();
    await run.catch(() => undefined);
    expect([...got].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9]);
    const lines = res.stdout.toString('utf8').trim().split('\n');
    expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual([0, 2, 4, 6, 8]);
    for (const l of lines) expect(l).toMatch(/mq-dlq-reason=expired/);
  });

  it('hands out mq-priority 0 records before older background ones; plain Fetch stays in offset order', async () => {
    await createTopic('prio-jobs', [{ name: 'mq.priority.strict', value: 'true' }]);
    await send('prio-jobs', [
      ...Array.from({ length: 12 }, (_, i) => ({ value: `bg${i}`, headers: { 'mq-priority': '4' } })),
      ...Array.from({ length: 4 }, (_, i) => ({ value: `urgent${i}`, headers: { 'mq-priority': '0' } })),
    ]);
    const consumer = client.shareConsumer({ groupId: 'prio-workers', maxWaitMs: 200, maxRecords: 1, acquireMode: 'record_limit' });
    const order: string[] = [];
    const run = consumer.runEach('prio-jobs', async (m) => {
      order.push(m.value?.toString() ?? '');
      await m.ack();
    });
    await waitUntil('every record delivered', () => new Set(order).size === 16, 60_000);
    await consumer.stop();
    await run.catch(() => undefined);
    const firsts = [...new Set(order)];
    expect(firsts.slice(0, 4)).toEqual(['urgent0', 'urgent1', 'urgent2', 'urgent3']);
    expect(firsts.slice(4)).toEqual(Array.from({ length: 12 }, (_, i) => `bg${i}`));

    const plain = kafka().consumer({ groupId: 'prio-plain' });
    await plain.connect();
    await plain.subscribe({ topic: 'prio-jobs', fromBeginning: true });
    const fetched: string[] = [];
    await plain.run({ eachMessage: async ({ message }) => void fetched.push(message.value?.toString() ?? '') });
    await waitUntil('plain fetch reads everything', () => fetched.length === 16, 60_000);
    await plain.disconnect();
    expect(fetched).toEqual([...Array.from({ length: 12 }, (_, i) => `bg${i}`), ...Array.from({ length: 4 }, (_, i) => `urgent${i}`)]);
  });
});
