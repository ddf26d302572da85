// Acceptance (issue 15): a message's journey traced through a real broker. kafkajs produces with a
// W3C `traceparent` header, a kafkajs consumer group reads and commits; the whole journey —
// mq.produce → mq.fetch (as the group member) → mq.commit — is queried by trace id over HTTP,
// every step present and ordered (each answer held to /openapi.json), and the same spans reach an
// OTLP/HTTP receiver.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnswer } from '@mq/admin-api/testing';
import { startBroker } from '@mq/broker';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@mq/trace/testing';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOPIC = 'traced';
const GROUP = 'trace-readers';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN = '00f067aa0ba902b7';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeMs: number;
  endTimeMs: number;
  attributes: Record<string, string | number>;
}

describe('tracing a message from kafkajs producer to kafkajs group commit', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let otlp: OtlpReceiver;
  let producer: Producer;
  let consumer: Consumer;
  let http: string;

  /** GET, the answer held to /openapi.json's schema for its route and status. */
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${http}${path}`);
    const body = (await res.json()) as Record<string, unknown>;
    const template = path.startsWith('/v1/traces/by-offset/') ? '/v1/traces/by-offset/{topic}/{partition}/{offset}' : /^\/v1\/traces\/[^?]/.test(path) ? '/v1/traces/{traceId}' : '/v1/traces';
    checkAnswer('GET', template, res.status, body);
    return { status: res.status, body };
  };

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    // Ratio 0: the broker starts no trace of its own but follows every producer's sampled context.
    broker = await startBroker({ http: { port: 0 }, trace: { sampling: '0', otlpEndpoint: otlp.url } });
    http = `http://127.0.0.1:${broker.http!.port}`;
    const kafka = new Kafka({ clientId: 'trace-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 30_000 });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await broker?.stop();
    await otlp?.close();
  });

  it('records produce, group fetch and commit under the producer’s trace id, in order, and exports them over OTLP', async () => {
    await producer.send({
      topic: TOPIC,
      messages: [
        { key: 'a', value: 'untraced' }, // offset 0: no header, ratio 0 → not traced
        { key: 'b', value: 'traced', headers: { traceparent: `00-${TRACE_ID}-${PRODUCER_SPAN}-01` } }, // offset 1
        { key: 'c', value: 'declined', headers: { traceparent: `00-${'1'.repeat(32)}-${PRODUCER_SPAN}-00` } }, // offset 2: not sampled
      ],
    });
    const seen: { offset: string; traceparent: string | undefined }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ message }) => {
        seen.push({ offset: message.offset, traceparent: message.headers?.traceparent?.toString() });
      },
    });
    await expect.poll(() => seen.length, { timeout: 60_000 }).toBe(3);
    // The stored bytes are the producer's: the consumer sees its header, and none was added to the others.
    expect(seen).toEqual([
      { offset: '0', traceparent: undefined },
      { offset: '1', traceparent: `00-${TRACE_ID}-${PRODUCER_SPAN}-01` },
      { offset: '2', traceparent: `00-${'1'.repeat(32)}-${PRODUCER_SPAN}-00` },
    ]);

    // kafkajs commits after each message (autoCommitThreshold 1): wait for the commit step.
    let spans: Span[] = [];
    await expect
      .poll(
        async () => {
          const r = await get(`/v1/traces/${TRACE_ID}`);
          spans = r.status === 200 ? (r.body.spans as Span[]) : [];
          return spans.map((s) => s.name);
        },
        { timeout: 60_000, interval: 200 },
      )
      .toEqual(['mq.produce', 'mq.fetch', 'mq.commit']);
    const [produce, fetched, commit] = spans as [Span, Span, Span];
    expect(produce).toMatchObject({ traceId: TRACE_ID, parentSpanId: PRODUCER_SPAN });
    expect(produce.attributes).toMatchObject({ 'messaging.destination.name': TOPIC, 'messaging.destination.partition.id': '0', 'messaging.kafka.offset': 1, 'messaging.client.id': 'trace-test' });
    expect(fetched.parentSpanId).toBe(produce.spanId);
    expect(fetched.attributes).toMatchObject({ 'messaging.consumer.group.name': GROUP, 'messaging.kafka.offset': 1 });
    expect(String(fetched.attributes['mq.group.member.id'])).toMatch(/^trace-test-/); // kafkajs member ids start with the client id
    expect(commit).toMatchObject({ parentSpanId: produce.spanId });
    expect(commit.attributes).toMatchObject({ 'messaging.consumer.group.name': GROUP, 'messaging.kafka.offset': 1 });
    // Ordered: each step starts no earlier than the previous one ended.
    expect(produce.startTimeMs).toBeLessThanOrEqual(produce.endTimeMs);
    expect(produce.endTimeMs).toBeLessThanOrEqual(fetched.startTimeMs);
    expect(fetched.startTimeMs).toBeLessThanOrEqual(commit.startTimeMs);

    // The other queries find the same trace.
    const byOffset = await get(`/v1/traces/by-offset/${TOPIC}/0/1`);
    expect(byOffset.status).toBe(200);
    expect(byOffset.body.traceId).toBe(TRACE_ID);
    for (const untraced of [0, 2]) expect((await get(`/v1/traces/by-offset/${TOPIC}/0/${untraced}`)).status).toBe(404);
    const recent = await get('/v1/traces?limit=5');
    expect(recent.body.traces).toEqual([expect.objectContaining({ traceId: TRACE_ID, spans: 3, names: ['mq.produce', 'mq.fetch', 'mq.commit'] })]);
    const inRange = await get(`/v1/traces?from=${Math.floor(produce.startTimeMs)}&to=${Math.ceil(commit.endTimeMs)}`);
    expect((inRange.body.traces as { traceId: string }[]).map((t) => t.traceId)).toEqual([TRACE_ID]);
    expect(((await get('/v1/traces?from=0&to=1')).body.traces as unknown[]).length).toBe(0);

    // OTLP: the same three spans, same ids and parents.
    let exported: ReceivedSpan[] = [];
    await expect
      .poll(
        () => {
          exported = otlp.spans.filter((s) => s.traceId === TRACE_ID);
          return exported.length;
        },
        { timeout: 60_000 },
      )
      .toBe(3);
    expect(new Map(exported.map((s) => [s.spanId, [s.name, s.parentSpanId]]))).toEqual(
      new Map(spans.map((s) => [s.spanId, [s.name, s.parentSpanId]])),
    );
    expect(exported[0]!.service).toBe('mq-broker');
  });

  it('answers bad queries with 4xx JSON', async () => {
    for (const [path, status] of [
      ['/v1/traces/NOT-A-TRACE', 400],
      [`/v1/traces/${'f'.repeat(32)}`, 404],
      [`/v1/traces/by-offset/${TOPIC}/x/1`, 400],
      [`/v1/traces/by-offset/${TOPIC}/0/-1`, 400],
      ['/v1/traces?limit=0', 400],
      ['/v1/traces?from=5&to=1', 400],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect(r.body).toEqual({ error_code: status, message: expect.any(String) });
    }
  });
});

describe('trace storage past the ring', () => {
  it('a trace the ring dropped is still answered from the JSONL files (sampling always)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-traces-'));
    const broker = await startBroker({ http: { port: 0 }, trace: { sampling: 'always', ringSize: 2, dir } });
    const kafka = new Kafka({ clientId: 'ring-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    try {
      await producer.connect();
      const first = `00-${TRACE_ID}-${PRODUCER_SPAN}-01`;
      await producer.send({ topic: 'ring', messages: [{ value: 'first', headers: { traceparent: first } }] });
      await producer.send({ topic: 'ring', messages: [{ value: 'second' }, { value: 'third' }] }); // new traces: the ring of 2 drops the first
      const http = `http://127.0.0.1:${broker.http!.port}`;
      const recent = (await (await fetch(`${http}/v1/traces?limit=10`)).json()) as { traces: { traceId: string }[] };
      expect(recent.traces).toHaveLength(2);
      expect(recent.traces.map((t) => t.traceId)).not.toContain(TRACE_ID);
      let body: { traceId?: string; spans?: Span[] } = {};
      await expect
        .poll(async () => {
          const res = await fetch(`${http}/v1/traces/${TRACE_ID}`);
          body = (await res.json()) as typeof body;
          return res.status;
        }, { timeout: 30_000 })
        .toBe(200);
      expect(body.spans!.map((s) => [s.name, s.parentSpanId, s.attributes['messaging.kafka.offset']])).toEqual([['mq.produce', PRODUCER_SPAN, 0]]);
      const storedOffsets = async (): Promise<unknown[]> => {
        const files = (await readdir(dir)).filter((f) => /^traces-\d+\.jsonl$/.test(f));
        const text = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('');
        return text.trim().split('\n').map((l) => (JSON.parse(l) as Span).attributes['messaging.kafka.offset']);
      };
      await expect.poll(storedOffsets, { timeout: 30_000 }).toEqual([0, 1, 2]);
    } finally {
      await producer.disconnect();
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
