// OTLP/HTTP export through the OpenTelemetry JS SDK to a small OTLP receiver (@mq/trace/testing,
// node:http on 127.0.0.1:0): the spans arrive with our trace ids, span ids, parents, names and attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpExporter, type TraceSpan } from '../src/index';
import { type OtlpReceiver, startOtlpReceiver } from '../src/testing/index';

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await receiver.close();
});

describe('OtlpExporter', () => {
  it('sends spans with their own ids and parents as OTLP JSON', async () => {
    const exporter = await OtlpExporter.create({ url: receiver.url, serviceName: 'mq-test', scheduledDelayMillis: 50 });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const produce: TraceSpan = {
      traceId,
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      name: 'mq.produce',
      startTimeMs: 1_700_000_000_000,
      endTimeMs: 1_700_000_000_002.5,
      attributes: { 'messaging.destination.name': 'orders', 'messaging.kafka.offset': 42 },
    };
    const fetch: TraceSpan = { ...produce, spanId: 'c7ad6b7169203332', parentSpanId: produce.spanId, name: 'mq.fetch', startTimeMs: 1_700_000_000_010, endTimeMs: 1_700_000_000_011 };
    const root: TraceSpan = { ...produce, traceId: '1af7651916cd43dd8448eb211c80319d', spanId: 'd7ad6b7169203333', parentSpanId: undefined };
    for (const s of [produce, fetch, root]) exporter.export(s);
    await exporter.flush();
    await expect.poll(() => receiver.spans.length, { timeout: 20_000 }).toBe(3);
    expect(receiver.spans[0]).toMatchObject({ path: '/v1/traces', service: 'mq-test' });
    expect(receiver.spans[0]!.contentType).toMatch(/application\/json/);
    const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
    expect(byId.get(produce.spanId)).toMatchObject({ traceId, name: 'mq.produce', parentSpanId: '00f067aa0ba902b7', startTimeUnixNano: '1700000000000000000' });
    expect(byId.get(fetch.spanId)).toMatchObject({ traceId, name: 'mq.fetch', parentSpanId: produce.spanId });
    const rootSpan = byId.get(root.spanId)!;
    expect(rootSpan.traceId).toBe(root.traceId);
    expect(rootSpan.parentSpanId ?? '').toBe('');
    const attrs = Object.fromEntries(byId.get(produce.spanId)!.attributes.map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]));
    expect(attrs).toEqual({ 'messaging.destination.name': 'orders', 'messaging.kafka.offset': 42 });
    await exporter.shutdown();
  });
});
