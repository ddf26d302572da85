// The delay store over HTTP (issue 15: the admin API the console's Delayed page uses): kafkajs
// produces with mq-delay-ms, GET /v1/delayed lists the pending messages (earliest due first, by
// topic), GET /v1/delayed/{id} shows one, DELETE cancels it (never delivered: the topic stays
// empty while the other one arrives); unknown and malformed ids and parameters are 4xx JSON — every
// answer validated against /openapi.json.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiCall } from '../src/openapi-call';
import { waitUntil } from './groups-members';

let broker: Awaited<ReturnType<typeof startBroker>>;
let base: string;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  kafka = new Kafka({ clientId: 'delayed-http', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'reminders', numPartitions: 2 }, { topic: 'other' }] });
  await admin.disconnect();
});

afterAll(async () => {
  await broker?.stop();
});

const call = openApiCall(() => base);
const text = (b64: string | null) => (b64 === null ? null : Buffer.from(b64, 'base64').toString());

async function highWatermark(topic: string, partition: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)!.high);
  } finally {
    await admin.disconnect();
  }
}

describe('the delay store over HTTP', () => {
  it('lists, shows and cancels pending delayed messages', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'reminders', messages: [{ partition: 1, key: 'later', value: 'in an hour', headers: { 'mq-delay-ms': '3600000', app: 'test' } }] });
    await producer.send({ topic: 'reminders', messages: [{ partition: 0, key: 'soon', value: 'in 20 minutes', headers: { 'mq-delay-ms': '1200000' } }] });
    await producer.send({ topic: 'other', messages: [{ value: 'quick', headers: { 'mq-delay-ms': '300' } }] });
    await producer.disconnect();

    const all = await call('GET', '/v1/delayed', '/v1/delayed?topic=reminders');
    expect(all.status).toBe(200);
    expect(all.body.pending).toBeGreaterThanOrEqual(2);
    expect(all.body.messages.map((m: { key: string }) => text(m.key))).toEqual(['soon', 'later']); // earliest due first
    const later = all.body.messages[1];
    expect(later).toMatchObject({ topic: 'reminders', partition: 1, delivering: false });
    expect(later.dueAt - later.timestamp).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(later.headers.map((h: { key: string; value: string }) => [h.key, text(h.value)])).toContainEqual(['app', 'test']);
    expect((await call('GET', '/v1/delayed', '/v1/delayed?topic=reminders&partition=1&limit=5')).body.messages.map((m: { id: string }) => m.id)).toEqual([later.id]);

    const one = await call('GET', '/v1/delayed/{id}', `/v1/delayed/${later.id}`);
    expect(one.status).toBe(200);
    expect(text(one.body.value)).toBe('in an hour');

    const cancelled = await call('DELETE', '/v1/delayed/{id}', `/v1/delayed/${later.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelled.id).toBe(later.id);
    expect((await call('GET', '/v1/delayed/{id}', `/v1/delayed/${later.id}`)).status).toBe(404);
    expect((await call('DELETE', '/v1/delayed/{id}', `/v1/delayed/${later.id}`)).status).toBe(404);
    expect((await call('GET', '/v1/delayed', '/v1/delayed?topic=reminders')).body.messages.map((m: { key: string }) => text(m.key))).toEqual(['soon']);

    // The short one is delivered and leaves the listing; the cancelled one never reaches its partition.
    await waitUntil('the 300 ms message delivered', async () => (await highWatermark('other', 0)) === 1, 60_000);
    expect((await call('GET', '/v1/delayed', '/v1/delayed?topic=other')).body.messages).toEqual([]);
    expect(await highWatermark('reminders', 1)).toBe(0);
  });

  it('answers malformed ids and parameters with 400 JSON', async () => {
    expect((await call('GET', '/v1/delayed/{id}', '/v1/delayed/not-an-id')).status).toBe(400);
    expect((await call('DELETE', '/v1/delayed/{id}', '/v1/delayed/x')).status).toBe(400);
    expect((await call('GET', '/v1/delayed', '/v1/delayed?limit=0')).status).toBe(400);
    expect((await call('GET', '/v1/delayed', '/v1/delayed?partition=-1')).status).toBe(400);
  });
});
