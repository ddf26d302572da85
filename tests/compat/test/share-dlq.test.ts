// Dead-letter topics (issue 13) with real clients: kafkajs produces records with headers,
// @kafkats/client's ShareConsumer (npm) rejects some and keeps releasing others until
// group.share.delivery.count.limit; kcat -J (librdkafka) then reads `<topic>.dlq`: each given-up
// record once, with its key, value, headers and timestamp and the mq-dlq-* headers; then the real
// `mq dlq redrive` CLI moves them back, and a rerun moves nothing twice.
import { startBroker } from '@mq/broker';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatRecords } from '../src/kcat';
import { mq } from '../src/mq-cli';
import { waitUntil } from './groups-members';

const DELIVERY_LIMIT = 3;

describe('dead-letter topics with @kafkats/client and kcat', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let bootstrap: string;
  let client: KafkaClient;
  const kafka = () => new Kafka({ clientId: 'dlq-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });

  async function produce(topic: string, partitions: number, count: number): Promise<void> {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: String(i), partition: 0, timestamp: String(1_700_000_000_000 + i), headers: { app: `h${i}` } })),
    });
    await producer.disconnect();
  }

  beforeAll(async () => {
    broker = await startBroker({ share: { autoOffsetReset: 'earliest', deliveryCountLimit: DELIVERY_LIMIT } });
    bootstrap = `127.0.0.1:${broker.port}`;
    client = new KafkaClient({ clientId: 'dlq-share', brokers: [bootstrap] });
    await client.connect();
  });

  afterAll(async () => {
    await client?.disconnect();
    await broker?.stop();
  });

  it('a rejected record shows up in <topic>.dlq with the original key, value, headers, timestamp and mq-dlq-* headers', async () => {
    const N = 50;
    await produce('dlq-jobs', 2, N);
    const consumer = client.shareConsumer({ groupId: 'dlq-workers', maxWaitMs: 200 });
    const done = new Set<number>();
    const run = consumer.runEach('dlq-jobs', async (m) => {
      const n = Number(m.value?.toString());
      if (n % 5 === 2) await m.reject();
      else await m.ack();
      done.add(n);
    });
    await waitUntil('every record accepted or rejected', () => done.size === N, 60_000);
    await consumer.stop();
    await run.catch(() => undefined);

    const letters = await kcatRecords(bootstrap, 'dlq-jobs.dlq', N / 5);
    expect(letters.map((l) => Number(l.payload)).sort((a, b) => a - b)).toEqual(Array.from({ length: N / 5 }, (_, i) => i * 5 + 2));
    for (const l of letters) {
      const n = Number(l.payload);
      expect(l.partition).toBe(0);
      expect(l.key).toBe(`k${n}`);
      expect(l.ts).toBe(1_700_000_000_000 + n);
      expect(l.h).toMatchObject({
        app: `h${n}`,
        'mq-dlq-topic': 'dlq-jobs',
        'mq-dlq-partition': '0',
        'mq-dlq-offset': String(n),
        'mq-dlq-group': 'dlq-workers',
        'mq-dlq-reason': 'rejected',
      });
      expect(Number(l.h['mq-dlq-delivery-count'])).toBeGreaterThanOrEqual(1);
    }
    // Auto-created with the source's partition count.
    const admin = kafka().admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: ['dlq-jobs.dlq'] });
    expect(meta.topics[0]!.partitions).toHaveLength(2);
    await admin.disconnect();

    // mq dlq redrive: back to dlq-jobs partition 0 (after the originals), without the mq-dlq-* headers.
    const redrive = await mq(['-b', bootstrap, '-o', 'json', 'dlq', 'redrive', '--group', 'dlq-workers', '--topic', 'dlq-jobs']);
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(JSON.parse(redrive.stdout)).toEqual({ dlq: 'dlq-jobs.dlq', group: 'dlq-workers', moved: N / 5, skipped: 0, to: { 'dlq-jobs': N / 5 } });
    const all = await kcatRecords(bootstrap, 'dlq-jobs', N + N / 5);
    const back = all.filter((m) => m.offset >= N);
    expect(back.map((m) => [m.partition, Number(m.payload)])).toEqual(Array.from({ length: N / 5 }, (_, i) => [0, i * 5 + 2]));
    for (const m of back) {
      expect(m.key).toBe(`k${m.payload}`);
      expect(Object.keys(m.h)).toEqual(['app']);
    }
    // Progress is committed: a rerun moves nothing; another group's redrive skips these letters.
    const again = await mq(['-b', bootstrap, 'dlq', 'redrive', '--group', 'dlq-workers', '--topic', 'dlq-jobs']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('redrove 0 records from dlq-jobs.dlq; skipped 0 of other groups\n');
    const other = await mq(['-b', bootstrap, 'dlq', 'redrive', '--group', 'someone-else', '--topic', 'dlq-jobs', '--max', '3']);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toBe(`redrove 0 records from dlq-jobs.dlq; skipped ${N / 5} of other groups\n`);
    const missing = await mq(['-b', bootstrap, 'dlq', 'redrive', '--group', 'dlq-workers', '--topic', 'no-such-topic']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*no-such-topic\.dlq/);
  });

  it('a record released until group.share.delivery.count.limit is dead-lettered with reason delivery-limit', async () => {
    const N = 10;
    await produce('dlq-retry', 1, N);
    const consumer = client.shareConsumer({ groupId: 'dlq-retry-workers', maxWaitMs: 200 });
    const deliveries = new Map<number, number[]>();
    const accepted = new Set<number>();
    const run = consumer.runEach('dlq-retry', async (m) => {
      const n = Number(m.value?.toString());
      deliveries.set(n, [...(deliveries.get(n) ?? []), m.deliveryCount ?? -1]);
      if (n === 4) await m.release();
      else {
        await m.ack();
        accepted.add(n);
      }
    });
    await waitUntil('the others accepted', () => accepted.size === N - 1, 60_000);
    // Record 4 reaches the limit only after its last release is answered: the dead-letter topic is
    // created then, so poll for it rather than read it once (kcat -e fails on an unknown topic).
    // (The client's warm-up fetch already counts once, so its deliveries may start at 2.)
    await waitUntil('record 4 delivered up to the limit', () => Math.max(0, ...(deliveries.get(4) ?? [])) >= DELIVERY_LIMIT, 60_000);
    let letter: Awaited<ReturnType<typeof kcatRecords>>[number] | undefined;
    await waitUntil(
      'the dead letter readable',
      async () => {
        letter = (await kcatRecords(bootstrap, 'dlq-retry.dlq', 1).catch(() => []))[0];
        return letter !== undefined;
      },
      60_000,
    );
    await consumer.stop();
    await run.catch(() => undefined);
    expect(letter!.payload).toBe('4');
    expect(letter!.h).toMatchObject({ 'mq-dlq-reason': 'delivery-limit', 'mq-dlq-delivery-count': String(DELIVERY_LIMIT), 'mq-dlq-offset': '4', app: 'h4' });
    // Never delivered past the limit.
    expect(Math.max(...deliveries.get(4)!)).toBeLessThanOrEqual(DELIVERY_LIMIT);
  });
});
