// Acceptance (issue 15): queues traced and metered through a real broker. kafkajs produces records
// with W3C `traceparent` headers; an @kafkats/client ShareConsumer accepts one, releases then
// accepts another, rejects a third (dead-lettered); an HTTP queue consumer holds a fourth past its
// lock; a fifth is delayed (mq-delay-ms) and fires. Each producer's trace continues into the queue
// steps — mq.acquire / mq.accept / mq.release / mq.reject / mq.dead-letter / mq.archive, mq.delay /
// mq.fire — every span a child of the record's mq.produce, as an OTLP/HTTP receiver on 127.0.0.1
// gets them; /metrics, scraped after the traffic, counts exactly those steps.
import { startBroker } from '@mq/broker';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@mq/trace/testing';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parsePrometheus, type Sample } from '../src/prometheus-text';
import { waitUntil } from './groups-members';

const TOPIC = 'traced-jobs';
const HELD = 'traced-held';
const LATER = 'traced-later';
const GROUP = 'traced-workers';
const HTTP_GROUP = 'traced-http';
// Long enough that a loaded machine scrapes the in-flight record before its lock runs out.
const LOCK_MS = 4000;
const PRODUCER_SPAN = '00f067aa0ba902b7';
/** One trace per record, so each record's spans are found by its trace id. */
const TRACE = { accepted: 'a'.repeat(32), released: 'b'.repeat(32), rejected: 'c'.repeat(32), held: 'd'.repeat(32), delayed: 'e'.repeat(32) } as const;
const traceparent = (traceId: string) => `00-${traceId}-${PRODUCER_SPAN}-01`;

const attr = (s: ReceivedSpan, key: string): string | number | undefined => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

/** `names` appear in `spans` in this order (other spans may come between: a client's warm-up fetch acquires and releases too). */
function inOrder(spans: readonly ReceivedSpan[], names: readonly string[]): boolean {
  let i = 0;
  for (const s of spans) if (s.name === names[i]) i++;
  return i === names.length;
}

describe('queue steps traced to an OTLP receiver and counted on /metrics', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let otlp: OtlpReceiver;
  let producer: Producer;
  let client: KafkaClient;
  let http: string;

  const scrape = async (): Promise<Sample[]> => parsePrometheus(await (await fetch(`${http}/metrics`)).text());
  /** A trace's spans as exported, in start order. */
  const exported = (traceId: string): ReceivedSpan[] =>
    otlp.spans.filter((s) => s.traceId === traceId).sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    // Ratio 0: no trace of the broker's own, every producer's sampled context followed.
    broker = await startBroker({
      http: { port: 0 },
      trace: { sampling: '0', otlpEndpoint: otlp.url },
      share: { autoOffsetReset: 'earliest', recordLockDurationMs: LOCK_MS },
    });
    http = `http://127.0.0.1:${broker.http!.port}`;
    const kafka = new Kafka({ clientId: 'queue-trace', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [TOPIC, HELD, LATER].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    client = new KafkaClient({ clientId: 'queue-trace-share', brokers: [`127.0.0.1:${broker.port}`] });
    await client.connect();
  });

  afterAll(async () => {
    await client?.disconnect();
    await producer?.disconnect();
    await broker?.stop();
    await otlp?.close();
  });

  it('share-group steps continue the producer’s trace: acquire, accept, release, reject, dead letter, archive', async () => {
    await producer.send({
      topic: TOPIC,
      messages: [
        { key: 'accepted', value: 'accepted', headers: { traceparent: traceparent(TRACE.accepted) } },
        { key: 'released', value: 'released', headers: { traceparent: traceparent(TRACE.released) } },
        { key: 'rejected', value: 'rejected', headers: { traceparent: traceparent(TRACE.rejected) } },
        { key: 'plain', value: 'plain' }, // no traceparent, ratio 0: never traced
      ],
    });
    const consumer = client.shareConsumer({ groupId: GROUP, maxWaitMs: 200 });
    const released = new Set<string>();
    const done = new Set<string>();
    const run = consumer.runEach(TOPIC, async (message) => {
      const what = message.value!.toString();
      if (what === 'released' && !released.has(what)) {
        released.add(what);
        await message.release();
      } else if (what === 'rejected') {
        await message.reject();
        done.add(what);
      } else {
        await message.ack();
        done.add(what);
      }
    });
    await waitUntil('every record settled', () => done.size === 4, 60_000);
    await consumer.stop();
    await run.catch(() => undefined);

    await expect.poll(() => inOrder(exported(TRACE.accepted), ['mq.produce', 'mq.acquire', 'mq.accept']), { timeout: 30_000, interval: 200 }).toBe(true);
    await expect.poll(() => inOrder(exported(TRACE.released), ['mq.produce', 'mq.acquire', 'mq.release', 'mq.acquire', 'mq.accept']), { timeout: 30_000, interval: 200 }).toBe(true);
    await expect
      .poll(() => inOrder(exported(TRACE.rejected), ['mq.produce', 'mq.acquire', 'mq.reject', 'mq.dead-letter', 'mq.archive']), { timeout: 30_000, interval: 200 })
      .toBe(true);
    for (const traceId of [TRACE.accepted, TRACE.released, TRACE.rejected]) {
      const spans = exported(traceId);
      const produce = spans.find((s) => s.name === 'mq.produce')!;
      expect(produce.parentSpanId, traceId).toBe(PRODUCER_SPAN); // the producer's trace, continued
      // Every queue step hangs off the record's mq.produce, and names the group and the record.
      for (const s of spans.filter((x) => x.name !== 'mq.produce')) {
        expect(s.parentSpanId, `${traceId} ${s.name}`).toBe(produce.spanId);
        expect(attr(s, 'messaging.consumer.group.name'), s.name).toBe(GROUP);
        expect(attr(s, 'messaging.destination.name'), s.name).toBe(TOPIC);
      }
      expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['mq-broker']));
    }
    const accepted = exported(TRACE.accepted);
    expect(attr(accepted.find((s) => s.name === 'mq.accept')!, 'messaging.kafka.offset')).toBe(0);
    expect(String(attr(accepted.find((s) => s.name === 'mq.acquire')!, 'mq.group.member.id'))).not.toBe('');
    const rejected = exported(TRACE.rejected);
    expect(attr(rejected.find((s) => s.name === 'mq.dead-letter')!, 'mq.dlq.topic')).toBe(`${TOPIC}.dlq`);
    expect(attr(rejected.find((s) => s.name === 'mq.dead-letter')!, 'mq.dlq.offset')).toBe(0);
    expect(attr(rejected.find((s) => s.name === 'mq.archive')!, 'mq.archive.reason')).toBe('rejected');
    const reacquired = exported(TRACE.released).filter((s) => s.name === 'mq.acquire').map((s) => attr(s, 'mq.delivery.count'));
    expect(Number(reacquired.at(-1))).toBeGreaterThan(Number(reacquired[0]));

    // The same steps, counted per group and topic.
    const m = await scrape();
    const gt = { group: GROUP, topic: TOPIC };
    expect(metricValue(m, 'mq_share_records_acknowledged_total', { ...gt, type: 'accept' })).toBe(3); // accepted, released (2nd time), plain
    expect(metricValue(m, 'mq_share_records_acknowledged_total', { ...gt, type: 'reject' })).toBe(1);
    expect(metricValue(m, 'mq_share_records_acknowledged_total', { ...gt, type: 'release' })).toBeGreaterThanOrEqual(1);
    // Every acquisition ends in exactly one acknowledgement or release.
    const acks = ['accept', 'reject', 'release'].reduce((n, type) => n + metricValue(m, 'mq_share_records_acknowledged_total', { ...gt, type }), 0);
    expect(metricValue(m, 'mq_share_records_acquired_total', gt)).toBe(acks + metricValue(m, 'mq_share_records_released_total', gt));
    expect(metricValue(m, 'mq_share_records_archived_total', { ...gt, reason: 'rejected' })).toBe(1);
    expect(metricValue(m, 'mq_share_records_dead_lettered_total', gt)).toBe(1);
    expect(metricValue(m, 'mq_dlq_records', { topic: `${TOPIC}.dlq` })).toBe(1);
    expect(metricValue(m, 'mq_share_records_in_flight', { ...gt, partition: '0' })).toBe(0);
  });

  it('an HTTP queue consumer’s lock that runs out: in flight, then mq.release (lock-timeout) and counted', async () => {
    await producer.send({ topic: HELD, messages: [{ key: 'held', value: 'held', headers: { traceparent: traceparent(TRACE.held) } }] });
    const res = await fetch(`${http}/v1/queues/${HTTP_GROUP}/topics/${HELD}/receive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encoding: 'string', max_messages: 1, wait_ms: 2000 }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: unknown[] }).messages).toHaveLength(1);
    const gt = { group: HTTP_GROUP, topic: HELD };
    expect(metricValue(await scrape(), 'mq_share_records_in_flight', { ...gt, partition: '0' })).toBe(1);
    // Not settled: the lock runs out after LOCK_MS and the record is available again.
    await expect.poll(async () => metricValue(await scrape(), 'mq_share_records_released_total', { ...gt, reason: 'lock_timeout' }), { timeout: 15_000, interval: 200 }).toBe(1);
    expect(metricValue(await scrape(), 'mq_share_records_in_flight', { ...gt, partition: '0' })).toBe(0);
    await expect.poll(() => inOrder(exported(TRACE.held), ['mq.produce', 'mq.acquire', 'mq.release']), { timeout: 30_000, interval: 200 }).toBe(true);
    const spans = exported(TRACE.held);
    const release = spans.find((s) => s.name === 'mq.release')!;
    expect(attr(release, 'mq.release.reason')).toBe('lock-timeout');
    expect(release.parentSpanId).toBe(spans.find((s) => s.name === 'mq.produce')!.spanId);
    const acquire = spans.find((s) => s.name === 'mq.acquire')!;
    // The lock lasted LOCK_MS from the acquisition.
    expect(Number(BigInt(release.startTimeUnixNano) - BigInt(acquire.startTimeUnixNano)) / 1e6).toBeGreaterThanOrEqual(LOCK_MS - 50);
  });

  it('a delayed message: mq.produce → mq.delay → mq.fire under the producer’s trace; pending, delivered and its lateness on /metrics', async () => {
    const before = await scrape();
    await producer.send({ topic: LATER, messages: [{ key: 'later', value: 'later', headers: { 'mq-delay-ms': '400', traceparent: traceparent(TRACE.delayed) } }] });
    expect(metricValue(await scrape(), 'mq_delayed_messages')).toBe(1);
    await expect.poll(async () => metricValue(await scrape(), 'mq_delayed_messages_delivered_total', { topic: LATER }), { timeout: 10_000, interval: 100 }).toBe(1);
    const after = await scrape();
    expect(metricValue(after, 'mq_delayed_messages')).toBe(0);
    expect(metricValue(after, 'mq_delayed_delivery_lateness_seconds_count') - metricValue(before, 'mq_delayed_delivery_lateness_seconds_count')).toBe(1);

    await expect.poll(() => exported(TRACE.delayed).map((s) => s.name), { timeout: 30_000, interval: 200 }).toEqual(['mq.produce', 'mq.delay', 'mq.fire']);
    const [produce, delay, fire] = exported(TRACE.delayed) as [ReceivedSpan, ReceivedSpan, ReceivedSpan];
    expect(produce.parentSpanId).toBe(PRODUCER_SPAN);
    expect(attr(produce, 'messaging.client.id')).toBe('queue-trace');
    expect(delay.parentSpanId).toBe(produce.spanId);
    expect(fire.parentSpanId).toBe(produce.spanId);
    expect(attr(fire, 'messaging.kafka.offset')).toBe(0);
    expect(attr(fire, 'mq.delay.id')).toBe(attr(delay, 'mq.delay.id'));
    // Due 400 ms after the broker received it, and appended no earlier than that.
    const dueAt = Number(attr(delay, 'mq.delay.due_at'));
    expect(dueAt - Number(BigInt(produce.startTimeUnixNano) / 1_000_000n)).toBeLessThanOrEqual(401);
    expect(Number(BigInt(fire.endTimeUnixNano) / 1_000_000n)).toBeGreaterThanOrEqual(dueAt - 1);
  });
});
