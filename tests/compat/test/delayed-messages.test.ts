// Acceptance: delayed and scheduled messages (mq-delay-ms / mq-deliver-at) through real clients on a
// ManualClock broker. kafkajs, kcat (librdkafka) and @platformatic/kafka produce them and accept the
// answer (baseOffset -1); a kafkajs group and kcat's plain Fetch see nothing before the due time and
// the record — key, value, headers, mq-delayed-from — once the clock passes it. Bad headers are
// INVALID_RECORD; a restart delivers what fell due while the broker was down.
import { startBroker } from '@mq/broker';
import { ManualClock } from '@mq/timerwheel';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { kcat } from '../src/kcat';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const HOUR = 3_600_000;

/**
 * Moves the broker's clock 20 ms every 10 ms of real time, so long polls, the initial rebalance
 * delay and session timeouts run (at twice the speed) while an hour-long delay stays far away.
 */
function ticker(clock: ManualClock): () => void {
  const t = setInterval(() => clock.advance(20), 10);
  return () => clearInterval(t);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delayed messages through real clients', () => {
  let broker: Broker | undefined;
  let stopTicker: (() => void) | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    stopTicker?.();
    stopTicker = undefined;
    await broker?.stop();
    broker = undefined;
    await removeDir(dataDir);
    dataDir = undefined;
  });

  async function start(clock: ManualClock, groups?: { maxSessionTimeoutMs: number }): Promise<{ bootstrap: string; kafka: Kafka }> {
    broker = await startBroker({ clock, ...(dataDir !== undefined ? { dataDir } : {}), ...(groups !== undefined ? { groups } : {}) });
    const bootstrap = `${broker.host}:${broker.port}`;
    return { bootstrap, kafka: new Kafka({ clientId: 'delayed', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } }) };
  }

  it('kafkajs: the answer has baseOffset -1; a group consumer gets the record only once it is due', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    // Each hour-long jump of the clock would expire the member's session (heartbeats come in real
    // time), and on a loaded machine kafkajs' rejoin after the second one could outlast the wait:
    // a session longer than the jumps keeps this test on delivery, not on rebalances.
    const { kafka } = await start(clock, { maxSessionTimeoutMs: 4 * HOUR });
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: 'delayed-group', maxWaitTimeInMs: 500, sessionTimeout: 3 * HOUR });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic: 'jobs', numPartitions: 1 }] });
      const deliverAt = clock.now() + 2 * HOUR;
      const sent = await producer.send({
        topic: 'jobs',
        acks: -1,
        messages: [{ key: 'k1', value: 'in an hour', headers: { 'mq-delay-ms': String(HOUR), trace: 'abc' } }],
      });
      expect(sent).toEqual([expect.objectContaining({ topicName: 'jobs', partition: 0, errorCode: 0, baseOffset: '-1' })]);
      await producer.send({ topic: 'jobs', messages: [{ key: 'k2', value: 'at two hours', headers: { 'mq-deliver-at': String(deliverAt) } }] });

      const got: KafkaMessage[] = [];
      await consumer.subscribe({ topic: 'jobs', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void got.push(message) });
      await sleep(2_000); // the group formed and fetches long-poll: nothing is in the partition yet
      expect(got).toEqual([]);
      expect((await admin.fetchTopicOffsets('jobs'))[0]).toMatchObject({ low: '0', high: '0' });

      // A rebalance may hand kafkajs a record again (at least once): count distinct offsets.
      const distinct = () => [...new Map(got.map((m) => [m.offset, m.value!.toString()]))];
      clock.advance(HOUR);
      await expect.poll(() => distinct().length, { timeout: 30_000, interval: 50 }).toBe(1);
      const first = got[0]!;
      expect(first.key!.toString()).toBe('k1');
      expect(first.value!.toString()).toBe('in an hour');
      expect(Object.keys(first.headers!).sort()).toEqual(['mq-delayed-from', 'trace']);
      expect(first.headers!['mq-delayed-from']!.toString()).toMatch(/^\d+-\d+$/);
      expect(first.headers!.trace!.toString()).toBe('abc');

      clock.advance(HOUR);
      await expect.poll(() => distinct().length, { timeout: 30_000, interval: 50 }).toBe(2);
      expect((await admin.fetchTopicOffsets('jobs'))[0]).toMatchObject({ high: '2' }); // each appended once
      expect(distinct()).toEqual([
        ['0', 'in an hour'],
        ['1', 'at two hours'],
      ]);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 120_000);

  it('topic config mq.delay.ms delays records without headers; a mixed batch is held whole', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const { kafka } = await start(clock);
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic: 'slow', numPartitions: 1, configEntries: [{ name: 'mq.delay.ms', value: String(HOUR) }] }, { topic: 'mixed', numPartitions: 1 }] });
      await producer.send({ topic: 'slow', acks: -1, messages: [{ value: 'default delay' }, { value: 'no delay', headers: { 'mq-delay-ms': '0' } }] });
      await producer.send({ topic: 'mixed', acks: -1, messages: [{ value: 'plain' }, { value: 'delayed', headers: { 'mq-delay-ms': String(HOUR) } }] });
      const high = async (topic: string) => Number((await admin.fetchTopicOffsets(topic))[0]!.high);
      // Undelayed records of a held batch are due at once: appended right after the acknowledgement.
      await expect.poll(() => high('slow'), { timeout: 30_000, interval: 50 }).toBe(1);
      await expect.poll(() => high('mixed'), { timeout: 30_000, interval: 50 }).toBe(1);
      clock.advance(HOUR);
      await expect.poll(() => high('slow'), { timeout: 30_000, interval: 50 }).toBe(2);
      await expect.poll(() => high('mixed'), { timeout: 30_000, interval: 50 }).toBe(2);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 120_000);

  it('kafkajs: bad delay headers are refused (CORRUPT_MESSAGE, what Produce v7 says for INVALID_RECORD); nothing is stored', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const { kafka } = await start(clock);
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    const idempotent = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
    await Promise.all([admin.connect(), producer.connect(), idempotent.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic: 'strict', numPartitions: 1 }] });
      const refused = async (p: typeof producer, headers: Record<string, string>) =>
        p.send({ topic: 'strict', acks: -1, messages: [{ value: 'v', headers }] }).then(
          () => 'accepted',
          (err: { cause?: { type?: string } }) => err.cause?.type ?? 'unexpected error',
        );
      expect(await refused(producer, { 'mq-delay-ms': 'soon' })).toBe('CORRUPT_MESSAGE');
      expect(await refused(producer, { 'mq-delay-ms': '-1' })).toBe('CORRUPT_MESSAGE');
      expect(await refused(producer, { 'mq-delay-ms': String(400 * 24 * HOUR) })).toBe('CORRUPT_MESSAGE');
      expect(await refused(producer, { 'mq-deliver-at': String(clock.now() + 400 * 24 * HOUR) })).toBe('CORRUPT_MESSAGE');
      expect(await refused(idempotent, { 'mq-delay-ms': '1000' })).toBe('CORRUPT_MESSAGE');
      // The producer carries on: a good record after the refused ones is stored.
      expect(await refused(producer, { plain: 'yes' })).toBe('accepted');
      expect((await admin.fetchTopicOffsets('strict'))[0]).toMatchObject({ high: '1' });
    } finally {
      await idempotent.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 120_000);

  it('kcat: produces delayed (plain and lz4) and its plain Fetch consumer sees the records only after the delay', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const { bootstrap, kafka } = await start(clock);
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'kc', numPartitions: 1 }] });
      for (const codec of ['none', 'lz4']) {
        await kcat(['-P', '-b', bootstrap, '-t', 'kc', '-p', '0', '-z', codec, '-H', `mq-delay-ms=${HOUR}`, '-H', 'src=kcat', '-K', ':', '-X', 'request.required.acks=-1'], 60_000, `k-${codec}:v-${codec}\n`);
      }
      const consume = async () => (await kcat(['-C', '-b', bootstrap, '-t', 'kc', '-o', 'beginning', '-e', '-q', '-f', '%k=%s %h\\n'], 60_000)).stdout.toString('utf8');
      expect(await consume()).toBe('');
      clock.advance(HOUR);
      await expect.poll(async () => Number((await admin.fetchTopicOffsets('kc'))[0]!.high), { timeout: 30_000, interval: 50 }).toBe(2);
      const lines = (await consume()).trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^k-none=v-none src=kcat,mq-delayed-from=\d+-\d+$/);
      expect(lines[1]).toMatch(/^k-lz4=v-lz4 src=kcat,mq-delayed-from=\d+-\d+$/);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  it('@platformatic/kafka: produces delayed, accepts the answer; the record arrives after the delay', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const { bootstrap, kafka } = await start(clock);
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'pl', numPartitions: 1 }] });
      const result = await runNode24Fixture<{ sent?: string[]; failed?: unknown }>('platformatic-delayed.mjs', {
        bootstrap,
        topic: 'pl',
        messages: [{ key: 'pk', value: 'later', headers: { 'mq-delay-ms': String(HOUR) } }],
      });
      expect(result).toEqual({ sent: ['-1'] });
      await sleep(500);
      expect((await admin.fetchTopicOffsets('pl'))[0]).toMatchObject({ high: '0' });
      clock.advance(HOUR);
      await expect.poll(async () => Number((await admin.fetchTopicOffsets('pl'))[0]!.high), { timeout: 30_000, interval: 50 }).toBe(1);
      const out = (await kcat(['-C', '-b', bootstrap, '-t', 'pl', '-o', 'beginning', '-e', '-q', '-f', '%k=%s %h\\n'], 60_000)).stdout.toString('utf8');
      expect(out).toMatch(/^pk=later mq-delayed-from=\d+-\d+\n$/);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  it('@platformatic/kafka (Produce v8+): a bad delay header is INVALID_RECORD with the broker’s message', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const { bootstrap, kafka } = await start(clock);
    stopTicker = ticker(clock);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'pl-bad', numPartitions: 1 }] });
      const result = await runNode24Fixture<{ sent?: string[]; failed?: unknown }>('platformatic-delayed.mjs', {
        bootstrap,
        topic: 'pl-bad',
        messages: [{ key: 'pk', value: 'never', headers: { 'mq-delay-ms': '-5' } }],
      });
      const text = JSON.stringify(result.failed);
      expect(text).toContain('INVALID_RECORD');
      expect(text).toContain('mq-delay-ms is negative');
      expect((await admin.fetchTopicOffsets('pl-bad'))[0]).toMatchObject({ high: '0' });
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  it('survives a restart: what fell due while the broker was down is delivered at once, in due order', async () => {
    dataDir = await makeTempDir('delayed-restart');
    const t0 = Date.now();
    const clock = new ManualClock({ wallMs: t0 });
    const first = await start(clock);
    const admin = first.kafka.admin();
    const producer = first.kafka.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic: 'later', numPartitions: 1 }] });
    await producer.send({ topic: 'later', acks: -1, messages: [{ value: 'second', headers: { 'mq-delay-ms': String(2 * HOUR) } }] });
    await producer.send({ topic: 'later', acks: -1, messages: [{ value: 'first', headers: { 'mq-delay-ms': String(HOUR) } }] });
    await producer.send({ topic: 'later', acks: -1, messages: [{ value: 'third', headers: { 'mq-delay-ms': String(10 * HOUR) } }] });
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    await broker!.stop();

    const later = new ManualClock({ wallMs: t0 + 3 * HOUR });
    const second = await start(later);
    stopTicker = ticker(later);
    const admin2 = second.kafka.admin();
    await admin2.connect();
    try {
      await expect.poll(async () => Number((await admin2.fetchTopicOffsets('later'))[0]!.high), { timeout: 30_000, interval: 50 }).toBe(2);
      const out = (await kcat(['-C', '-b', second.bootstrap, '-t', 'later', '-o', 'beginning', '-e', '-q', '-f', '%s\\n'], 60_000)).stdout.toString('utf8');
      expect(out).toBe('first\nsecond\n');
    } finally {
      await admin2.disconnect();
    }
  }, 120_000);
});
