// Acceptance: broker-side schema validation seen by real clients. Topics created by kafkajs' admin
// with confluent.value.schema.validation (and mq's payload check); schemas registered and values
// encoded by @kafkajs/confluent-schema-registry. Good records are stored; a batch with a plain
// value, an id registered under another subject, or (payload check on) bytes that do not decode is
// refused whole — kafkajs (Produce v7) reads CORRUPT_MESSAGE, @platformatic/kafka (Produce v8+)
// INVALID_RECORD with the record named — and nothing of it is stored.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { startBroker, type RunningBroker } from '@mq/broker';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';

const USER = { type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'name', type: 'string' }] };
const ORDER = { type: 'record', name: 'Order', namespace: 'com.example', fields: [{ name: 'id', type: 'int' }] };

describe('broker-side schema validation with kafkajs', () => {
  let broker: RunningBroker;
  let registry: SchemaRegistry;
  let admin: Admin;
  let producer: Producer;
  let userId: number;
  let orderId: number;

  beforeAll(async () => {
    broker = await startBroker({ http: { port: 0 } });
    registry = new SchemaRegistry({ host: `http://127.0.0.1:${broker.http!.port}` });
    const kafka = new Kafka({ clientId: 'compat-schema-validation', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'users', numPartitions: 1, configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] },
        {
          topic: 'users-strict',
          numPartitions: 1,
          configEntries: [
            { name: 'confluent.value.schema.validation', value: 'true' },
            { name: 'mq.value.schema.validation.payload', value: 'true' },
          ],
        },
        { topic: 'users-pf', numPartitions: 1, configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] },
      ],
    });
    userId = (await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER) }, { subject: 'users-value' })).id;
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER) }, { subject: 'users-strict-value' });
    orderId = (await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER) }, { subject: 'orders-value' })).id;
    producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.stop();
  });

  const endOffset = async (topic: string) => (await admin.fetchTopicOffsets(topic))[0]!.high;
  const refusal = (send: Promise<unknown>) =>
    send.then(
      () => undefined,
      (e: unknown) => e as { cause?: { type?: string; code?: number } },
    );

  it('stores records encoded with a schema registered under <topic>-value', async () => {
    const value = await registry.encode(userId, { name: 'ann' });
    const sent = await producer.send({ topic: 'users', messages: [{ value }, { value: await registry.encode(userId, { name: 'bo' }) }, { key: 'k', value: null }] });
    expect(sent[0]!.baseOffset).toBe('0');
    expect(await endOffset('users')).toBe('3');
  });

  it('refuses a whole batch holding a plain value or another subject’s id, storing none of it', async () => {
    const good = await registry.encode(userId, { name: 'cy' });
    const plain = await refusal(producer.send({ topic: 'users', messages: [{ value: good }, { value: 'not framed' }] }));
    // kafkajs speaks Produce v7: INVALID_RECORD reaches it as CORRUPT_MESSAGE (as from Kafka).
    expect(plain?.cause).toMatchObject({ type: 'CORRUPT_MESSAGE', code: 2 });
    const stray = await refusal(producer.send({ topic: 'users', messages: [{ value: await registry.encode(orderId, { id: 7 }) }] }));
    expect(stray?.cause).toMatchObject({ type: 'CORRUPT_MESSAGE', code: 2 });
    expect(await endOffset('users')).toBe('3');
  });

  it('with the payload check, framed bytes that do not decode are refused; encoded ones pass', async () => {
    const good = await registry.encode(userId, { name: 'di' });
    const broken = Buffer.concat([good.subarray(0, 5), Buffer.from([0x40])]); // a 32-byte string with no bytes
    expect((await refusal(producer.send({ topic: 'users-strict', messages: [{ value: broken }] })))?.cause).toMatchObject({ type: 'CORRUPT_MESSAGE' });
    expect((await producer.send({ topic: 'users-strict', messages: [{ value: good }] }))[0]!.baseOffset).toBe('0');
    // The same bytes on a topic checking ids only: the id is registered there, so they are stored.
    await producer.send({ topic: 'users', messages: [{ value: broken }] });
    expect(await endOffset('users')).toBe('4');
  });

  it('@platformatic/kafka (Produce v8+) gets INVALID_RECORD naming the record', async () => {
    const rejected = await runNode24Fixture<{ failed?: unknown; sent?: string[] }>('platformatic-produce-error.mjs', {
      bootstrap: `${broker.host}:${broker.port}`,
      topic: 'users-pf',
      messages: [{ key: 'a', value: 'plain text' }],
    });
    expect(rejected.sent).toBeUndefined();
    const text = JSON.stringify(rejected.failed);
    expect(text).toMatch(/INVALID_RECORD|"apiCode":87/);
    expect(text).toContain("record 0: value is not in the schema registry's wire format");
    expect(await endOffset('users-pf')).toBe('0');
  });
});
