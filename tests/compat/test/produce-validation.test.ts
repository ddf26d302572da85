// Acceptance: produce-time validation seen by real clients. A compacted topic rejects a record
// without a key: @platformatic/kafka (Produce v8+, on Node 24) reports INVALID_RECORD, kafkajs
// (Produce v7) CORRUPT_MESSAGE, as against Kafka; nothing is stored, keyed records still are. A
// timestamp beyond message.timestamp.after.max.ms is reported INVALID_TIMESTAMP.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

interface Described {
  name?: string;
  code?: string;
  apiId?: string;
  apiCode?: number;
  message?: string;
  nested: (Described | undefined)[];
}

function flatten(d: Described | undefined): Described[] {
  return d === undefined ? [] : [d, ...d.nested.flatMap(flatten)];
}

describe('produce validation with real clients', () => {
  let broker: Broker;
  let dataDir: string;
  let kafka: Kafka;

  beforeAll(async () => {
    dataDir = await makeTempDir('produce-validation');
    broker = await startBroker({ dataDir });
    kafka = new Kafka({ clientId: 'compat-validation', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'compacted-pf', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: 'compacted-kjs', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: 'bounded-pf', numPartitions: 1, configEntries: [{ name: 'message.timestamp.after.max.ms', value: '60000' }] },
      ],
    });
    await admin.disconnect();
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('@platformatic/kafka reports INVALID_RECORD for a null key on a compacted topic', async () => {
    const bootstrap = `${broker.host}:${broker.port}`;
    const rejected = await runNode24Fixture<{ failed?: Described; sent?: string[] }>('platformatic-produce-error.mjs', {
      bootstrap,
      topic: 'compacted-pf',
      messages: [
        { key: 'a', value: 'keyed' },
        { key: null, value: 'keyless' },
      ],
    });
    expect(rejected.sent).toBeUndefined();
    const all = flatten(rejected.failed);
    expect(all.some((e) => e.apiId === 'INVALID_RECORD' || e.apiCode === 87), JSON.stringify(rejected.failed)).toBe(true);
    const accepted = await runNode24Fixture<{ failed?: Described; sent?: string[] }>('platformatic-produce-error.mjs', {
      bootstrap,
      topic: 'compacted-pf',
      messages: [{ key: 'a', value: 'keyed' }],
    });
    expect(accepted).toEqual({ sent: ['0'] });
  });

  it('@platformatic/kafka reports INVALID_TIMESTAMP for a timestamp an hour ahead on a topic allowing a minute', async () => {
    const bootstrap = `${broker.host}:${broker.port}`;
    const ahead = String(Date.now() + 3_600_000);
    const rejected = await runNode24Fixture<{ failed?: Described; sent?: string[] }>('platformatic-produce-error.mjs', {
      bootstrap,
      topic: 'bounded-pf',
      messages: [{ key: 'a', value: 'future', timestamp: ahead }],
    });
    expect(rejected.sent).toBeUndefined();
    expect(flatten(rejected.failed).some((e) => e.apiId === 'INVALID_TIMESTAMP' || e.apiCode === 32), JSON.stringify(rejected.failed)).toBe(true);
    const now = await runNode24Fixture<{ failed?: Described; sent?: string[] }>('platformatic-produce-error.mjs', {
      bootstrap,
      topic: 'bounded-pf',
      messages: [{ key: 'a', value: 'now', timestamp: String(Date.now()) }],
    });
    expect(now).toEqual({ sent: ['0'] });
  });

  it('kafkajs (Produce v7) gets CORRUPT_MESSAGE, and nothing of the rejected batch is stored', async () => {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    const err = await producer.send({ topic: 'compacted-kjs', messages: [{ key: 'k', value: 'v1' }, { key: null, value: 'v2' }] }).then(
      () => undefined,
      (e: unknown) => e as { cause?: { type?: string; code?: number } },
    );
    // kafkajs wraps the broker's error (retriable, so it counts a retry) in KafkaJSNumberOfRetriesExceeded.
    expect(err?.cause).toMatchObject({ type: 'CORRUPT_MESSAGE', code: 2 });
    const ok = await producer.send({ topic: 'compacted-kjs', messages: [{ key: 'k', value: 'v3' }] });
    expect(ok[0]!.baseOffset).toBe('0');
    await producer.disconnect();
  });
});
