// Acceptance (issue 15): /metrics on the broker's HTTP listener, scraped before and after real
// kcat and kafkajs traffic; every checked series moves by exactly what the traffic did.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KCAT, kcat, kcatConsumeAll } from '../src/kcat';
import { metricValue, parsePrometheus, type Sample } from '../src/prometheus-text';
import { spawn } from 'node:child_process';
import { killQuietly, waitForExit } from '../src/child-process';

const TOPIC = 'metered';

describe('/metrics after real client traffic', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let bootstrap: string;
  let admin: Admin;
  let producer: Producer;

  async function scrape(): Promise<Sample[]> {
    const res = await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await res.text());
  }

  beforeAll(async () => {
    broker = await startBroker({ http: { port: 0 }, config: { autoCreateTopicsEnable: false } });
    bootstrap = `127.0.0.1:${broker.port}`;
    const kafka = new Kafka({ clientId: 'metrics-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('counts kcat produce and consume: messages exactly, bytes equal to what the log stored', async () => {
    const before = await scrape();
    const lines = Array.from({ length: 100 }, (_, i) => `k${i}:value-${i}`).join('\n');
    await kcat(['-P', '-b', bootstrap, '-t', TOPIC, '-p', '0', '-K', ':', '-z', 'lz4'], 60_000, `${lines}\n`);
    const afterProduce = await scrape();
    const topic = { topic: TOPIC };
    expect(metricValue(afterProduce, 'mq_topic_messages_in_total', topic) - metricValue(before, 'mq_topic_messages_in_total', topic)).toBe(100);
    const stored = metricValue(afterProduce, 'mq_log_size_bytes', { topic: TOPIC, partition: '0' });
    expect(stored).toBeGreaterThan(0);
    expect(metricValue(afterProduce, 'mq_topic_bytes_in_total', topic) - metricValue(before, 'mq_topic_bytes_in_total', topic)).toBe(stored);
    expect(metricValue(afterProduce, 'mq_log_end_offset', { topic: TOPIC, partition: '0' })).toBe(100);
    expect(metricValue(afterProduce, 'mq_high_watermark', { topic: TOPIC, partition: '0' })).toBe(100);
    expect(metricValue(afterProduce, 'mq_log_segments', { topic: TOPIC, partition: '0' })).toBe(1);
    expect(metricValue(afterProduce, 'mq_log_segments', { topic: TOPIC, partition: '1' })).toBe(1);

    const out = await kcatConsumeAll(bootstrap, TOPIC, '%s\n', 60_000, ['-p', '0']);
    expect(out.toString().trim().split('\n')).toHaveLength(100);
    const afterConsume = await scrape();
    expect(metricValue(afterConsume, 'mq_topic_messages_out_total', topic) - metricValue(afterProduce, 'mq_topic_messages_out_total', topic)).toBe(100);
    expect(metricValue(afterConsume, 'mq_topic_bytes_out_total', topic) - metricValue(afterProduce, 'mq_topic_bytes_out_total', topic)).toBe(stored);
  });

  it('counts kafkajs requests per API and version, with one latency observation each', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) await producer.send({ topic: TOPIC, messages: [{ key: `js${i}`, value: 'x', partition: 1 }] });
    const after = await scrape();
    const produce = after.filter((s) => s.name === 'mq_requests_total' && s.labels.api === 'Produce');
    expect(produce.length).toBeGreaterThan(0);
    const version = produce.find((s) => s.value - metricValue(before, 'mq_requests_total', s.labels) === 5)?.labels.version;
    expect(version).toBeDefined(); // kafkajs 2.2.4 sends Produce v7
    const labels = { api: 'Produce', version: version! };
    expect(metricValue(after, 'mq_request_duration_seconds_count', labels) - metricValue(before, 'mq_request_duration_seconds_count', labels)).toBe(5);
    expect(metricValue(after, 'mq_topic_messages_in_total', { topic: TOPIC }) - metricValue(before, 'mq_topic_messages_in_total', { topic: TOPIC })).toBe(5);
    expect(metricValue(after, 'mq_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('a second broker in the same process counts none of the first one\'s traffic (channels are process-wide)', async () => {
    const other = await startBroker({ http: { port: 0 } });
    try {
      await producer.send({ topic: TOPIC, messages: [{ value: 'only-for-the-first', partition: 1 }] });
      const text = await (await fetch(`http://127.0.0.1:${other.http!.port}/metrics`)).text();
      const samples = parsePrometheus(text);
      expect(metricValue(samples, 'mq_topic_messages_in_total')).toBe(0);
      expect(metricValue(samples, 'mq_requests_total', { api: 'Produce' })).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('counts error codes in responses by API and Kafka error name', async () => {
    const before = await scrape();
    const labels = { api: 'CreateTopics', error: 'TOPIC_ALREADY_EXISTS' };
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] }).catch(() => undefined);
    const after = await scrape();
    expect(metricValue(after, 'mq_request_errors_total', labels) - metricValue(before, 'mq_request_errors_total', labels)).toBe(1);
  });

  it('reports consumer group lag per partition from committed offsets', async () => {
    await admin.setOffsets({ groupId: 'lagging', topic: TOPIC, partitions: [{ partition: 0, offset: '40' }, { partition: 1, offset: '2' }] });
    const samples = await scrape();
    expect(metricValue(samples, 'mq_consumer_group_lag', { group: 'lagging', topic: TOPIC, partition: '0' })).toBe(60);
    // partition 1 holds the 5 + 1 kafkajs messages above
    expect(metricValue(samples, 'mq_consumer_group_lag', { group: 'lagging', topic: TOPIC, partition: '1' })).toBe(4);
  });

  it('shows open connections, partitions, a parked long poll in the fetch purgatory, and process metrics', async () => {
    const samples = await scrape();
    expect(metricValue(samples, 'mq_connections')).toBeGreaterThanOrEqual(2); // admin + producer
    // Every hosted partition has its per-partition series (metered's two, and the schema registry's
    // _schemas when the HTTP listener is on; __consumer_offsets lives in the coordinator's own log).
    const perPartition = samples.filter((x) => x.name === 'mq_log_segments');
    expect(metricValue(samples, 'mq_partitions')).toBe(perPartition.length);
    expect(perPartition.filter((x) => x.labels.topic === TOPIC)).toHaveLength(2);
    expect(metricValue(samples, 'mq_produce_purgatory_size')).toBe(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    // A tailing kcat on an empty partition long-polls: its Fetch parks in the purgatory.
    await admin.createTopics({ topics: [{ topic: 'idle', numPartitions: 1 }], waitForLeaders: true });
    const tail = spawn(KCAT, ['-C', '-b', bootstrap, '-t', 'idle', '-o', 'end', '-q', '-X', 'fetch.wait.max.ms=10000'], { stdio: 'ignore' });
    try {
      await expect.poll(async () => metricValue(await scrape(), 'mq_fetch_purgatory_size'), { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    } finally {
      killQuietly(tail, 'SIGKILL');
      await waitForExit(tail, 5_000);
    }
  });
});
