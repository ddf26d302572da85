// kafkajs 2.2.4 as a Node-client load generator for our broker: batched produce throughput with
// per-send latency, consumer-group consume throughput, and paced end-to-end latency.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { latencyOf, latencyPayload, paced, recordBuffers } from './payloads';
import type { TimedRun } from './kcat-load';

export function kafkaClient(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'mq-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

export interface ProduceRun extends TimedRun {
  /** Latency of each send() call (one batch), ms. */
  readonly sendLatencies: number[];
}

/** Batches of `batchSize` messages, up to `window` sends in flight, acks=-1, no compression. */
export async function kafkajsProduce(kafka: Kafka, topic: string, count: number, size: number, batchSize = 1000, window = 4): Promise<ProduceRun> {
  const values = recordBuffers(count, size);
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const sendLatencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batchSize);
      const messages = values.slice(from, next).map((value) => ({ value }));
      const s = performance.now();
      await producer.send({ topic, acks: -1, messages });
      sendLatencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  const ms = performance.now() - t0;
  await producer.disconnect();
  return { messages: count, ms, sendLatencies };
}

async function joinedConsumer(kafka: Kafka, topic: string, group: string, fromBeginning: boolean): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 500, maxBytes: 50 * 1024 * 1024, maxBytesPerPartition: 10 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  return consumer;
}

/** Consumer-group consume of `expected` messages from the beginning (eachBatch, offsets auto-committed), timed from its first Fetch. */
export async function kafkajsConsume(kafka: Kafka, topic: string, group: string, expected: number): Promise<TimedRun> {
  const consumer = await joinedConsumer(kafka, topic, group, true);
  let got = 0;
  let t0: number | undefined;
  // Timed from the first Fetch after the group join (as kcat -G from its assignment).
  consumer.on(consumer.events.FETCH_START, () => {
    t0 ??= performance.now();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kafkajs consumer read ${got} of ${expected} in 180 s`)), 180_000);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            got += batch.messages.length;
            if (got >= expected) {
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
  return { messages: got, ms: performance.now() - (t0 ?? 0) };
}

export interface LatencyRun {
  readonly e2e: number[];
  readonly send: number[];
  readonly sent: number;
}

/** Paced kafkajs producer (one send per ~1 ms burst, acks=-1) into a kafkajs consumer group. */
export async function kafkajsLatency(kafka: Kafka, topic: string, group: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const consumer = await joinedConsumer(kafka, topic, group, false);
  const e2e: number[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  void consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value !== null) e2e.push(latencyOf(message.value));
    },
  });
  await joined;
  await new Promise((r) => setTimeout(r, 1_000));
  const producer = kafka.producer();
  await producer.connect();
  const send: number[] = [];
  const pending = new Set<Promise<void>>();
  const sent = await paced(rate, durationMs, (n) => {
    const messages = Array.from({ length: n }, () => ({ value: latencyPayload(size) }));
    const s = performance.now();
    const p = producer.send({ topic, acks: -1, messages }).then(
      () => void send.push(performance.now() - s),
      () => undefined,
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (e2e.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await producer.disconnect();
  await consumer.disconnect();
  return { e2e, send, sent };
}
