// Acceptance: startBroker({ clock }) puts every broker timer on the caller's clock. With a
// ManualClock and a real kafkajs client, retention runs only when the test moves time past
// log.retention.check.interval.ms (no real millisecond is slept for it), and a produce whose
// fdatasync hangs is answered REQUEST_TIMED_OUT exactly when the clock passes its timeout_ms.
import { startBroker } from '@mq/broker';
import { FaultyFileSystem } from '@mq/log/testing';
import { ManualClock } from '@mq/timerwheel';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';

type Broker = Awaited<ReturnType<typeof startBroker>>;

describe('startBroker on a ManualClock', () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  it('applies retention when the clock passes log.retention.check.interval.ms, not before', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    broker = await startBroker({ clock, config: { retentionCheckIntervalMs: 300_000 } });
    const kafka = new Kafka({ clientId: 'manual-clock', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'expiring', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '60000' }, { name: 'segment.bytes', value: '1024' }] }] });
      for (let i = 0; i < 20; i++) await producer.send({ topic: 'expiring', acks: -1, messages: [{ value: `v${i}-${'x'.repeat(100)}` }] });
      const offsets = async () => (await admin.fetchTopicOffsets('expiring'))[0]!;
      expect(await offsets()).toMatchObject({ low: '0', high: '20' });
      clock.advance(299_999); // every record is past retention.ms now, but no retention pass has run
      await new Promise((r) => setTimeout(r, 50));
      expect((await offsets()).low).toBe('0');
      clock.advance(1);
      await expect.poll(async () => Number((await offsets()).low), { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
      expect((await offsets()).high).toBe('20');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 60_000);

  it('answers a produce stuck in fdatasync REQUEST_TIMED_OUT when the clock passes its timeout, not before', async () => {
    const clock = new ManualClock({ wallMs: Date.now() });
    const fs = new FaultyFileSystem();
    broker = await startBroker({ clock, fs });
    const kafka = new Kafka({ clientId: 'manual-clock-timeout', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'stuck', numPartitions: 1 }] });
      const hold = fs.hold({ op: 'fdatasync', path: /\/stuck-0\/\d{20}\.log$/ });
      let outcome: string | undefined;
      const sent = producer.send({ topic: 'stuck', acks: -1, timeout: 5_000, messages: [{ value: 'v' }] }).then(
        () => (outcome = 'acknowledged'),
        (err: { cause?: { type?: string }; type?: string }) => (outcome = (err.cause ?? err).type ?? 'error'),
      );
      await hold.reached;
      clock.advance(4_999);
      await new Promise((r) => setTimeout(r, 100));
      expect(outcome).toBeUndefined();
      clock.advance(1);
      await sent;
      expect(outcome).toBe('REQUEST_TIMED_OUT');
      hold.release();
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 60_000);
});
