// Dead letters are durable (issue 13): a real broker process, @kafkats/client's ShareConsumer
// rejects half the records and accepts the rest, the broker is SIGKILLed, and on the same data dir
// the restarted broker still has every dead letter in `<topic>.dlq` (kcat reads them) and delivers
// none of the first records again (the archive was durable too): the next one a share consumer
// gets is the one produced after the restart.
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { kcat } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { waitUntil } from './groups-members';

const ARGS = ['--override', 'share.auto.offset.reset=earliest'];

describe('dead letters across a broker SIGKILL', () => {
  let broker: BrokerProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await broker?.kill();
    broker = undefined;
    await removeDir(dataDir);
  });

  it('keeps every dead letter and never redelivers a rejected record', async () => {
    const N = 40;
    dataDir = await makeTempDir('dlq-restart');
    broker = await BrokerProcess.start({ dataDir, extraArgs: ARGS });
    let kafka = new Kafka({ clientId: 'dlq-restart', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'jobs', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'jobs', acks: -1, messages: Array.from({ length: N }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
    await producer.disconnect();

    const rejected = new Set<number>();
    const accepted = new Set<number>();
    let client = new KafkaClient({ clientId: 'dlq-before', brokers: [broker.bootstrap] });
    await client.connect();
    let consumer = client.shareConsumer({ groupId: 'workers', maxWaitMs: 200 });
    let run = consumer.runEach('jobs', async (m) => {
      const n = Number(m.value?.toString());
      if (n % 2 === 0) {
        await m.reject();
        rejected.add(n);
      } else {
        await m.ack();
        accepted.add(n);
      }
    });
    await waitUntil('every record rejected or accepted', () => rejected.size + accepted.size === N, 60_000);
    await consumer.stop();
    await run.catch(() => undefined);
    await client.disconnect();
    // The dead letters are there before the kill (their append was acknowledged before the archive was written).
    await kcat(['-C', '-b', broker.bootstrap, '-t', 'jobs.dlq', '-o', 'beginning', '-c', String(N / 2), '-e', '-q'], 60_000);
    await broker.kill();

    broker = await BrokerProcess.start({ dataDir, extraArgs: ARGS });
    const res = await kcat(['-C', '-b', broker.bootstrap, '-t', 'jobs.dlq', '-o', 'beginning', '-c', String(N / 2), '-e', '-q', '-f', '%s %h\\n'], 60_000);
    const lines = res.stdout.toString('utf8').trim().split('\n');
    expect(lines.map((l) => Number(l.split(' ')[0])).sort((a, b) => a - b)).toEqual([...rejected].sort((a, b) => a - b));
    for (const l of lines) expect(l).toMatch(/mq-dlq-reason=rejected/);

    // Nothing of the first life comes back: the next record a share consumer gets is a new one.
    kafka = new Kafka({ clientId: 'dlq-restart', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer2 = kafka.producer();
    await producer2.connect();
    await producer2.send({ topic: 'jobs', acks: -1, messages: [{ value: 'after-restart' }] });
    await producer2.disconnect();
    const delivered: string[] = [];
    client = new KafkaClient({ clientId: 'dlq-after', brokers: [broker.bootstrap] });
    await client.connect();
    consumer = client.shareConsumer({ groupId: 'workers', maxWaitMs: 200 });
    run = consumer.runEach('jobs', async (m) => {
      delivered.push(m.value?.toString() ?? '');
      await m.ack();
    });
    try {
      await waitUntil('the new record delivered', () => delivered.includes('after-restart'), 120_000);
      expect(delivered).toEqual(['after-restart']);
    } finally {
      await consumer.stop();
      await run.catch(() => undefined);
      await client.disconnect();
    }
  }, 300_000);
});
