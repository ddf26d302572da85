// OTLP/HTTP export through the OpenTelemetry JS SDK to a small OTLP receiver (node:http on
// 127.0.0.1:0): the spans arrive with our trace ids, span ids, parents, names and attributes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpExporter, type TraceSpan } from '../src/index';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

let receiver: Server;
let url: string;
const received: { path: string; contentType: string | undefined; spans: OtlpSpan[]; service: unknown }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'], spans: rs.scopeSpans.flatMap((s) => s.spans), service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('OtlpExporter', () => {
  it('sends spans with their own ids and parents as OTLP JSON', async () => {
    const exporter = new OtlpExporter({ url, serviceName: 'mq-test', scheduledDelayMillis: 50 });
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
    await expect.poll(() => received.flatMap((r) => r.spans).length, { timeout: 20_000 }).toBe(3);
    expect(received[0]).toMatchObject({ path: '/v1/traces', service: 'mq-test' });
    expect(received[0]!.contentType).toMatch(/application\/json/);
    const spans = received.flatMap((r) => r.spans);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
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
