// The admin API of a real broker (startBroker with its HTTP listener) seen next to a real kafkajs
// consumer group: members with their assigned partitions, lag that follows what the group commits,
// an offset reset refused while members are up and applied once they left, records produced by
// kafkajs read back over HTTP (and vice versa) — each answer validated against /openapi.json.
import { startBroker } from '@mq/broker';
import { checkAnswer } from '@mq/admin-api/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Broker = Awaited<ReturnType<typeof startBroker>>;
let broker: Broker;
let base: string;
let C: string;
let kafka: Kafka;

async function api(method: string, path: string, template: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  checkAnswer(method, template, res.status, parsed);
  return { status: res.status, body: parsed };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 }, groups: { initialRebalanceDelayMs: 0 } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  const clusters = (await (await fetch(`${base}/v3/clusters`)).json()) as { data: { cluster_id: string }[] };
  C = `/v3/clusters/${clusters.data[0]!.cluster_id}`;
  kafka = new Kafka({ clientId: 'admin-api-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
});

afterAll(async () => {
  await broker?.stop();
});

describe('admin API of a real broker', () => {
  it('describes a kafkajs group, its assignment and lag; resets offsets once it is empty', async () => {
    expect((await api('POST', `${C}/topics`, '/v3/clusters/{cluster_id}/topics', { topic_name: 'jobs', partitions_count: 2 })).status).toBe(201);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'jobs', messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { n: String(i) } })) });
    const consumer = kafka.consumer({ groupId: 'workers', sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'jobs', fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    const G = `${C}/consumer-groups/workers`;
    const T = '/v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}';
    const group = await waitFor(async () => {
      const g = await api('GET', G, T);
      return g.status === 200 && g.body.state === 'Stable' && seen === 10 && g.body.total_lag === 0 ? g.body : undefined;
    }, 'the group to be Stable with everything committed');
    expect(group.members).toHaveLength(1);
    expect(group.members[0].client_id).toBe('admin-api-test');
    expect(group.members[0].assignments.sort((a: { partition_id: number }, b: { partition_id: number }) => a.partition_id - b.partition_id)).toEqual([
      { topic_name: 'jobs', partition_id: 0 },
      { topic_name: 'jobs', partition_id: 1 },
    ]);
    const listed = await api('GET', `${C}/consumer-groups`, '/v3/clusters/{cluster_id}/consumer-groups');
    expect(listed.body.data).toContainEqual(expect.objectContaining({ consumer_group_id: 'workers', state: 'Stable', protocol_type: 'consumer' }));
    const refused = await api('POST', `${G}/offsets:reset`, `${T}/offsets:reset`, { topic_name: 'jobs', to: 'earliest' });
    expect(refused.status).toBe(409);
    await consumer.disconnect();
    await waitFor(async () => ((await api('GET', G, T)).body.state === 'Empty' ? true : undefined), 'the group to be Empty');
    const reset = await api('POST', `${G}/offsets:reset`, `${T}/offsets:reset`, { topic_name: 'jobs', to: 'earliest' });
    expect(reset.status).toBe(200);
    const lags = await api('GET', `${G}/lags`, `${T}/lags`);
    expect(lags.body.data.reduce((n: number, l: { lag: number }) => n + l.lag, 0)).toBe(10);
    // A consumer of the reset group reads everything again.
    const again = kafka.consumer({ groupId: 'workers' });
    await again.connect();
    await again.subscribe({ topic: 'jobs' });
    let replayed = 0;
    await again.run({ eachMessage: async () => void replayed++ });
    await waitFor(async () => (replayed >= 10 ? true : undefined), 'the reset group to read the topic again');
    await again.disconnect();
    await producer.disconnect();
  });

  it('reads over HTTP what kafkajs produced and kafkajs reads what HTTP produced', async () => {
    const P = '/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records';
    const producer = kafka.producer();
    await producer.connect();
    await api('POST', `${C}/topics`, '/v3/clusters/{cluster_id}/topics', { topic_name: 'mixed' });
    await producer.send({ topic: 'mixed', messages: [{ key: Buffer.from([0, 1, 2]), value: 'from kafkajs', headers: { h: Buffer.from([255]) } }] });
    const read = await api('GET', `${C}/topics/mixed/partitions/0/records?offset=0&encoding=string`, P);
    expect(read.body.data[0]).toMatchObject({ offset: 0, key: { type: 'STRING', data: '\u0000\u0001\u0002' }, value: { type: 'STRING', data: 'from kafkajs' }, headers: [{ name: 'h', value: Buffer.from([255]).toString('base64') }] });
    const produced = await api('POST', `${C}/topics/mixed/records`, '/v3/clusters/{cluster_id}/topics/{topic_name}/records', {
      key: { type: 'BINARY', data: Buffer.from([9, 8]).toString('base64') },
      value: { type: 'STRING', data: 'from http' },
      headers: [{ name: 'trace', value: Buffer.from('t-1').toString('base64') }],
    });
    expect(produced.body.offset).toBe(1);
    const consumer = kafka.consumer({ groupId: 'http-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'mixed', fromBeginning: true });
    const got: { key: Buffer | null; value: string; trace?: string }[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void got.push({ key: message.key, value: String(message.value), trace: message.headers?.trace?.toString() }) });
    await waitFor(async () => (got.length >= 2 ? true : undefined), 'kafkajs to read both records');
    expect(got[1]).toEqual({ key: Buffer.from([9, 8]), value: 'from http', trace: 't-1' });
    await consumer.disconnect();
    await producer.disconnect();
    const parts = await api('GET', `${C}/topics/mixed/partitions`, '/v3/clusters/{cluster_id}/topics/{topic_name}/partitions');
    expect(parts.body.data[0]).toMatchObject({ log_end_offset: 2, high_watermark: 2 });
    expect(parts.body.data[0].size_bytes).toBeGreaterThan(0);
    const brokers = await api('GET', `${C}/brokers`, '/v3/clusters/{cluster_id}/brokers');
    expect(brokers.body.data).toEqual([expect.objectContaining({ broker_id: 0, host: '127.0.0.1', port: broker.port, is_controller: true })]);
  });
});
