// Trace context propagation end to end through a real broker with tracing on (ratio 0: the broker
// follows producers' contexts only): send() injects `traceparent` from a message's traceContext or
// from the OpenTelemetry span active at send(); consumed records expose it; the broker's trace of
// the record is a child of the producer's span; with a Tracer (OpenTelemetry's SDK, spans kept in
// memory) the producer emits a PRODUCER span per send, the parent of the broker's mq.produce.
import { AsyncLocalStorage } from 'node:async_hooks';
import { startBroker, type RunningBroker } from '@mq/broker';
import { ROOT_CONTEXT, type Context, type ContextManager, SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqClient, type ConsumerRecord } from '../src/index';
import { pollUntil, topicName } from './helpers';

/** The smallest OpenTelemetry context manager (AsyncLocalStorage), as an instrumented application registers one. */
class StorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const EXPLICIT = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', sampled: true };
const ACTIVE = { traceId: '5bf92f3577b34da6a3ce929d0e0e4736', spanId: '10f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

let broker: RunningBroker;
let client: MqClient;

beforeAll(async () => {
  context.setGlobalContextManager(new StorageContextManager());
  broker = await startBroker({ port: 0, http: { port: 0 }, trace: { sampling: '0' } });
  client = new MqClient({ bootstrapServers: `${broker.host}:${broker.port}`, clientId: 'trace-client' });
});

afterAll(async () => {
  await client?.close();
  await broker?.stop();
  context.disable();
});

async function brokerTrace(traceId: string): Promise<{ name: string; parentSpanId?: string; attributes: Record<string, unknown> }[]> {
  const res = await fetch(`http://127.0.0.1:${broker.http!.port}/v1/traces/${traceId}`);
  return res.status === 200 ? ((await res.json()) as { spans: [] }).spans : [];
}

/** The first `n` records of `topic`'s partition 0, from the beginning. */
async function consumed(topic: string, n: number): Promise<ConsumerRecord[]> {
  const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  consumer.assign([{ topic, partition: 0 }]);
  try {
    return await pollUntil(() => consumer.poll(), n);
  } finally {
    await consumer.close();
  }
}

describe('@mq/client trace propagation', () => {
  it('injects traceparent from traceContext or the active span, keeps an explicit header, and exposes it on consume', async () => {
    const topic = topicName('traced');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer();
    const own = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`;
    await producer.send({ topic, messages: [{ value: 'explicit', traceContext: EXPLICIT }, { value: 'own header', headers: { traceparent: own }, traceContext: EXPLICIT }] });
    await context.with(trace.setSpanContext(ROOT_CONTEXT, ACTIVE), () => producer.send({ topic, messages: [{ value: 'active' }] }));
    await producer.send({ topic, messages: [{ value: 'none' }] });
    const off = client.producer({ propagateTrace: false });
    await context.with(trace.setSpanContext(ROOT_CONTEXT, ACTIVE), () => off.send({ topic, messages: [{ value: 'opted out' }] }));

    const got = await consumed(topic, 5);
    expect(got.map((r) => [r.value!.toString(), r.headers.filter((h) => h.key === 'traceparent').map((h) => h.value!.toString())])).toEqual([
      ['explicit', [`00-${EXPLICIT.traceId}-${EXPLICIT.spanId}-01`]],
      ['own header', [own]],
      ['active', [`00-${ACTIVE.traceId}-${ACTIVE.spanId}-01`]],
      ['none', []],
      ['opted out', []],
    ]);
    expect(got.map((r) => r.traceContext?.traceId)).toEqual([EXPLICIT.traceId, 'c'.repeat(32), ACTIVE.traceId, undefined, undefined]);
    expect(got[2]!.traceContext).toEqual({ traceId: ACTIVE.traceId, spanId: ACTIVE.spanId, sampled: true });

    // The broker traced the propagated contexts under the producer's ids.
    await expect.poll(async () => (await brokerTrace(ACTIVE.traceId)).map((s) => s.name), { timeout: 30_000 }).toContain('mq.fetch');
    const [produce] = await brokerTrace(ACTIVE.traceId);
    expect(produce).toMatchObject({ name: 'mq.produce', parentSpanId: ACTIVE.spanId, attributes: { 'messaging.kafka.offset': 2, 'messaging.client.id': 'trace-client' } });
    expect((await brokerTrace(EXPLICIT.traceId))[0]).toMatchObject({ name: 'mq.produce', parentSpanId: EXPLICIT.spanId });
  });

  it('emits a PRODUCER span per send with a Tracer: the records and the broker’s trace hang under it', async () => {
    const topic = topicName('spans');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const producer = client.producer({ tracer: provider.getTracer('orders-service') });
    await context.with(trace.setSpanContext(ROOT_CONTEXT, ACTIVE), () => producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] }));
    await expect(client.producer({ tracer: provider.getTracer('orders-service') }).send({ topic: `${topic}-x`, messages: [{ value: 'c', timestamp: 'not a time' as never }] })).rejects.toThrow();

    const [send, failed] = exporter.getFinishedSpans();
    expect(send).toMatchObject({ name: `send ${topic}`, kind: SpanKind.PRODUCER, parentSpanContext: { spanId: ACTIVE.spanId } });
    expect(send!.spanContext().traceId).toBe(ACTIVE.traceId);
    expect(send!.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.batch.message_count': 2, 'messaging.destination.partition.id': '0', 'messaging.kafka.offset': 0 });
    expect(failed).toMatchObject({ name: `send ${topic}-x`, status: { code: SpanStatusCode.ERROR } });

    const got = await consumed(topic, 2);
    for (const r of got) expect(r.traceContext).toEqual({ traceId: ACTIVE.traceId, spanId: send!.spanContext().spanId, sampled: true });
    await expect.poll(async () => (await brokerTrace(ACTIVE.traceId)).filter((s) => s.name === 'mq.produce' && s.parentSpanId === send!.spanContext().spanId).length, { timeout: 30_000 }).toBe(2);
    await provider.shutdown();
  });
});
