// Acceptance: kafkajs 2.2.4 against our broker — admin CreateTopics, producer with acks=-1 (plain
// and gzip), and a consumer-group consumer reading back byte-exact keys, values and headers.
import { startBroker } from '@mq/broker';
import { CompressionTypes, Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffMessage, makeBinaryMessages, type BinaryMessage, type WireMessage } from '../src/binary-messages';
import { kcatConsumeAll } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

function toKafkajs(m: BinaryMessage): { key: Buffer | null; value: Buffer | null; headers: IHeaders } {
  const headers: IHeaders = {};
  for (const [k, v] of m.headers) headers[k] = v;
  return { key: m.key, value: m.value, headers };
}

function fromKafkajs(m: KafkaMessage): WireMessage {
  const headers: [string, string][] = [];
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined) headers.push([k, Buffer.from(one).toString('base64')]);
    }
  }
  return { key: m.key === null ? null : m.key.toString('base64'), value: m.value === null ? null : m.value.toString('base64'), headers };
}

/** Consumes `count` messages of `topic` from the beginning through a kafkajs consumer group. */
async function consumeWithGroup(kafka: Kafka, topic: string, count: number, groupId: string): Promise<{ partition: number; offset: string; message: WireMessage }[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, sessionTimeout: 30_000, heartbeatInterval: 1_000 });
  const got: { partition: number; offset: string; message: WireMessage }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kafkajs consumer got ${got.length} of ${count} messages in 90 s`)), 90_000);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            got.push({ partition, offset: message.offset, message: fromKafkajs(message) });
            if (got.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

describe('kafkajs 2.2.4', () => {
  let broker: Broker;
  let dataDir: string;
  let bootstrap: string;
  let kafka: Kafka;

  beforeAll(async () => {
    dataDir = await makeTempDir('kafkajs');
    broker = await startBroker({ dataDir });
    bootstrap = `${broker.host}:${broker.port}`;
    kafka = new Kafka({ clientId: 'compat-kafkajs', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  const variants = [
    { name: 'uncompressed', compression: CompressionTypes.None },
    { name: 'gzip', compression: CompressionTypes.GZIP },
  ] as const;

  for (const variant of variants) {
    describe(`${variant.name} batches`, () => {
      const topic = `kafkajs-${variant.name}`;
      const messages = makeBinaryMessages(60, variant.name.length);

      it('creates the topic and produces with acks=-1', async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(true);
        } finally {
          await admin.disconnect();
        }
        const producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          // Two sends: the second's baseOffset proves offsets continue across batches.
          const half = messages.length / 2;
          const first = await producer.send({ topic, acks: -1, compression: variant.compression, messages: messages.slice(0, half).map(toKafkajs) });
          const second = await producer.send({ topic, acks: -1, compression: variant.compression, messages: messages.slice(half).map(toKafkajs) });
          expect(first).toEqual([expect.objectContaining({ topicName: topic, partition: 0, errorCode: 0, baseOffset: '0' })]);
          expect(second).toEqual([expect.objectContaining({ topicName: topic, partition: 0, errorCode: 0, baseOffset: String(half) })]);
        } finally {
          await producer.disconnect();
        }
      });

      it('stores what kafkajs sent (offsets and key/value lengths seen by kcat)', async () => {
        const out = (await kcatConsumeAll(bootstrap, topic, '%o %K %S\\n')).toString('utf8').trim().split('\n');
        expect(out).toEqual(messages.map((m, i) => `${i} ${m.key === null ? -1 : m.key.length} ${m.value === null ? -1 : m.value.length}`));
      });

      it('reads back byte-exact keys, values and headers through a consumer group', async () => {
        const got = await consumeWithGroup(kafka, topic, messages.length, `g-${topic}`);
        expect(got.map((g) => g.offset)).toEqual(messages.map((_, i) => String(i)));
        const diffs = got.map((g, i) => diffMessage(messages[i]!, g.message)).filter((d) => d !== undefined);
        expect(diffs).toEqual([]);
      });
    });
  }

  it('keeps per-partition order for 3,000 keyed gzip messages over 3 partitions', async () => {
    const topic = 'kafkajs-keyed';
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 300 }, (_, j) => {
        const i = b * 300 + j;
        return { key: `user-${i % 50}`, value: `seq-${i}` };
      });
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
    }
    await producer.disconnect();

    const got = await consumeWithGroup(kafka, topic, 3000, 'g-keyed');
    expect(got).toHaveLength(3000);
    // The same key always lands in one partition, and its sequence numbers only go up.
    const partitionOf = new Map<string, number>();
    const lastSeq = new Map<string, number>();
    for (const g of got) {
      const key = Buffer.from(g.message.key!, 'base64').toString();
      const seq = Number(Buffer.from(g.message.value!, 'base64').toString().slice(4));
      expect(partitionOf.get(key) ?? g.partition).toBe(g.partition);
      partitionOf.set(key, g.partition);
      expect(seq).toBeGreaterThan(lastSeq.get(key) ?? -1);
      lastSeq.set(key, seq);
    }
    expect(new Set(partitionOf.values()).size).toBe(3);
  });
});
